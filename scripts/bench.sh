#!/usr/bin/env bash
# `ninja bench` (cmake/bench.cmake) runs this. It boots QEMU once per
# benchmark program (/bench/forkbench, /bench/faultbench, /bench/microbench), fork policy (cow,
# copy, odf: the list `policies` below, or RVOS_BENCH_POLICIES) and clock
# (icount, wall), keeps each serial log, collects the
# guest's "BENCH ..." lines (format in userland/bench/bench.h) and writes
#
#   OUT/results.csv     one row per figure
#   OUT/summary.md      the tables, also printed at the end
#   OUT/fork_cost.png   fork cost against parent size, every policy
#   OUT/logs/           the serial output of every boot
#
# usage: scripts/bench.sh OUT "FORKBENCH ARGS" "FAULTBENCH ARGS" "MICROBENCH ARGS" QEMU-COMMAND...
# The QEMU command carries no -append and no -icount: this script adds
# -icount shift=0 for the instruction-count runs (one nanosecond of
# virtual time per guest instruction) and nothing for the wall-clock runs.
# Benchmarks never fail on speed; the script fails only if a guest does
# not run to completion.
set -uo pipefail

if [ $# -lt 5 ]; then
    echo "usage: $0 OUT FORKBENCH-ARGS FAULTBENCH-ARGS MICROBENCH-ARGS QEMU-COMMAND..." >&2
    exit 2
fi
out=$1 fork_args=$2 fault_args=$3 micro_args=$4
shift 4
qemu=("$@")
timeout_s=${RVOS_BENCH_TIMEOUT:-600}
# The fork policies, in table order. The first is the baseline every other
# one is compared with ("copy / cow"); the cow-only rows (COW faults,
# targets) read the policy named cow.
read -r -a policies <<<"${RVOS_BENCH_POLICIES:-cow copy odf}"

mkdir -p "$out/logs"
raw=$out/raw.txt
: >"$raw"
failed=0

# run CLOCK POLICY PROGRAM ARGS: one boot; appends "CLOCK BENCH ..." lines.
run() {
    local clock=$1 policy=$2 prog=$3 args=$4
    local log=$out/logs/$clock-$policy-$prog.log flags=()
    [ "$clock" = icount ] && flags=(-icount shift=0)
    local start=$SECONDS
    timeout -k 5 "$timeout_s" "${qemu[@]}" "${flags[@]}" \
        -append "mm.fork=$policy init=/bench/$prog -- $args" </dev/null >"$log" 2>&1
    local status=$?
    printf 'bench: %-6s %-4s %-10s %3ds  exit %d\n' "$clock" "$policy" "$prog" $((SECONDS - start)) "$status"
    if [ "$status" != 0 ]; then
        echo "bench: FAILED: $prog under $policy ($clock) exited with $status; see $log" >&2
        failed=1
    fi
    tr -d '\r' <"$log" | awk -v clock="$clock" '/^BENCH / { print clock, $0 }' >>"$raw"
}

for clock in icount wall; do
    for policy in "${policies[@]}"; do
        run "$clock" "$policy" forkbench "$fork_args"
        run "$clock" "$policy" faultbench "$fault_args"
        run "$clock" "$policy" microbench "$micro_args"
    done
done

# ---------------------------------------------------------------- tables
# One awk program turns the raw lines into the CSV, the plot data and the
# markdown summary. Costs are instructions (icount) or nanoseconds (wall).
awk -v csv="$out/results.csv" -v dat="$out/fork_cost.dat" -v tgt="$out/targets.dat" -v md="$out/summary.md" \
    -v policies="${policies[*]}" '
function grp(x,    s, neg) {   # 1234567 -> 1,234,567
    neg = x < 0; if (neg) x = -x
    s = sprintf("%d", x + 0.5)
    while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
    return (neg ? "-" : "") s
}
function num(x, d) {
    if (x == "") return "n/a"
    if (d && x > -0.05 && x < 0.05) x = 0   # no "-0.0"
    return d ? sprintf("%." d "f", x) : grp(x)
}
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "n/a" : sprintf("%.1f", a / b) }
function us(x) { return x == "" ? "n/a" : sprintf("%.1f", x / 1000) }
function perpage(x, r) { return (x == "" || r == "" || r == 0) ? "n/a" : sprintf("%.1f", x / r) }
function row(c, p, b, mib, res, it, cost, pp, faults, unit) {
    printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", c, p, b, mib, res, it, cost, pp, faults, unit >> csv
}
function verdict(x, lim) { return x == "" ? "n/a" : (x <= lim ? "met" : "missed") }
# cost per iteration of loop KIND (exit, exec, one, all), or "" if not measured
function cost(kind, c, p, m,    k) {
    k = c SUBSEP p SUBSEP m
    if (kind == "exit") return (k in fexit) ? fexit[k] : ""
    if (kind == "exec") return (k in fexec) ? fexec[k] : ""
    if (kind == "one") return (k in tone) ? tone[k] : ""
    return (k in tall) ? tall[k] : ""
}
function loops(kind, c, p, m,    k) {
    k = c SUBSEP p SUBSEP m
    if (kind == "exit" || kind == "exec") return (k in iters) ? iters[k] : 0
    if (kind == "one") return (k in tone_n) ? tone_n[k] : 0
    return (k in tall_n) ? tall_n[k] : 0
}
# one CSV row for loop KIND at size m
function fork_row(c, p, kind, name, m, unit,    v) {
    v = cost(kind, c, p, m)
    row(c, p, name, m, res[m], v == "" ? 0 : loops(kind, c, p, m), v == "" ? "n/a" : sprintf("%.0f", v),
        perpage(v, res[m]), "", unit)
}
# table cells "| base | p2 | p2 / base | p3 | p3 / base ..." for loop KIND at size m;
# f formats a figure: "us" (ns to microseconds) or "" (grouped integer)
function cmp_head(label,    i, s) {
    s = "| " pol[1] ": " label
    for (i = 2; i <= np; i++) s = s " | " pol[i] ": " label " | " pol[i] " / " pol[1]
    return s
}
function cmp_cells(c, kind, m, f,    i, a, b, s) {
    a = cost(kind, c, pol[1], m)
    s = "| " (f == "us" ? us(a) : num(a))
    for (i = 2; i <= np; i++) {
        b = cost(kind, c, pol[i], m)
        s = s " | " (f == "us" ? us(b) : num(b)) " | " ratio(b, a)
    }
    return s
}
function align(n,    s) { s = ""; while (n-- > 0) s = s " ---: |"; return s }
$2 != "BENCH" { next }
$3 == "fork" {   # clock BENCH fork POLICY MIB RESIDENT ITERS EXIT_NS EXEC_NS
    c = $1; p = $4; m = $5
    if (!((c, m) in seen)) { seen[c, m] = 1; if (c == "icount") sizes[++nsizes] = m }
    res[m] = $6
    if ($7 > 0) { fexit[c, p, m] = $8 / $7; fexec[c, p, m] = $9 / $7; iters[c, p, m] = $7 }
    next
}
$3 == "touch" {  # clock BENCH touch POLICY MIB RESIDENT ITERS ONE_NS ALL_ITERS ALL_NS
    c = $1; p = $4; m = $5
    if ($7 > 0 && $8 >= 0) { tone[c, p, m] = $8 / $7; tone_n[c, p, m] = $7 }
    if ($9 > 0 && $10 >= 0) { tall[c, p, m] = $10 / $9; tall_n[c, p, m] = $9 }
    next
}
$3 == "resident" { rcheck[$5] = $6 " " $7; next }
$3 == "fault" {  # clock BENCH fault POLICY KIND PAGES ROUNDS TOTAL_NS FAULTS
    n = $6 * $7; tot[$1, $4, $5] = $8; cnt[$1, $4] = n; flt[$1, $4, $5] = $9; next
}
$3 == "calib" { calib[$1, $4] = $6 / $5; calib_n[$1, $4] = $5; next }
$3 == "micro" {  # clock BENCH micro POLICY OP ITERS TOTAL_NS
    if ($6 > 0 && $7 >= 0) { micro[$1, $4, $5] = $7 / $6; micro_n[$1, $4, $5] = $6 }
    next
}
END {
    np = split(policies, pol, " ")
    # microbench: its operation names, their CSV names, the table labels,
    # and the reference figures quoted from issue 21 (classic xv6 and
    # Linux 6.1, measured by the author of the issue on this QEMU under icount;
    # the Linux yield figure is our estimate, see docs/benchmarks.md)
    nmicro = split("getpid pipe_rt fork_exec sbrk yield_rt", mop, " ")
    split("getpid pipe_round_trip fork_exec_nop_wait sbrk_store_shrink yield_round_trip", mcsv, " ")
    split("getpid() (raw ecall)|pipe round trip, 1 byte each way|fork + exec of /bench/nop + wait|sbrk(4096) + store + sbrk(-4096)|sched_yield ping-pong round trip (2 switches)", mlabel, "|")
    split("1,131|95,826|1,460,867|40,580|n/a", mxv6, "|")
    split("171|5,672|195,785|12,809|~2,500 (estimate)", mlinux, "|")
    split("160|5000|||2500", mtarget, "|")
    split("icount wall", clk, " ")
    print "clock,policy,benchmark,parent_mib,resident_pages,iterations,cost,cost_per_resident_page,faults_counted,unit" > csv
    for (ci = 1; ci <= 2; ci++) {
        c = clk[ci]; unit = ci == 1 ? "instructions" : "ns"
        for (pi = 1; pi <= np; pi++) {
            p = pol[pi]
            for (i = 1; i <= nsizes; i++) {
                m = sizes[i]
                fork_row(c, p, "exit", "fork_exit_wait", m, unit)
                fork_row(c, p, "exec", "fork_exec_wait", m, unit)
                fork_row(c, p, "one", "fork_touch_2mib_wait", m, unit)
                fork_row(c, p, "all", "fork_touch_pages_wait", m, unit)
            }
            if ((c, p) in cnt) {
                n = cnt[c, p]; w = tot[c, p, "write"]
                fc[c, p] = (tot[c, p, "copy"] - w) / n; fr[c, p] = (tot[c, p, "reuse"] - w) / n; fw[c, p] = w / n
                row(c, p, "fault_copy", "", "", n, sprintf("%.1f", fc[c, p]), "", flt[c, p, "copy"], unit)
                row(c, p, "fault_reuse", "", "", n, sprintf("%.1f", fr[c, p]), "", flt[c, p, "reuse"], unit)
                row(c, p, "store_no_fault", "", "", n, sprintf("%.1f", fw[c, p]), "", flt[c, p, "write"], unit)
            }
            if ((c, p) in calib)
                row(c, p, "calibration", "", "", calib_n[c, p], sprintf("%.4f", calib[c, p]), "", "", "ns_per_instruction")
            for (k = 1; k <= nmicro; k++)
                if ((c, p, mop[k]) in micro)
                    row(c, p, mcsv[k], "", "", micro_n[c, p, mop[k]], sprintf("%.1f", micro[c, p, mop[k]]), "", "", unit)
        }
    }

    # plot data: resident MiB, then per policy the cost per fork (exit, then
    # exec) and the same per resident page; icount figures
    split("exit exec", kinds, " ")
    line = "# mib resident_mib"
    for (pp = 0; pp <= 1; pp++) for (k = 1; k <= 2; k++) for (pi = 1; pi <= np; pi++)
        line = line " " pol[pi] "_" kinds[k] (pp ? "_pp" : "")
    print line > dat
    for (i = 1; i <= nsizes; i++) {
        m = sizes[i]; line = m " " sprintf("%.3f", res[m] * 4096 / 1048576)
        for (pp = 0; pp <= 1; pp++) for (k = 1; k <= 2; k++) for (pi = 1; pi <= np; pi++) {
            v = cost(kinds[k], "icount", pol[pi], m)
            line = line " " (v == "" ? "n/a" : pp ? sprintf("%.1f", v / res[m]) : sprintf("%.0f", v))
        }
        print line > dat
    }
    # the two fork targets, placed at the resident size they are about
    printf "" > tgt
    if (0 in res) printf "%.3f 60000\n", res[0] * 4096 / 1048576 > tgt
    if (64 in res) printf "%.3f 1500000\n", res[64] * 4096 / 1048576 > tgt

    # ---- the summary
    print "### fork: guest instructions per fork (`-icount shift=0`)\n" > md
    for (t = 1; t <= 2; t++) {
        kind = kinds[t]
        print "**" (t == 1 ? "fork + exit + wait" : "fork + exec + wait") "**\n" > md
        line = "| parent heap | resident pages"
        for (pi = 1; pi <= np; pi++)
            line = line " | " pol[pi] ": instructions | " pol[pi] ": per resident page" (pi > 1 ? " | " pol[pi] " / " pol[1] : "")
        print line " |" > md
        print "|" align(2 + 3 * np - 1) > md
        for (i = 1; i <= nsizes; i++) {
            m = sizes[i]; a = cost(kind, "icount", pol[1], m)
            line = "| " m " MiB | " grp(res[m])
            for (pi = 1; pi <= np; pi++) {
                b = cost(kind, "icount", pol[pi], m)
                line = line " | " num(b) " | " perpage(b, res[m]) (pi > 1 ? " | " ratio(b, a) : "")
            }
            print line " |" > md
        }
        # marginal cost of one more resident page: slope between the two largest sizes
        if (nsizes >= 2) {
            m1 = sizes[nsizes - 1]; m2 = sizes[nsizes]; dr = res[m2] - res[m1]
            line = "\nMarginal cost of one more resident page (" m1 " to " m2 " MiB):"
            for (pi = 1; pi <= np; pi++) {
                a = cost(kind, "icount", pol[pi], m1); b = cost(kind, "icount", pol[pi], m2)
                line = line " " pol[pi] " " (a == "" || b == "" || dr <= 0 ? "n/a" : sprintf("%.1f", (b - a) / dr)) (pi < np ? "," : ".")
            }
            print line "\n" > md
        }
    }

    print "### fork: the child writes before it exits (guest instructions per fork + write + exit + wait)\n" > md
    print "| parent heap " cmp_head("one byte per 2 MiB") " " cmp_head("every page") " |" > md
    print "| ---: |" align(2 * (2 * np - 1)) > md
    for (i = 1; i <= nsizes; i++) {
        m = sizes[i]
        print "| " m " MiB " cmp_cells("icount", "one", m) " " cmp_cells("icount", "all", m) " |" > md
    }
    print "\n\"One byte per 2 MiB\" is the first write through each level-0 table of the heap; \"every page\"" > md
    print "writes one byte to each heap page. The 0 MiB row has no heap: the child writes nothing.\n" > md

    print "### fork: wall-clock microseconds per fork (no icount)\n" > md
    print "| parent heap " cmp_head("exit") " " cmp_head("exec") " |" > md
    print "| ---: |" align(2 * (2 * np - 1)) > md
    for (i = 1; i <= nsizes; i++) {
        m = sizes[i]
        print "| " m " MiB " cmp_cells("wall", "exit", m, "us") " " cmp_cells("wall", "exec", m, "us") " |" > md
    }

    print "\n### page faults: cost of one store (store, trap, handler, return to user mode)\n" > md
    line = "| store"
    for (pi = 1; pi <= np; pi++) line = line " | " pol[pi] ": instructions | " pol[pi] ": wall ns | " pol[pi] ": faults counted"
    print line " |" > md
    print "| --- |" align(3 * np) > md
    split("copy reuse write", fk, " ")
    split("to a shared COW page (copy path)|to a COW page, refcount 1 (reuse path)|to a private writable page (no fault, reference)", fn, "|")
    for (k = 1; k <= 3; k++) {
        line = "| " fn[k]
        for (pi = 1; pi <= np; pi++) {
            p = pol[pi]
            if (!(("icount", p) in cnt)) { line = line " | n/a | n/a | n/a"; continue }
            a = fk[k] == "copy" ? fc["icount", p] : fk[k] == "reuse" ? fr["icount", p] : fw["icount", p]
            w = !(("wall", p) in cnt) ? "" : fk[k] == "copy" ? fc["wall", p] : fk[k] == "reuse" ? fr["wall", p] : fw["wall", p]
            line = line " | " num(a, 1) " | " num(w) " | " flt["icount", p, fk[k]] " of " cnt["icount", p]
        }
        print line " |" > md
    }
    print "\nCopy and reuse rows are net of the reference loop; the reference row is the whole store loop per page." > md
    print "Under the copy policy no store faults: its rows are the same loop, with the reference subtracted.\n" > md

    print "### clock check: a user loop of known length\n" > md
    print "| run | policy | instructions | ns | ns per instruction |" > md
    print "| --- | --- | ---: | ---: | ---: |" > md
    for (ci = 1; ci <= 2; ci++) for (pi = 1; pi <= np; pi++) {
        c = clk[ci]; p = pol[pi]
        if ((c, p) in calib)
            printf "| %s | %s | %s | %s | %.4f |\n", c, p, grp(calib_n[c, p]), grp(calib[c, p] * calib_n[c, p]), calib[c, p] > md
    }
    bad = ""
    for (m in rcheck) { split(rcheck[m], rc, " "); if (rc[1] != rc[2]) bad = bad " " m " MiB (layout " rc[1] ", shared " rc[2] ")" }
    print "\nResident pages: " (bad == "" ? "the layout count agrees with the frames shared after a fork at every size." : "MISMATCH at" bad) > md

    print "\n### system calls, pipes, processes, context switches (guest instructions per operation, `-icount shift=0`)\n" > md
    line = "| operation | classic xv6 (issue 21) | Linux 6.1 (issue 21)"
    for (pi = 1; pi <= np; pi++) line = line " | rvos " pol[pi]
    print line " | rvos cow: wall ns | target |" > md
    print "| --- |" align(3 + np) " --- |" > md
    for (k = 1; k <= nmicro; k++) {
        line = "| " mlabel[k] " | " mxv6[k] " | " mlinux[k]
        for (pi = 1; pi <= np; pi++)
            line = line " | " ((("icount", pol[pi], mop[k]) in micro) ? num(micro["icount", pol[pi], mop[k]]) : "n/a")
        w = (("wall", "cow", mop[k]) in micro) ? num(micro["wall", "cow", mop[k]]) : "n/a"
        print line " | " w " | " (mtarget[k] == "" ? "not slower" : "<= " grp(mtarget[k])) " |" > md
    }
    print "\nReference columns are quoted from issue 21 (same QEMU, `-icount shift=0`, one hart; Linux 6.1 riscv64 with a" > md
    print "minimal uniprocessor configuration, POSIX versions of the same loops); they were not measured by this script." > md
    print "The Linux yield figure is an estimate (docs/benchmarks.md says how it was derived)." > md

    print "\n### targets (cow, guest instructions)\n" > md
    print "| target | limit | measured | verdict |" > md
    print "| --- | ---: | ---: | --- |" > md
    e64 = cost("exit", "icount", "cow", 64); e0 = cost("exit", "icount", "cow", 0)
    printf "| fork + exit + wait, 64 MiB resident | 1,500,000 | %s (%s per resident page) | %s |\n", num(e64),
        perpage(e64, res[64]), verdict(e64, 1500000) > md
    printf "| fork + exit + wait, empty process | 60,000 | %s | %s |\n", num(e0), verdict(e0, 60000) > md
    printf "| COW copy fault | 1,900 | %s | %s |\n", num(fc["icount", "cow"]), verdict(fc["icount", "cow"], 1900) > md
    printf "| COW reuse fault | 450 | %s | %s |\n", num(fr["icount", "cow"]), verdict(fr["icount", "cow"], 450) > md
    for (k = 1; k <= nmicro; k++)
        if (mtarget[k] != "")
            printf "| %s | %s | %s | %s |\n", mlabel[k], grp(mtarget[k]), num(micro["icount", "cow", mop[k]]),
                verdict(micro["icount", "cow", mop[k]], mtarget[k]) > md
}' "$raw"

