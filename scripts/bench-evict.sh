#!/usr/bin/env bash
# `ninja bench` runs this after scripts/bench-vm.sh: /bench/evictbench
# (page replacement, userland/bench/evictbench.c) under each eviction
# policy (fifo, clock, aging), one hart, mm.alloc=lazy, a swap disk (a
# sparse image attached with snapshot=on: it is never written) and
# mm.frames=N capping the frames user pages may hold.
#
#   1. At FRAMES frames, every policy, every pattern: under -icount
#      shift=0 and on the wall clock. Faults, swap-ins, swap-outs and
#      scans per eviction come from memstat and do not depend on the
#      clock; instructions per access do (see docs/benchmarks.md: the
#      hart idles in wfi during swap I/O, and that idle time counts).
#   2. The sweep: one boot per size in SIZES (mm.frames) x policy, every
#      pattern with the same reference strings (the same EVICTBENCH ARGS),
#      giving the fault rate against memory size per policy per pattern.
#
# Appends to OUT/results.csv (rows evict_PATTERN and evict_sweep_PATTERN:
# the resident_pages column holds mm.frames, iterations the accesses,
# cost the instructions (or ns) per access, faults_counted the faults),
# writes OUT/evict.csv (every figure), OUT/evict_PATTERN.dat and the
# plots OUT/evict_loop.png, OUT/evict_random.png, OUT/evict_belady.png,
# and appends the tables to OUT/summary.md. Never fails on speed; fails
# only if a guest does not run to completion.
#
# usage: scripts/bench-evict.sh OUT FRAMES "SIZES" "EVICTBENCH ARGS" QEMU-COMMAND...
set -uo pipefail
if [ $# -lt 5 ]; then
    echo "usage: $0 OUT FRAMES SIZES EVICTBENCH-ARGS QEMU-COMMAND..." >&2
    exit 2
fi
out=$1 frames=$2 sizes=$3 args=$4
shift 4
qemu=("$@")
policies=(fifo clock aging)
patterns=(loop random belady)
mkdir -p "$out/logs"
raw=$out/evict-raw.txt
: >"$raw"
swap=$out/evict-swap.img
rm -f "$swap"
truncate -s 64M "$swap"
failed=0

# run CLOCK POLICY FRAMES TAG: one boot; appends "TAG CLOCK BENCH evict ..." lines.
run() {
    local clock=$1 policy=$2 n=$3 tag=$4 flags=()
    local log=$out/logs/$clock-$policy-$n-evictbench.log
    [ "$clock" = icount ] && flags=(-icount shift=0)
    timeout -k 5 "${RVOS_BENCH_TIMEOUT:-600}" "${qemu[@]}" "${flags[@]}" \
        -drive "file=$swap,if=none,format=raw,id=swap,snapshot=on" -device virtio-blk-device,drive=swap,serial=swap \
        -append "mm.alloc=lazy mm.evict=$policy mm.frames=$n init=/bench/evictbench -- $args" </dev/null >"$log" 2>&1
    local status=$?
    echo "bench: $clock $policy mm.frames=$n evictbench exit $status"
    if [ "$status" != 0 ] || ! grep -q "evictbench: done" "$log"; then
        echo "bench: FAILED: evictbench under mm.evict=$policy mm.frames=$n ($clock); see $log" >&2
        failed=1
    fi
    tr -d '\r' <"$log" | awk -v tag="$tag" -v clock="$clock" '/^BENCH evict / { print tag, clock, $0 }' >>"$raw"
}

for clock in icount wall; do
    for policy in "${policies[@]}"; do
        run "$clock" "$policy" "$frames" main
    done
done
for n in $sizes; do
    for policy in "${policies[@]}"; do
        run icount "$policy" "$n" sweep
    done
done

# Raw line: TAG CLOCK BENCH evict PATTERN POLICY FRAMES ACCESSES FAULTS
#           SWAP_INS SWAP_OUTS EVICTIONS SCANS NS OWN PAGES
csv=$out/results.csv
[ -f "$csv" ] || echo "clock,policy,benchmark,parent_mib,resident_pages,iterations,cost,cost_per_resident_page,faults_counted,unit" >"$csv"
awk '{
    name = ($1 == "sweep" ? "evict_sweep_" : "evict_") $5
    printf "%s,%s,%s,,%s,%s,%.1f,,%s,%s\n", $2, $6, name, $7, $8, $8 ? $14 / $8 : 0, $9, ($2 == "icount" ? "instructions" : "ns")
}' "$raw" >>"$csv"
{
    echo "run,clock,pattern,policy,frames,accesses,faults,swap_ins,swap_outs,evictions,scans,ns,own_pages,pattern_pages"
    awk '{ printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", $1, $2, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 }' "$raw"
} >"$out/evict.csv"

# Plot data: per pattern, one row per size: frames, then the fault rate
# (faults per access) of each policy.
for pattern in "${patterns[@]}"; do
    awk -v pat="$pattern" -v pols="${policies[*]}" '
        $1 == "sweep" && $5 == pat { rate[$7, $6] = $8 ? $9 / $8 : 0; if (!($7 in seen)) { seen[$7] = 1; order[++n] = $7 } }
        END {
            np = split(pols, p, " ")
            line = "# frames"; for (i = 1; i <= np; i++) line = line " " p[i]; print line
            for (k = 1; k <= n; k++) {
                line = order[k]
                for (i = 1; i <= np; i++) line = line " " (((order[k], p[i]) in rate) ? sprintf("%.4f", rate[order[k], p[i]]) : "n/a")
                print line
            }
        }' "$raw" | sort -n >"$out/evict_$pattern.dat"
