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

# Device writes and flushes per operation (/bench/fsops): exact counts,
# the same under any clock, so one boot on a fresh 32 MiB image.
ops_log=$out/logs/fsops.log
"$rvfs" mkfs "$img" 32M >/dev/null || exit 1
timeout -k 5 "${RVOS_BENCH_TIMEOUT:-900}" "${qemu[@]}" -drive "file=$img,if=none,format=raw,id=disk0" \
    -device virtio-blk-device,drive=disk0 -append "init=/bench/fsops -- 200" </dev/null >"$ops_log" 2>&1
grep -q "fsops: done" "$ops_log" || { echo "fsops: FAILED; see $ops_log" >&2; failed=1; }
rm -f "$img"
tr -d '\r' <"$ops_log" | awk '
$1 == "BENCH" && $2 == "fsops" { op[++n] = $3; w[$3] = $5 / $4; f[$3] = $6 / $4 }
END {
    print "\n### rvfs: device writes and flushes per operation (200 of each)\n"
    print "| operation | device writes | flushes |"
    print "| --- | ---: | ---: |"
    for (i = 1; i <= n; i++)
        printf "| %s | %.2f | %.2f |\n", op[i], w[op[i]], f[op[i]]
}' | tee -a "$out/fs-summary.md"
exit $failed
