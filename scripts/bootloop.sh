#!/usr/bin/env bash
# The boot loop: boots the kernel BOOTS times with `selftest=harts`, JOBS
# boots at a time, to catch boots that lose a hart or die silently early on
# (a firmware race seen in about 0.4% of boots; docs/reliability.md).
#
# A boot passes when QEMU exits with status 0 within SECONDS, and its
# serial log holds both "harts online: H of H" (H from -smp) and the
# verdict "selftest harts: passed". QEMU's exit status alone proves nothing:
# a firmware shutdown exits 0 too. A failed boot's log stays in
# OUT/failures/boot-N.log, with the reasons appended. Ends with the line
#
#   bootloop: N boots, M failures
#
# and exits non-zero if M > 0. The timeout only catches hangs: a boot takes
# about a second, and under any host load far less than SECONDS.
#
# usage: scripts/bootloop.sh [-n BOOTS] [-j JOBS] [-t SECONDS] [-B BUILD] [-o OUT] [-- QEMU-COMMAND...]
#   -n BOOTS    boots (default $BOOTLOOP_BOOTS, else 200)
#   -j JOBS     boots at a time (default 2)
#   -t SECONDS  time a boot may take before it counts as a hang (default 60)
#   -B BUILD    the build tree (default: build/ beside scripts/)
#   -o OUT      where failure logs and work files go (default BUILD/soak)
#   QEMU-COMMAND  the machine, without -append; by default the one CMake
#               wrote to BUILD/soak/qemu-command.txt (one argument a line)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
boots=${BOOTLOOP_BOOTS:-200}
jobs=2
seconds=60
build=$here/../build
out=
cmdline="selftest=harts"
verdict="selftest harts: passed"

usage() {
    echo "usage: $0 [-n BOOTS] [-j JOBS] [-t SECONDS] [-B BUILD] [-o OUT] [-- QEMU-COMMAND...]" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    -n) boots=${2:?}; shift 2 ;;
    -j) jobs=${2:?}; shift 2 ;;
    -t) seconds=${2:?}; shift 2 ;;
    -B) build=${2:?}; shift 2 ;;
    -o) out=${2:?}; shift 2 ;;
    --) shift; break ;;
    -h | --help) usage ;;
    *) echo "bootloop: unknown argument: $1" >&2; usage ;;
    esac
done
case $boots$jobs$seconds in
*[!0-9]*) echo "bootloop: -n, -j and -t take numbers" >&2; exit 2 ;;
esac
if [ "$jobs" -lt 1 ]; then
    echo "bootloop: -j must be at least 1" >&2
    exit 2
fi
out=${out:-$build/soak}