done

md=$out/summary.md
{
    echo
    echo "### page replacement: evictbench at mm.frames=$frames (one hart, mm.alloc=lazy, swap disk; args: $args)"
    echo
    echo "| pattern | policy | pages | accesses | faults | faults per access | swap-ins | swap-outs | scans per eviction | icount ns per access (instructions + swap I/O idle) | wall ns per access |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    awk -v pats="${patterns[*]}" -v pols="${policies[*]}" '
        function grp(x,    s) { s = sprintf("%d", x + 0.5); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); return s }
        $1 == "main" { k = $5 SUBSEP $6; if ($2 == "icount") { line[k] = $0; ins[k] = $8 ? $14 / $8 : 0 } else wall[k] = $8 ? $14 / $8 : 0 }
        END {
            na = split(pats, a, " "); np = split(pols, p, " ")
            for (i = 1; i <= na; i++) for (j = 1; j <= np; j++) {
                k = a[i] SUBSEP p[j]
                if (!(k in line)) { printf "| %s | %s | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a |\n", a[i], p[j]; continue }
                split(line[k], f, " ")
                printf "| %s | %s | %s | %s | %s | %.3f | %s | %s | %.1f | %s | %s |\n", a[i], p[j], grp(f[16]), grp(f[8]), grp(f[9]),
                    f[8] ? f[9] / f[8] : 0, grp(f[10]), grp(f[11]), f[12] ? f[13] / f[12] : 0, grp(ins[k]), (k in wall) ? grp(wall[k]) : "n/a"
            }
        }' "$raw"
    echo
    echo "The program's own resident pages when each pattern started: $(awk '$1 == "main" && $2 == "icount" { print $15 }' "$raw" | sort -n | uniq | paste -sd/ -) (text, stack, data)."
    echo "The icount figures include the hart's idle time during swap I/O (it follows the host's clock), so only the counts repeat exactly."
    echo
    echo "### page replacement: faults against memory size (mm.frames; one boot per size and policy, same reference strings)"
    echo
    printf "| pattern | policy |"
    for n in $sizes; do printf " %s frames |" "$n"; done
    echo
    printf "| --- | --- |"
    for n in $sizes; do printf " ---: |"; done
    echo
    awk -v pats="${patterns[*]}" -v pols="${policies[*]}" -v sizes="$sizes" '
        $1 == "sweep" { f[$5, $6, $7] = $9; acc[$5] = $8 }
        END {
            na = split(pats, a, " "); np = split(pols, p, " "); ns = split(sizes, s, " ")
            for (i = 1; i <= na; i++) for (j = 1; j <= np; j++) {
                line = "| " a[i] " (" acc[a[i]] " accesses) | " p[j] " |"
                for (k = 1; k <= ns; k++) line = line " " (((a[i], p[j], s[k]) in f) ? f[a[i], p[j], s[k]] : "n/a") " |"
                print line
            }
            # Belady: a larger memory with more faults, per policy
            for (j = 1; j <= np; j++) {
                seen = ""
                for (k = 2; k <= ns; k++)
                    if ((("belady", p[j], s[k]) in f) && (("belady", p[j], s[k - 1]) in f) && f["belady", p[j], s[k]] > f["belady", p[j], s[k - 1]])
                        seen = seen " " s[k - 1] " -> " s[k] " frames: " f["belady", p[j], s[k - 1]] " -> " f["belady", p[j], s[k]] " faults;"
                printf "\n%s, belady pattern: %s", p[j], seen == "" ? "no size has more faults than the size before it (no anomaly)" : "Belady anomaly at" seen
            }
            print ""
        }' "$raw"
    echo
    echo "Plots: evict_loop.png, evict_random.png, evict_belady.png (fault rate against mm.frames, one curve per policy)."
} | tee -a "$md"

if command -v gnuplot >/dev/null; then
    for pattern in "${patterns[@]}"; do
        gnuplot <<EOF
set terminal pngcairo size 900,560 font "sans,10"
set output "$out/evict_$pattern.png"
set datafile missing "n/a"
set title "rvos evictbench, $pattern pattern: page faults per access against memory size\n(mm.frames, one hart, evictbench $args)"
set xlabel "frames user pages may hold (mm.frames)"
set ylabel "page faults per access"
set yrange [0:*]
set grid
set key top right
plot "$out/evict_$pattern.dat" using 1:2 with linespoints lw 2 pt 7 title "fifo", \
     "" using 1:3 with linespoints lw 2 pt 5 title "clock", \
     "" using 1:4 with linespoints lw 2 pt 9 title "aging"
EOF
        [ $? = 0 ] || { echo "bench: gnuplot failed ($pattern)" >&2; failed=1; }
    done
else
    echo "bench: gnuplot not found: no evict plots" >&2
fi
rm -f "$swap"
exit $failed
