#!/usr/bin/env bash
# The storm loop: boots the 4-hart fork-storm tests (ctest entries
# fork_storm.cow and fork_storm.copy, and the same on the debug kernel,
# fork_storm.*.debug) ROUNDS times; each round runs them JOBS at a time.
# A boot passes exactly when its ctest entry does (QEMU's exit status and
# the program's verdict line, as in the default suite). The logs of failed
# boots stay in OUT/failures/storm-TEST-ROUND.log. Ends with the line
#
#   stormloop: N boots, M failures
#
# and exits non-zero if M > 0. See docs/reliability.md.
#
# usage: scripts/stormloop.sh [-n ROUNDS] [-j JOBS] [-R REGEX] [-B BUILD] [-o OUT]
#   -n ROUNDS  rounds (default $STORM_ROUNDS, else 25)
#   -j JOBS    boots at a time (default 2)
#   -R REGEX   the ctest entries to boot (default '^fork_storm\.(cow|copy)(\.debug)?$')
#   -B BUILD   the build tree (default: build/ beside scripts/)
#   -o OUT     where failure logs and work files go (default BUILD/soak)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
rounds=${STORM_ROUNDS:-25}
jobs=2
regex='^fork_storm\.(cow|copy)(\.debug)?$'
build=$here/../build
out=

usage() {
    echo "usage: $0 [-n ROUNDS] [-j JOBS] [-R REGEX] [-B BUILD] [-o OUT]" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    -n) rounds=${2:?}; shift 2 ;;
    -j) jobs=${2:?}; shift 2 ;;
    -R) regex=${2:?}; shift 2 ;;
    -B) build=${2:?}; shift 2 ;;
    -o) out=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    *) echo "stormloop: unknown argument: $1" >&2; usage ;;
    esac
done
case $rounds$jobs in
*[!0-9]*) echo "stormloop: -n and -j take numbers" >&2; exit 2 ;;
esac
out=${out:-$build/soak}

# shellcheck source=scripts/ctest-rounds.sh
. "$here/ctest-rounds.sh"
trap 'cr_interrupt; echo "stormloop: interrupted" >&2; exit 130' INT TERM

start=$SECONDS
status=0
ctest_rounds storm "$rounds" "$jobs" "$regex" "$build" "$out" || status=$?
if [ "$status" != 0 ]; then
    echo "stormloop: 0 boots, 1 failures"
    exit 1
fi

echo "stormloop: $rounds rounds of /$regex/, $jobs at a time, in $((SECONDS - start))s"
if [ "$CR_FAILS" != 0 ]; then
    echo "stormloop: failures (logs in $out/failures):"
    printf '  %s\n' "${CR_FAILED[@]}"
fi
echo "stormloop: $CR_RUNS boots, $CR_FAILS failures"
[ "$CR_FAILS" = 0 ]
