# shellcheck shell=bash
# Sourced by scripts/soak.sh and scripts/stormloop.sh; not a program.
#
# ctest_rounds TAG ROUNDS JOBS REGEX BUILD OUT
#
# Runs the ctest entries of the build tree BUILD (all of them, or those
# whose name matches REGEX if it is not empty) ROUNDS times, each time as
# `ctest -j JOBS --output-on-failure`. Only the default test set runs: the
# soak-only entries exist for `ctest -C soak` alone (docs/reliability.md).
#
# ctest is pointed at a private directory, OUT/work-TAG/ctest, whose
# CTestTestfile.cmake just includes BUILD's. ctest keeps its Testing/ files
# (LastTest.log, cost data) beside the test file it was given, so these
# rounds never overwrite the log of the user's own `ctest` run, and they
# may run inside a ctest entry of the same build tree.
#
# Every failed test run leaves OUT/failures/TAG-TEST-ROUND.log: that test's
# section of ctest's LastTest.log (command line, serial output, verdict).
# A failed round also leaves ctest's own output, OUT/failures/TAG-round-ROUND.log.
# Old TAG-*.log files are removed first.
#
# Results, in globals:
#   CR_RUNS    test runs that ctest reported
#   CR_FAILS   failed runs (a round in which ctest reported no result at
#              all, e.g. because no test matched, counts as one failure)
#   CR_FAILED  one entry per failure: "TEST (STATUS) round R"
#
# The ctest program is $CTEST, or `ctest` from PATH. ctest runs in the
# background and is waited for, so that a signal reaches the caller's trap
# at once; the trap calls cr_interrupt, which ends that ctest and
# everything below it.

# kill_tree PID: sends TERM to PID and every process below it, e.g. ctest,
# run-guest.sh, timeout and QEMU (timeout, in a process group of its own,
# would otherwise let QEMU run on). Each process is stopped before its
# children are listed, so that none can start another one (ctest starts
# the next test when one ends) between the listing and the TERM.
kill_tree() {
    local pids=("$1") i=0 c
    kill -STOP "$1" 2>/dev/null || return 0
    while [ "$i" -lt ${#pids[@]} ]; do
        for c in $(pgrep -P "${pids[i]}"); do
            if kill -STOP "$c" 2>/dev/null; then
                pids+=("$c")
            fi
        done
        i=$((i + 1))
    done
    kill -TERM "${pids[@]}" 2>/dev/null || true
    kill -CONT "${pids[@]}" 2>/dev/null || true
}

CR_CHILD=
cr_interrupt() {
    if [ -n "$CR_CHILD" ]; then
        kill_tree "$CR_CHILD"
        CR_CHILD=
    fi
}

# cr_section LOG NAME: NAME's section of a ctest LastTest.log.
cr_section() {
    awk -v name="$2" '
        /^[0-9]+\/[0-9]+ Testing: / { p = (substr($0, index($0, "Testing: ") + 9) == name) }
        /^End testing:/ { p = 0 }
        p' "$1"
}

# cr_last_line SECTION_FILE: the last line the guest printed before the
# test's verdict (run-guest.sh's own lines and blank lines skipped), which
# shows where a machine stopped; at most 100 characters.
cr_last_line() {
    tr -d '\r' <"$1" | awk '
        /^<end of output>$/ { out = 0 }
        out && !/^run-guest:/ && !/^-+$/ && !/^[[:space:]]*$/ { last = $0 }
        /^Output:$/ { out = 1 }
        END { print substr(last, 1, 100) }'
}

ctest_rounds() {
    local tag=$1 rounds=$2 jobs=$3 regex=$4 build=$5 out=$6
    local work=$out/work-$tag failures=$out/failures
    local scratch=$work/ctest
    local round_out=$work/round.out lastlog=$scratch/Testing/Temporary/LastTest.log
    local ctest_cmd=${CTEST:-ctest}

    if [ ! -f "$build/CTestTestfile.cmake" ]; then
        echo "$tag: $build has no CTestTestfile.cmake (configure and build it first)" >&2
        return 2
    fi
    build=$(cd "$build" && pwd)
    mkdir -p "$scratch" "$failures"
    rm -f "$failures/$tag"-*.log
    # A bracket argument, so that no character of the path needs quoting.
    printf 'subdirs([==[%s]==])\n' "$build" >"$scratch/CTestTestfile.cmake"

    local args=(--test-dir "$scratch" -j "$jobs" --output-on-failure --no-tests=error)
    if [ -n "$regex" ]; then
        args+=(-R "$regex")
    fi

    CR_RUNS=0
    CR_FAILS=0
    CR_FAILED=()
    local r
    for ((r = 1; r <= rounds; r++)); do
        local start=$SECONDS status=0 summary failed total listed=0 name st file last
        rm -f "$lastlog"
        "$ctest_cmd" "${args[@]}" >"$round_out" 2>&1 &
        CR_CHILD=$!
        wait "$CR_CHILD" || status=$?
        CR_CHILD=
        summary=$(sed -nE 's/.*tests passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1 \2/p' "$round_out" | tail -n 1)
        if [ -z "$summary" ]; then
            CR_FAILS=$((CR_FAILS + 1))
            CR_FAILED+=("ctest (no result, exit status $status) round $r")
            cp "$round_out" "$failures/$tag-round-$r.log"
            printf '%s round %d/%d: ctest reported no result (exit status %d): %s\n' \
                "$tag" "$r" "$rounds" "$status" "$failures/$tag-round-$r.log"
            continue
        fi
        read -r failed total <<<"$summary"
        CR_RUNS=$((CR_RUNS + total))
        # "The following tests FAILED:" is followed by lines such as
        # "\t 23 - fork_storm.cow (Timeout)".
        while read -r name st; do
            listed=$((listed + 1))
            file=$failures/$tag-${name//[^A-Za-z0-9._-]/_}-$r.log
            if [ -f "$lastlog" ]; then
                cr_section "$lastlog" "$name" >"$file"
            fi
            last=
            if [ -s "$file" ]; then
                last=$(cr_last_line "$file")
            else
                rm -f "$file"
                file=$failures/$tag-round-$r.log
            fi
            CR_FAILED+=("$name ($st) round $r, last line: ${last:-none}")
            printf '%s round %d/%d: FAILED %s (%s; last line: %s): %s\n' \
                "$tag" "$r" "$rounds" "$name" "$st" "${last:-none}" "$file"
        done < <(sed -nE '/^The following tests FAILED:/,$ s/^[[:space:]]+[0-9]+ - ([^ ]+) \(([^)]*)\).*/\1 \2/p' "$round_out")
        # A failure ctest counted but did not name, or a non-zero exit with
        # nothing failed, still counts (at least once).
        if [ "$failed" -gt "$listed" ]; then
            CR_FAILED+=("unnamed test ($((failed - listed)) unlisted) round $r")
        elif [ "$failed" = 0 ] && [ "$status" != 0 ]; then
            failed=1
            CR_FAILED+=("ctest (exit status $status, no test failed) round $r")
        fi
        CR_FAILS=$((CR_FAILS + failed))
        if [ "$failed" != 0 ]; then
            cp "$round_out" "$failures/$tag-round-$r.log"
        fi
        printf '%s round %d/%d: %d tests, %d failed (%ds)\n' "$tag" "$r" "$rounds" "$total" "$failed" $((SECONDS - start))
    done
}
