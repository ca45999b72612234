#!/usr/bin/env bash
# Crash safety of the disk file system: cuts the power at every disk write
# of a workload in turn, and checks what is left.
#   crashtest.sh RVFS LOGDIR qemu-command...
# For N = 1, 2, 3, ...: a fresh rvfs image; boot 1 runs the workload
# (tests/guest/dfs.c, crash_run) with crash.after=N, so the machine powers
# off when its Nth block write is about to go out; then rvfs fsck must find
# the image clean (a committed log is checked as recovered), and boot 2
# (crash_check) mounts it, recovering the log, and checks that every step
# of the workload is there whole or not at all, and that the steps done
# are a prefix of the sequence. N grows until the workload finishes
# without a cut; the summary gives the counts. Any failure stops the run.
set -u
rvfs=$1 logdir=$2
shift 2
mkdir -p "$logdir"
img=$(mktemp "$logdir/crash.XXXXXX.img")
trap 'rm -f "$img"' EXIT
run() {
    local log=$1 cmdline=$2
    shift 2
    timeout 120 "${qemu[@]}" -drive "file=$img,if=none,format=raw,id=disk0" -device virtio-blk-device,drive=disk0 \
        -append "$cmdline" </dev/null >"$log" 2>&1
}
qemu=("$@")
declare -A states
n=1 runs=0
while :; do
    "$rvfs" mkfs "$img" 4M || exit 1
    log1=$logdir/crash.$n.run.log log2=$logdir/crash.$n.check.log
    run "$log1" "testmode crash.after=$n init=/tests/dfs -- crash_run"
    st=$?
    runs=$((runs + 1))
    if [ $st -eq 0 ] && grep -q 'test crash_run: passed' "$log1"; then
        finished=1
    elif [ $st -eq 99 ] && grep -q "crash.after=$n: power cut" "$log1"; then
        finished=0
    else
        echo "crashtest: FAIL: N=$n: the workload boot ended with status $st (see $log1)"
        exit 1
    fi
    if ! "$rvfs" fsck "$img" >"$logdir/crash.$n.fsck" 2>&1; then
        echo "crashtest: FAIL: N=$n: fsck after the cut:"
        cat "$logdir/crash.$n.fsck"
        exit 1
    fi
    run "$log2" "testmode init=/tests/dfs -- crash_check"
    st=$?
    runs=$((runs + 1))
    if [ $st -ne 0 ] || ! grep -q 'test crash_check: passed' "$log2"; then
        echo "crashtest: FAIL: N=$n: the check after recovery failed (status $st, see $log2)"
        exit 1
    fi
    if ! "$rvfs" fsck "$img" >>"$logdir/crash.$n.fsck" 2>&1; then
        echo "crashtest: FAIL: N=$n: fsck after recovery"
        exit 1
    fi
    s=$(sed -n 's/^crash state: \([0-9]*\) of.*/\1/p' "$log2")
    states[$s]=$((${states[$s]:-0} + 1))
    recovered=$(grep -o 'log: [0-9]* blocks recovered' "$log2")
    echo "N=$n: $([ $finished = 1 ] && echo "no cut (workload done)" || echo "cut"); after recovery: $s steps done ($recovered)"
    [ $finished = 1 ] && break
    n=$((n + 1))
done
summary="crashtest: $((n - 1)) cut points (every block write of the workload), $runs boots, $((2 * n)) fsck runs: all consistent"
for s in $(echo "${!states[@]}" | tr ' ' '\n' | sort -n); do
    summary="$summary; state $s seen ${states[$s]} times"
done
echo "$summary"
