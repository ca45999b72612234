#!/usr/bin/env bash
# `ninja fsbench` (cmake/bench.cmake) runs this: /bench/fsbench on a fresh
# rvfs image, once under -icount shift=0 (guest instructions) and once on
# the wall clock, one hart each. Writes OUT/fs-summary.md (also printed).
# Never fails on speed; fails only if a boot does not run to completion.
#
# usage: scripts/fsbench.sh OUT MIB RVFS QEMU-COMMAND...   (no -append, no -icount)
set -uo pipefail
out=$1 mib=$2 rvfs=$3
shift 3
qemu=("$@")
mkdir -p "$out/logs"
img=$out/fsbench.img
raw=$out/fs-raw.txt
: >"$raw"
failed=0
. "$(dirname "$0")/bench-disk-lib.sh"
bench_disk_boots fsbench fs "${RVOS_BENCH_TIMEOUT:-900}" "$rvfs" mkfs "$img" "$((mib * 2 + 8))M"
"$rvfs" fsck "$img" >/dev/null || { echo "fsbench: the image is not clean afterwards" >&2; failed=1; }
rm -f "$img"

awk -v mib="$mib" '
# clock BENCH fs KIND BLOCKS NS HITS MISSES READS WRITES COMMITS LOGGED
{ k = $1 " " $4; b[k] = $5; ns[k] = $6; h[k] = $7; m[k] = $8; rd[k] = $9; wr[k] = $10; c[k] = $11; lg[k] = $12 }
function grp(x,    s) { s = sprintf("%.0f", x); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); return s }
END {
    print "### rvfs at /disk: a " mib " MiB file and 1,000 small files (one hart)\n"
    print "| phase | units | icount: instructions + idle | icount: per unit | cache hits | misses | hit rate | device reads | device writes | transactions | blocks logged | wall: ms | wall: per unit (us) |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    split("write read files", order, " ")
    for (i = 1; i <= 3; i++) {
        p = order[i]; a = "icount " p; w = "wall " p
        if (!(a in ns)) continue
        unit = p == "files" ? " files" : " blocks"
        hr = h[a] + m[a] ? sprintf("%.1f%%", 100 * h[a] / (h[a] + m[a])) : "-"
        printf "| %s | %s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p, grp(b[a]), unit, grp(ns[a]), grp(ns[a] / b[a]),
            grp(h[a]), grp(m[a]), hr, grp(rd[a]), grp(wr[a]), grp(c[a]), grp(lg[a]), grp(ns[w] / 1e6), grp(ns[w] / 1e3 / b[w])
    }
}' "$raw" | tee "$out/fs-summary.md"
exit $failed
