# Sourced by scripts/diskbench.sh and scripts/fsbench.sh: boots one disk
# benchmark program twice on a scratch image, once under -icount shift=0
# and once on the wall clock, one hart each.
#
#   bench_disk_boots NAME TAG TIMEOUT MAKE-IMAGE...
#
# Before each boot the image $img is removed and the command MAKE-IMAGE
# (with its arguments) makes it anew. The program /bench/NAME gets $mib as
# its argument and must end with "NAME: done"; its "BENCH TAG ..." lines
# are appended to $raw, each prefixed with the clock. Uses $out, $img,
# $raw, $mib and the QEMU command in the array qemu; sets failed=1 if a
# boot did not run to completion (its log is in $out/logs/).
bench_disk_boots() {
    local name=$1 tag=$2 limit=$3
    shift 3
    local clock flags log status
    for clock in icount wall; do
        rm -f "$img"
        "$@" || exit 1
        flags=()
        [ "$clock" = icount ] && flags=(-icount shift=0)
        log=$out/logs/$clock-$name.log
        timeout -k 5 "$limit" "${qemu[@]}" "${flags[@]}" \
            -drive "file=$img,if=none,format=raw,id=disk0" -device virtio-blk-device,drive=disk0 \
            -append "init=/bench/$name -- $mib" </dev/null >"$log" 2>&1
        status=$?
        echo "$name: $clock exit $status"
        if [ "$status" != 0 ] || ! grep -q "$name: done" "$log"; then
            echo "$name: FAILED ($clock); see $log" >&2
            failed=1
        fi
        tr -d '\r' <"$log" | awk -v c="$clock" -v t="$tag" '$1 == "BENCH" && $2 == t { print c, $0 }' >>"$raw"
    done
}
