#!/usr/bin/env bash
# The soak: `ninja -C build soak` (cmake/soak.cmake) runs this. Three phases,
# one after the other, each repeating something many times:
#
#   suite      the whole default ctest suite, ROUNDS times, `ctest -j JOBS`
#   stormloop  the 4-hart fork-storm pair (scripts/stormloop.sh), STORMS rounds
#   bootloop   `selftest=harts` boots (scripts/bootloop.sh), BOOTS of them
#
# optionally beside HOG busy loops that keep the host's CPUs loaded, to show
# that no verdict depends on host load. Logs of every failed run are kept in
# OUT/failures/ (suite-TEST-ROUND.log, storm-TEST-ROUND.log, boot-N.log,
# and ctest's output of each failed round). It prints one line per phase,
# then exactly one summary line
#
#   soak: N runs, M failures
#
# and exits non-zero if M > 0. See docs/reliability.md.
#
# usage: scripts/soak.sh [--rounds N] [--storms N] [--boots N] [--jobs N] [--hog N]
#                        [-B BUILD] [-o OUT] [-- QEMU-COMMAND...]
# Defaults come from the environment: SOAK_ROUNDS (10), SOAK_STORMS (20),
# SOAK_BOOTS (200), SOAK_JOBS (4), SOAK_HOG (0). A count of 0 skips its phase.
# BUILD defaults to build/ beside scripts/, OUT to BUILD/soak; the QEMU
# command (for the boot loop) to BUILD/soak/qemu-command.txt.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
rounds=${SOAK_ROUNDS:-10}
storms=${SOAK_STORMS:-20}
boots=${SOAK_BOOTS:-200}
jobs=${SOAK_JOBS:-4}
hog=${SOAK_HOG:-0}
build=$here/../build
out=

usage() {
    echo "usage: $0 [--rounds N] [--storms N] [--boots N] [--jobs N] [--hog N] [-B BUILD] [-o OUT] [-- QEMU-COMMAND...]" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    --rounds) rounds=${2:?}; shift 2 ;;
    --storms) storms=${2:?}; shift 2 ;;
    --boots) boots=${2:?}; shift 2 ;;
    --jobs | -j) jobs=${2:?}; shift 2 ;;
    --hog) hog=${2:?}; shift 2 ;;
    -B) build=${2:?}; shift 2 ;;
    -o) out=${2:?}; shift 2 ;;
    --) shift; break ;;
    -h | --help) usage ;;
    *) echo "soak: unknown argument: $1" >&2; usage ;;
    esac
done
case $rounds$storms$boots$jobs$hog in
*[!0-9]*) echo "soak: counts must be numbers" >&2; exit 2 ;;
esac
build=$(cd "$build" && pwd)
out=${out:-$build/soak}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Failures of an earlier soak would be mistaken for this one's.
rm -rf "$out/failures"

# kill_tree, ctest_rounds and cr_interrupt (which ends a running ctest).
# shellcheck source=scripts/ctest-rounds.sh
. "$here/ctest-rounds.sh"

# ---------------------------------------------------------------- the hog
hogs=()
cleanup() {
    if [ ${#hogs[@]} != 0 ]; then
        kill "${hogs[@]}" 2>/dev/null || true
        wait "${hogs[@]}" 2>/dev/null || true
        hogs=()
    fi
}
# Every phase runs in the background and is waited for, so that Ctrl-C or
# TERM reaches this trap at once; it ends the phase's whole process tree
# (down to QEMU) and the hogs.
phase_child=
interrupted() {
    cr_interrupt
    if [ -n "$phase_child" ]; then
        kill_tree "$phase_child"
    fi
    cleanup
    echo "soak: interrupted" >&2
    exit 130
}
trap cleanup EXIT
trap interrupted INT TERM
for ((i = 0; i < hog; i++)); do
    (while :; do :; done) &
    hogs+=($!)
done

commit=$(git -C "$here/.." rev-parse --short HEAD 2>/dev/null) || commit=unknown
if [ -n "$(git -C "$here/.." status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    commit="$commit (with local changes)"
fi
echo "soak: commit $commit; $rounds suite rounds (-j$jobs), $storms storm rounds, $boots boots;" \
    "$hog hog(s); $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
start=$SECONDS

total_runs=0
total_fails=0
report=()

# phase NAME RUNS FAILS WHAT: adds a phase's figures to the totals.
phase() {
    total_runs=$((total_runs + $2))
    total_fails=$((total_fails + $3))
    report+=("$(printf 'soak: %-9s %5d runs, %3d failures  (%s)' "$1" "$2" "$3" "$4")")
}

# loop_phase NAME SCRIPT ARGS...: runs stormloop.sh or bootloop.sh, shows
# its output and reads its last line, "NAME: N boots, M failures". Without
# that line the phase counts as one failure.
loop_phase() {
    local name=$1 script=$2 log=$out/$1.out t0=$SECONDS summary n m
    shift 2
    echo "soak: ---- $name"
    ("$here/$script" "$@" 2>&1 | tee "$log") &
    phase_child=$!
    wait "$phase_child" || true
    phase_child=
    summary=$(sed -nE "s/^$name: ([0-9]+) boots, ([0-9]+) failures\$/\\1 \\2/p" "$log" | tail -n 1)
    if [ -z "$summary" ]; then
        mkdir -p "$out/failures"
        cp "$log" "$out/failures/$name-output.log"
        phase "$name" 0 1 "no summary line; its output is in $out/failures/$name-output.log"
        return
    fi
    read -r n m <<<"$summary"
    phase "$name" "$n" "$m" "$((SECONDS - t0))s"
}

# ---------------------------------------------------------------- phases
if [ "$rounds" != 0 ]; then
    echo "soak: ---- suite"
    t0=$SECONDS
    status=0
    ctest_rounds suite "$rounds" "$jobs" "" "$build" "$out" || status=$?
    if [ "$status" != 0 ]; then
        phase suite 0 1 "ctest could not run"
    else
        phase suite "$CR_RUNS" "$CR_FAILS" "$rounds rounds, $((SECONDS - t0))s"
        for f in "${CR_FAILED[@]}"; do
            report+=("soak:   suite failure: $f")
        done
    fi
fi
if [ "$storms" != 0 ]; then
    loop_phase stormloop stormloop.sh -n "$storms" -B "$build" -o "$out"
fi
if [ "$boots" != 0 ]; then
    loop_phase bootloop bootloop.sh -n "$boots" -B "$build" -o "$out" -- "$@"
fi
cleanup

# ---------------------------------------------------------------- summary
echo "soak: ---- summary (commit $commit, $hog hog(s), $((SECONDS - start))s, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%s\n' "${report[@]}"
if [ "$total_fails" != 0 ]; then
    echo "soak: logs of the failed runs in $out/failures"
fi
echo "soak: $total_runs runs, $total_fails failures"
[ "$total_fails" = 0 ]
