#!/usr/bin/env bash
# `ninja diskbench` (cmake/bench.cmake) runs this: /bench/diskbench on a
# scratch disk image, once under -icount shift=0 (figures in guest
# instructions, plus idle time: see docs/benchmarks.md) and once on the
# wall clock, one hart each. Writes OUT/disk-summary.md (also printed) and
# keeps the serial logs in OUT/logs/. Never fails on speed; fails only if a
# boot does not run to completion.
#
# usage: scripts/diskbench.sh OUT MIB QEMU-COMMAND...   (no -append, no -icount)
set -uo pipefail
out=$1 mib=$2
shift 2
qemu=("$@")
mkdir -p "$out/logs"
img=$out/diskbench.img
raw=$out/disk-raw.txt
: >"$raw"
failed=0
. "$(dirname "$0")/bench-disk-lib.sh"
bench_disk_boots diskbench disk "${RVOS_BENCH_TIMEOUT:-600}" truncate -s "$((mib + 1))M" "$img"
rm -f "$img"

awk -v mib="$mib" '
# clock BENCH disk KIND BLOCKS NS READS WRITES IRQS
{ k = $1 " " $4; blocks[k] = $5; ns[k] = $6; rd[k] = $7; wr[k] = $8; irq[k] = $9; kinds[$4] = 1 }
function grp(x,    s) { s = sprintf("%.0f", x); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); return s }
END {
    print "### disk: " mib " MiB sequential through the buffer cache (1 KiB blocks, one hart)\n"
    print "| phase | blocks | device reads | device writes | disk interrupts | icount: ns (instructions + idle) | icount: per block | icount: MiB/s | wall: ms | wall: MiB/s |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    split("write read hit", order, " ")
    for (i = 1; i <= 3; i++) {
        p = order[i]; a = "icount " p; w = "wall " p
        if (!(a in ns) && !(w in ns)) continue
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p, grp(blocks[a]), grp(rd[a]), grp(wr[a]), grp(irq[a]),
            (a in ns) ? grp(ns[a]) : "n/a", (a in ns) ? grp(ns[a] / blocks[a]) : "n/a",
            (a in ns && ns[a] > 0) ? sprintf("%.1f", mib * 1e9 / ns[a]) : "n/a",
            (w in ns) ? sprintf("%.1f", ns[w] / 1e6) : "n/a",
            (w in ns && ns[w] > 0) ? sprintf("%.1f", mib * 1e9 / ns[w]) : "n/a"
    }
}' "$raw" >"$out/disk-summary.md"
echo
cat "$out/disk-summary.md"
exit $failed