if [ $# -gt 0 ]; then
    qemu=("$@")
elif [ -f "$build/soak/qemu-command.txt" ]; then
    mapfile -t qemu <"$build/soak/qemu-command.txt"
else
    echo "bootloop: no QEMU command given and no $build/soak/qemu-command.txt (configure first)" >&2
    exit 2
fi

# The number of harts that must come up: the -smp argument.
harts=
for ((i = 0; i + 1 < ${#qemu[@]}; i++)); do
    if [ "${qemu[i]}" = -smp ]; then
        harts=${qemu[i + 1]}
    fi
done
case $harts in
'' | *[!0-9]*) echo "bootloop: the QEMU command needs a plain '-smp N'" >&2; exit 2 ;;
esac
online="harts online: $harts of $harts"

work=$out/work-boot
failures=$out/failures
rm -rf "$work"
mkdir -p "$work" "$failures"
rm -f "$failures"/boot-*.log

# boot N: one boot; leaves work/N.ok, or work/N.fail holding one reason a
# line (each starting with its kind) and the log in failures/.
boot() {
    local n=$1 log=$work/$1.log status=0 got last
    local why=()
    timeout -k 5 "$seconds" "${qemu[@]}" -append "$cmdline" </dev/null >"$log" 2>&1 || status=$?
    case $status in
    0) ;;
    124 | 137) why+=("hang: no exit within ${seconds}s") ;;
    *) why+=("exit: QEMU exited with status $status") ;;
    esac
    if ! grep -qF "$online" "$log"; then
        got=$(tr -d '\r' <"$log" | grep -oE 'harts online: [0-9]+ of [0-9]+' | head -n 1) || true
        why+=("harts: no '$online' (${got:-no harts line at all})")
    fi
    if ! grep -qF "$verdict" "$log"; then
        got=$(tr -d '\r' <"$log" | grep -E '^selftest: FAIL' | head -n 1) || true
        why+=("verdict: no '$verdict'${got:+ ($got)}")
    fi
    if [ ${#why[@]} = 0 ]; then
        rm -f "$log"
        : >"$work/$n.ok"
        return 0
    fi
    # Short of harts at boot, yet the selftest (which runs later) found them
    # all: a hart that came up after the kernel stopped waiting for it.
    case ${why[*]} in
    *"harts: no"*"harts online: "*)
        if grep -qF "$verdict" "$log"; then
            why+=("late: a hart came up after the boot-time wait; the selftest saw all $harts")
        fi
        ;;
    esac
    last=$(tr -d '\r' <"$log" | grep -v '^[[:space:]]*$' | tail -n 1) || true
    # The signature of the firmware race: the output ends at the line the
    # kernel prints just before it starts the other harts.
    case $last in
    "fork policy: "*) why+=("silent: the output stops right after '$last'") ;;
    esac
    printf '%s\n' "${why[@]}" >"$work/$n.fail"
    {
        echo
        echo "bootloop: boot $n FAILED; QEMU command: ${qemu[*]} -append \"$cmdline\""
        printf 'bootloop:   %s\n' "${why[@]}"
    } >>"$log"
    mv "$log" "$failures/boot-$n.log"
    local joined
    joined=$(printf '%s; ' "${why[@]}")
    printf 'bootloop: boot %d FAILED (%slast line: %s): %s\n' "$n" "$joined" "${last:-none}" "$failures/boot-$n.log"
}

# On Ctrl-C or TERM, stop the boots under way: each runs under `timeout`
# (in its own process group), which passes the signal on to QEMU.
stop() {
    local p
    for p in $(jobs -p); do
        pkill -TERM -P "$p" 2>/dev/null || true
        kill -TERM "$p" 2>/dev/null || true
    done
    echo "bootloop: interrupted" >&2
    exit 130
}
trap stop INT TERM

start=$SECONDS
running=0
step=$(((boots + 3) / 4))
for ((n = 1; n <= boots; n++)); do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
    boot "$n" &
    running=$((running + 1))
    if [ $((n % step)) = 0 ] && [ "$n" != "$boots" ]; then
        echo "bootloop: $n of $boots boots started ($((SECONDS - start))s)"
    fi
done
wait

# Count. A boot that left no result at all (its shell died) fails too.
fails=0 hang=0 exitst=0 lost=0 late=0 noverdict=0 silent=0 noresult=0
for ((n = 1; n <= boots; n++)); do
    if [ -f "$work/$n.ok" ]; then
        continue
    fi
    fails=$((fails + 1))
    if [ ! -f "$work/$n.fail" ]; then
        noresult=$((noresult + 1))
        echo "bootloop: boot $n left no result"
        continue
    fi
    if grep -q '^hang:' "$work/$n.fail"; then hang=$((hang + 1)); fi
    if grep -q '^exit:' "$work/$n.fail"; then exitst=$((exitst + 1)); fi
    if grep -q '^harts:' "$work/$n.fail"; then lost=$((lost + 1)); fi
    if grep -q '^verdict:' "$work/$n.fail"; then noverdict=$((noverdict + 1)); fi
    if grep -q '^silent:' "$work/$n.fail"; then silent=$((silent + 1)); fi
    if grep -q '^late:' "$work/$n.fail"; then late=$((late + 1)); fi
done
rm -rf "$work"

echo "bootloop: $boots boots of '${qemu[*]} -append \"$cmdline\"', $jobs at a time, in $((SECONDS - start))s"
echo "bootloop: failed boots by reason (one boot may have several): hang $hang, exit status $exitst," \
    "harts missing $lost (late $late), no verdict $noverdict, stopped after 'fork policy' $silent, no result $noresult"
if [ "$fails" != 0 ]; then
    echo "bootloop: logs of the failed boots in $failures"
fi
echo "bootloop: $boots boots, $fails failures"
[ "$fails" = 0 ]
