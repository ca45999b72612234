#!/usr/bin/env bash
# `ninja bench` runs this after scripts/bench.sh: /bench/vmbench (demand
# paging and mmap, userland/bench/vmbench.c) under each allocation policy
# (eager, lazy) with the cow fork policy, one hart, -icount shift=0, and
# appends its figures to OUT/results.csv and a table to OUT/summary.md
# (guest instructions per operation). Never fails on speed; fails only if
# a guest does not run to completion.
#
# usage: scripts/bench-vm.sh OUT "VMBENCH ARGS" QEMU-COMMAND...
set -uo pipefail
if [ $# -lt 3 ]; then
    echo "usage: $0 OUT VMBENCH-ARGS QEMU-COMMAND..." >&2
    exit 2
fi
out=$1 args=$2
shift 2
qemu=("$@")
mkdir -p "$out/logs"
raw=$out/vm-raw.txt
: >"$raw"
failed=0
. "$(dirname "$0")/bench-icount-lib.sh"
for alloc in eager lazy; do
    bench_icount_boot vmbench "$out/logs/icount-$alloc-vmbench.log" vm \
        "mm.fork=cow mm.alloc=$alloc init=/bench/vmbench -- $args"
done
# BENCH vm WHAT POLICY COUNT NS EXTRA -> csv rows and one table
csv=$out/results.csv
[ -f "$csv" ] || echo "clock,benchmark,policy,size,count,value" >"$csv"
awk '{ printf "icount,vm.%s,%s,0,%s,%.0f\n", $3, $4, $5, $5 ? $6 / $5 : 0 }' "$raw" >>"$csv"
md=$out/summary.md
{
    echo
    echo "### demand paging and mmap: guest instructions per operation (\`-icount shift=0\`, 1 hart, mm.fork=cow)"
    echo
    echo "| operation | eager | lazy |"
    echo "| --- | ---: | ---: |"
    awk '
        { v[$3, $4] = $5 ? $6 / $5 : 0; x[$3, $4] = $7; n[$3, $4] = $5; seen[$3] = 1 }
        function num(x,   s, r) { s = sprintf("%d", x); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } return s r }
        function cell(w, p) { return ((w, p) in v) ? num(v[w, p]) : "n/a" }
        END {
            printf "| lazy fault (sbrklazy page, first store), per page | %s | %s |\n", cell("lazyfault", "eager"), cell("lazyfault", "lazy")
            printf "| sbrk 64 MiB + a store to each page, total | %s | %s |\n", num(v["sbrk64", "eager"] * n["sbrk64", "eager"]), num(v["sbrk64", "lazy"] * n["sbrk64", "lazy"])
            printf "| fork + exec + exit + wait, 64-page data image | %s | %s |\n", cell("exec", "eager"), cell("exec", "lazy")
            printf "| pages exec read from the file, per exec | %d | %d |\n", x["exec", "eager"], x["exec", "lazy"]
            printf "| mmap read fault (private file mapping), per page | %s | %s |\n", cell("mmapread", "eager"), cell("mmapread", "lazy")
            printf "| munmap write-back, per dirty page | %s | %s |\n", cell("writeback", "eager"), cell("writeback", "lazy")
        }' "$raw"
} | tee -a "$md"
exit $failed
