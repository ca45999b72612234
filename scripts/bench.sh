#!/usr/bin/env bash
# `ninja bench` (cmake/bench.cmake) runs this. It boots QEMU once per
# benchmark program (/bench/forkbench, /bench/faultbench), fork policy (cow,
# copy) and clock (icount, wall), keeps each serial log, collects the
# guest's "BENCH ..." lines (format in userland/bench/bench.h) and writes
#
#   OUT/results.csv     one row per figure
#   OUT/summary.md      the tables, also printed at the end
#   OUT/fork_cost.png   fork cost against parent size, both policies
#   OUT/logs/           the serial output of every boot
#
# usage: scripts/bench.sh OUT "FORKBENCH ARGS" "FAULTBENCH ARGS" QEMU-COMMAND...
# The QEMU command carries no -append and no -icount: this script adds
# -icount shift=0 for the instruction-count runs (one nanosecond of
# virtual time per guest instruction) and nothing for the wall-clock runs.
# Benchmarks never fail on speed; the script fails only if a guest does
# not run to completion.
set -uo pipefail

if [ $# -lt 4 ]; then
    echo "usage: $0 OUT FORKBENCH-ARGS FAULTBENCH-ARGS QEMU-COMMAND..." >&2
    exit 2
fi
out=$1 fork_args=$2 fault_args=$3
shift 3
qemu=("$@")
timeout_s=${RVOS_BENCH_TIMEOUT:-600}

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
    for policy in cow copy; do
        run "$clock" "$policy" forkbench "$fork_args"
        run "$clock" "$policy" faultbench "$fault_args"
    done
done

# ---------------------------------------------------------------- tables
# One awk program turns the raw lines into the CSV, the plot data and the
# markdown summary. Costs are instructions (icount) or nanoseconds (wall).
awk -v csv="$out/results.csv" -v dat="$out/fork_cost.dat" -v tgt="$out/targets.dat" -v md="$out/summary.md" '
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
function row(c, p, b, mib, res, it, cost, pp, faults, unit) {
    printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", c, p, b, mib, res, it, cost, pp, faults, unit >> csv
}
function verdict(x, lim) { return x == "" ? "n/a" : (x <= lim ? "met" : "missed") }
$2 != "BENCH" { next }
$3 == "fork" {   # clock BENCH fork POLICY MIB RESIDENT ITERS EXIT_NS EXEC_NS
    c = $1; p = $4; m = $5
    if (!((c, m) in seen)) { seen[c, m] = 1; if (c == "icount") sizes[++nsizes] = m }
    res[m] = $6
    if ($7 > 0) { fexit[c, p, m] = $8 / $7; fexec[c, p, m] = $9 / $7; iters[c, p, m] = $7 }
    next
}
$3 == "resident" { rcheck[$5] = $6 " " $7; next }
$3 == "fault" {  # clock BENCH fault POLICY KIND PAGES ROUNDS TOTAL_NS FAULTS
    n = $6 * $7; tot[$1, $4, $5] = $8; cnt[$1, $4] = n; flt[$1, $4, $5] = $9; next
}
$3 == "calib" { calib[$1, $4] = $6 / $5; calib_n[$1, $4] = $5; next }
END {
    print "clock,policy,benchmark,parent_mib,resident_pages,iterations,cost,cost_per_resident_page,faults_counted,unit" > csv
    for (ci = 1; ci <= 2; ci++) {
        c = ci == 1 ? "icount" : "wall"; unit = ci == 1 ? "instructions" : "ns"
        for (pi = 1; pi <= 2; pi++) {
            p = pi == 1 ? "cow" : "copy"
            for (i = 1; i <= nsizes; i++) {
                m = sizes[i]; r = res[m]
                if ((c, p, m) in fexit) {
                    row(c, p, "fork_exit_wait", m, r, iters[c, p, m], sprintf("%.0f", fexit[c, p, m]),
                        sprintf("%.1f", fexit[c, p, m] / r), "", unit)
                    row(c, p, "fork_exec_wait", m, r, iters[c, p, m], sprintf("%.0f", fexec[c, p, m]),
                        sprintf("%.1f", fexec[c, p, m] / r), "", unit)
                } else {
                    row(c, p, "fork_exit_wait", m, r, 0, "n/a", "n/a", "", unit)
                    row(c, p, "fork_exec_wait", m, r, 0, "n/a", "n/a", "", unit)
                }
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
        }
    }

    # plot data: resident MiB, then cost per fork and per resident page
    print "# mib resident_mib cow_exit copy_exit cow_exec copy_exec cow_exit_pp copy_exit_pp cow_exec_pp copy_exec_pp" > dat
    for (i = 1; i <= nsizes; i++) {
        m = sizes[i]; line = m " " sprintf("%.3f", res[m] * 4096 / 1048576)
        split("exit exit exec exec", kind, " "); split("cow copy cow copy", pol, " ")
        for (k = 1; k <= 4; k++) {
            v = kind[k] == "exit" ? fexit["icount", pol[k], m] : fexec["icount", pol[k], m]
            line = line " " (v == "" ? "n/a" : sprintf("%.0f", v))
        }
        for (k = 1; k <= 4; k++) {
            v = kind[k] == "exit" ? fexit["icount", pol[k], m] : fexec["icount", pol[k], m]
            line = line " " (v == "" ? "n/a" : sprintf("%.1f", v / res[m]))
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
        name = t == 1 ? "fork + exit + wait" : "fork + exec + wait"
        print "**" name "**\n" > md
        print "| parent heap | resident pages | cow: instructions | cow: per resident page | copy: instructions | copy: per resident page | copy / cow |" > md
        print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |" > md
        for (i = 1; i <= nsizes; i++) {
            m = sizes[i]
            a = t == 1 ? fexit["icount", "cow", m] : fexec["icount", "cow", m]
            b = t == 1 ? fexit["icount", "copy", m] : fexec["icount", "copy", m]
            printf "| %s MiB | %s | %s | %s | %s | %s | %s |\n", m, grp(res[m]), num(a), a == "" ? "n/a" : sprintf("%.1f", a / res[m]),
                num(b), b == "" ? "n/a" : sprintf("%.1f", b / res[m]), ratio(b, a) > md
        }
        # marginal cost of one more resident page: slope between the two largest sizes
        if (nsizes >= 2) {
            m1 = sizes[nsizes - 1]; m2 = sizes[nsizes]; dr = res[m2] - res[m1]
            line = "\nMarginal cost of one more resident page (" m1 " to " m2 " MiB):"
            for (pi = 1; pi <= 2; pi++) {
                p = pi == 1 ? "cow" : "copy"
                a = t == 1 ? fexit["icount", p, m1] : fexec["icount", p, m1]
                b = t == 1 ? fexit["icount", p, m2] : fexec["icount", p, m2]
                line = line " " p " " (a == "" || b == "" || dr <= 0 ? "n/a" : sprintf("%.1f", (b - a) / dr)) (pi == 1 ? "," : ".")
            }
            print line "\n" > md
        }
    }

    print "### fork: wall-clock microseconds per fork (no icount)\n" > md
    print "| parent heap | cow: exit | copy: exit | copy / cow | cow: exec | copy: exec | copy / cow |" > md
    print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |" > md
    for (i = 1; i <= nsizes; i++) {
        m = sizes[i]
        a = fexit["wall", "cow", m]; b = fexit["wall", "copy", m]; x = fexec["wall", "cow", m]; y = fexec["wall", "copy", m]
        printf "| %s MiB | %s | %s | %s | %s | %s | %s |\n", m, us(a), us(b), ratio(b, a), us(x), us(y), ratio(y, x) > md
    }

    print "\n### page faults: cost of one store (store, trap, handler, return to user mode)\n" > md
    print "| store | cow: instructions | cow: wall ns | COW faults counted | copy policy: instructions |" > md
    print "| --- | ---: | ---: | ---: | ---: |" > md
    split("copy reuse write", fk, " ")
    split("to a shared COW page (copy path)|to a COW page, refcount 1 (reuse path)|to a private writable page (no fault, reference)", fn, "|")
    for (k = 1; k <= 3; k++) {
        a = fk[k] == "copy" ? fc["icount", "cow"] : fk[k] == "reuse" ? fr["icount", "cow"] : fw["icount", "cow"]
        w = fk[k] == "copy" ? fc["wall", "cow"] : fk[k] == "reuse" ? fr["wall", "cow"] : fw["wall", "cow"]
        b = fk[k] == "copy" ? fc["icount", "copy"] : fk[k] == "reuse" ? fr["icount", "copy"] : fw["icount", "copy"]
        printf "| %s | %s | %s | %s of %s | %s |\n", fn[k], num(a, 1), num(w), flt["icount", "cow", fk[k]], cnt["icount", "cow"], num(b, 1) > md
    }
    print "\nCopy and reuse rows are net of the reference loop; the reference row is the whole store loop per page." > md
    print "Under the copy policy no store faults: its rows are the same loop, with the reference subtracted.\n" > md

    print "### clock check: a user loop of known length\n" > md
    print "| run | policy | instructions | ns | ns per instruction |" > md
    print "| --- | --- | ---: | ---: | ---: |" > md
    for (ci = 1; ci <= 2; ci++) for (pi = 1; pi <= 2; pi++) {
        c = ci == 1 ? "icount" : "wall"; p = pi == 1 ? "cow" : "copy"
        if ((c, p) in calib)
            printf "| %s | %s | %s | %s | %.4f |\n", c, p, grp(calib_n[c, p]), grp(calib[c, p] * calib_n[c, p]), calib[c, p] > md
    }
    bad = ""
    for (m in rcheck) { split(rcheck[m], rc, " "); if (rc[1] != rc[2]) bad = bad " " m " MiB (layout " rc[1] ", shared " rc[2] ")" }
    print "\nResident pages: " (bad == "" ? "the layout count agrees with the frames shared after a fork at every size." : "MISMATCH at" bad) > md

    print "\n### targets (cow, guest instructions)\n" > md
    print "| target | limit | measured | verdict |" > md
    print "| --- | ---: | ---: | --- |" > md
    e64 = fexit["icount", "cow", 64]; e0 = fexit["icount", "cow", 0]
    printf "| fork + exit + wait, 64 MiB resident | 1,500,000 | %s (%s per resident page) | %s |\n", num(e64),
        e64 == "" ? "n/a" : sprintf("%.1f", e64 / res[64]), verdict(e64, 1500000) > md
    printf "| fork + exit + wait, empty process | 60,000 | %s | %s |\n", num(e0), verdict(e0, 60000) > md
    printf "| COW copy fault | 2,500 | %s | %s |\n", num(fc["icount", "cow"]), verdict(fc["icount", "cow"], 2500) > md
    printf "| COW reuse fault | 500 | %s | %s |\n", num(fr["icount", "cow"]), verdict(fr["icount", "cow"], 500) > md
}' "$raw"

# ---------------------------------------------------------------- plot
if command -v gnuplot >/dev/null; then
    gnuplot <<EOF
set terminal pngcairo size 1280,520 font "sans,10"
set output "$out/fork_cost.png"
set datafile missing "n/a"
set multiplot layout 1,2 title "rvos fork cost against parent size (guest instructions, qemu -icount shift=0, -smp 1)"
set logscale xy
set grid
set key top left
set xlabel "parent resident memory (MiB, log)"
set ylabel "guest instructions per fork (log)"
set format y "%.0s%c"
set xrange [0.05:100]
set title "cost per fork"
plot "$out/fork_cost.dat" using 2:3 with linespoints lw 2 pt 7 title "cow: fork+exit+wait", \
     "" using 2:4 with linespoints lw 2 pt 5 title "copy: fork+exit+wait", \
     "" using 2:5 with linespoints dt 2 pt 6 title "cow: fork+exec+wait", \
     "" using 2:6 with linespoints dt 2 pt 4 title "copy: fork+exec+wait", \
     "$out/targets.dat" using 1:2 with points pt 2 ps 2 lc rgb "red" title "cow targets"
set title "cost per resident page"
set ylabel "guest instructions per resident page (log)"
set key top right
plot "$out/fork_cost.dat" using 2:7 with linespoints lw 2 pt 7 title "cow: fork+exit+wait", \
     "" using 2:8 with linespoints lw 2 pt 5 title "copy: fork+exit+wait", \
     "" using 2:9 with linespoints dt 2 pt 6 title "cow: fork+exec+wait", \
     "" using 2:10 with linespoints dt 2 pt 4 title "copy: fork+exec+wait"
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