# ---------------------------------------------------------------- plot
# fork_cost.dat: columns 1-2 the sizes, then one column per policy for each
# of exit, exec, exit per resident page, exec per resident page (the order
# of `policies`). One colour per policy: solid exit, dashed exec.
# plot_clauses FIRST-COLUMN-OFFSET: the clauses of one panel, one per
# policy and loop.
plot_clauses() {
    local base=$1 n=${#policies[@]} i sep=""
    local filled=(7 5 9 13 11) open=(6 4 8 12 10)
    for i in "${!policies[@]}"; do
        printf '%s"%s" using 2:%d with linespoints lw 2 lc %d pt %d title "%s: fork+exit+wait"' \
            "$sep" "$out/fork_cost.dat" $((base + i)) $((i + 1)) "${filled[i % 5]}" "${policies[i]}"
        sep=", "
    done
    for i in "${!policies[@]}"; do
        printf ', "" using 2:%d with linespoints dt 2 lc %d pt %d title "%s: fork+exec+wait"' \
            $((base + n + i)) $((i + 1)) "${open[i % 5]}" "${policies[i]}"
    done
}
if command -v gnuplot >/dev/null; then
    npol=${#policies[@]}
    gnuplot <<EOF
set terminal pngcairo size 1280,520 font "sans,10"
set output "$out/fork_cost.png"
set datafile missing "n/a"
set multiplot layout 1,2 title "rvos fork cost against parent size, policies ${policies[*]} (guest instructions, qemu -icount shift=0, -smp 1)"
set logscale xy
set grid
set key top left
set xlabel "parent resident memory (MiB, log)"
set ylabel "guest instructions per fork (log)"
set format y "%.0s%c"
set xrange [0.05:100]
set title "cost per fork"
plot $(plot_clauses 3), \
     "$out/targets.dat" using 1:2 with points pt 2 ps 2 lc rgb "red" title "cow targets"
set title "cost per resident page"
set ylabel "guest instructions per resident page (log)"
set key bottom left
plot $(plot_clauses $((3 + 2 * npol)))
unset multiplot
EOF
    [ $? = 0 ] || { echo "bench: gnuplot failed" >&2; failed=1; }
else
    echo "bench: gnuplot not found (scripts/setup-debian.sh installs gnuplot-nox): no plot" >&2
fi

echo
cat "$out/summary.md"
echo
echo "bench: wrote $out/results.csv, $out/summary.md, $out/fork_cost.png and $out/logs/"
exit $failed
