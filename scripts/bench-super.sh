#!/usr/bin/env bash
# `ninja bench` runs this after scripts/bench-vm.sh: /bench/superbench
# (superpages, userland/bench/superbench.c) under each fork policy (cow,
# copy, odf) with mm.superpages=on and off, one hart, -icount shift=0:
# a 64 MiB sbrk + a store to each page, a second pass of stores, a fork
# of the 64 MiB parent, and a fork whose child writes one page per 2 MiB.
# Appends rows super_WHAT to OUT/results.csv and a table to
# OUT/summary.md (guest instructions). Never fails on speed; fails only if
# a guest does not run to completion.
#
# usage: scripts/bench-super.sh OUT "SUPERBENCH ARGS" QEMU-COMMAND...
set -uo pipefail
if [ $# -lt 3 ]; then
    echo "usage: $0 OUT SUPERBENCH-ARGS QEMU-COMMAND..." >&2
    exit 2
fi
out=$1 args=$2
shift 2
qemu=("$@")
mkdir -p "$out/logs"
raw=$out/super-raw.txt
: >"$raw"
failed=0
. "$(dirname "$0")/bench-icount-lib.sh"
for fork in cow copy odf; do
    for super in on off; do
        bench_icount_boot superbench "$out/logs/icount-$fork-super-$super.log" super \
            "mm.fork=$fork mm.superpages=$super init=/bench/superbench -- $args"
    done
done
# BENCH super WHAT POLICY SUPER COUNT NS EXTRA
csv=$out/results.csv
[ -f "$csv" ] || echo "clock,benchmark,policy,size,count,value" >"$csv"
awk '{ printf "icount,super_%s,%s,%s,%s,%s\n", $3, $4, $5, $6, $7 }' "$raw" >>"$csv"
md=$out/summary.md
{
    echo
    echo "### superpages: guest instructions, 64 MiB heap (\`-icount shift=0\`, 1 hart; on / off)"
    echo
    echo "| operation | cow on | cow off | copy on | copy off | odf on | odf off |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    awk '
        { v[$3, $4, $5] = $7; n[$3] = $6 }
        function num(x,   s, r) { s = sprintf("%d", x); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } return s r }
        function row(label, w, div,   p, s, out) {
            out = "| " label
            split("cow copy odf", p, " ")
            for (i = 1; i <= 3; i++) for (s = 1; s >= 0; s--)
                out = out " | " (((w, p[i], s) in v) ? num(v[w, p[i], s] / div) : "n/a")
            print out " |"
        }
        END {
            row("sbrk + a store to each page, total", "sbrk", 1)
            row("a second store to each page, total", "touch", 1)
            row("fork + exit + wait, per fork", "fork", n["fork"])
            row("fork + a store per 2 MiB in the child + exit + wait, per fork", "write", n["write"])
        }' "$raw"
} | tee -a "$md"
exit $failed
