# Sourced by scripts/bench-vm.sh and scripts/bench-super.sh: one boot of
# an in-guest benchmark under -icount shift=0 (figures in guest
# instructions).
#
#   bench_icount_boot NAME LOG TAG CMDLINE
#
# Boots the QEMU command in the array qemu with -append CMDLINE (the
# program /bench/NAME must end with "NAME: done"), keeps the serial output
# in LOG and appends its "BENCH TAG ..." lines to $raw. Sets failed=1 if
# the boot did not run to completion. RVOS_BENCH_TIMEOUT bounds it (600 s).
bench_icount_boot() {
    local name=$1 log=$2 tag=$3 cmdline=$4 status
    timeout -k 5 "${RVOS_BENCH_TIMEOUT:-600}" "${qemu[@]}" -icount shift=0 -append "$cmdline" </dev/null >"$log" 2>&1
    status=$?
    echo "bench: icount $name ($cmdline) exit $status"
    if [ "$status" != 0 ] || ! grep -q "$name: done" "$log"; then
        echo "bench: FAILED: $name ($cmdline); see $log" >&2
        failed=1
    fi
    tr -d '\r' <"$log" | awk -v t="$tag" '$1 == "BENCH" && $2 == t { print }' >>"$raw"
}
