#!/usr/bin/env bash
# Runs one in-guest test:
#   run-guest.sh EXIT REGEX SECONDS INPUT LOG qemu-command...
# LOG is where the serial output of the latest run is kept.
# Passes only when all of these hold:
#   - QEMU exited by itself (the guest powered off) with status EXIT. A QEMU
#     that got SIGTERM or SIGINT says "terminating on signal N" and exits 0,
#     so the status alone proves nothing: that message, or a status above
#     128, fails the test whatever EXIT is.
#   - it did so within SECONDS. This only catches hangs; nothing else here
#     depends on how fast the host is.
#   - the serial output matches REGEX (the program's own verdict line), if
#     REGEX is not empty: several, separated by ';', must each match; one
#     written !REGEX must match no line; one written @REGEX is a verdict
#     line: it counts only if it also carries this run's token (below).
#
# Every run boots with a fresh random token on the kernel command line
# (verdict=TOKEN, before any --); testlib's verdict line ends with
# "[verdict TOKEN]". Neither the kernel nor the C runtime knows the token
# unless written to dig it out, so a verdict line they print does not count.
# INPUT, if not empty, is a file typed into the serial console once the
# kernel has started the first process. A file named *.session is instead
# a dialogue, one step a line ('#' lines and blank lines are skipped):
#   expect REGEX   wait until the serial output matches REGEX (grep -E, one
#                  line) after the point where the previous expect matched
#   send TEXT      type TEXT, with printf %b escapes (\r, \x03, \033[A)
# so that a key (Ctrl-C, say) is typed only once the guest has shown that
# it is ready for it. This waits for output, never for an amount of time.
#
# QEMU itself writes everything the guest sends to the serial port into
# LOG (a chardev log file), so the capture does not depend on a pipe reader
# keeping up on a loaded host, and survives even if ctest kills this script.
# The log is printed to ctest's output at the end.
set -u
expect_exit=$1 regex=$2 seconds=$3 input=$4 keep=$5
shift 5
# RVOS_HANG_SECONDS, if set, caps SECONDS: a grade (ninja grade-LAB sets
# it) fails a hung test in bounded time instead of waiting out each
# test's own limit; the cap is still many times what any graded test
# takes on a busy machine, so it too only catches hangs.
if [ -n "${RVOS_HANG_SECONDS:-}" ] && [ "$RVOS_HANG_SECONDS" -lt "$seconds" ]; then
  seconds=$RVOS_HANG_SECONDS
fi

# QEMU logs into a file of this run's own: two runs of one test at once
# (a soak beside a suite run, say) must never read each other's output, and
# a stale log from an earlier run must never satisfy the regex (or the wait
# for "starting" below). It is kept as LOG when the run ends.
mkdir -p "$(dirname "$keep")"
log=$(mktemp "$keep.XXXXXX")
qerr=$log.qemu-stderr
fifo=
cleanup() {
  [ -n "$fifo" ] && rm -f "$fifo"
  rm -f "$log.hung"
  if [ -f "$log" ]; then
    mv -f "$log" "$keep"
  fi
  if [ -s "$qerr" ]; then
    mv -f "$qerr" "$keep.qemu-stderr"
  else
    rm -f "$qerr" "$keep.qemu-stderr"
  fi
}
trap cleanup EXIT

# The serial port is a stdio chardev that also logs to LOG; its stdout is
# thrown away (LOG has all of it) and its stdin is where typed input comes
# from. No monitor: with -nographic it would otherwise claim stdio too.
console=(-chardev "stdio,id=console,signal=off,logfile=$log" -serial chardev:console -monitor none)
# Plays a *.session file (see the top) into fd 3. offset counts the bytes
# of the log already matched by earlier expects.
play_session() {
  local offset=0 line pattern match
  export LC_ALL=C
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      '' | '#'*) ;;
      'expect '*)
        pattern=${line#expect }
        until match=$(tail -c +$((offset + 1)) "$log" | grep -boE -m1 -- "$pattern" | head -n 1) && [ -n "$match" ]; do
          kill -0 "$qemu" 2>/dev/null || exit 0
          sleep 0.1
        done
        match_text=${match#*:}
        offset=$((offset + ${match%%:*} + ${#match_text}))
        ;;
      'send '*) printf '%b' "${line#send }" >&3 ;;
      *)
        echo "run-guest: $input: cannot understand '$line'" >&2
        exit 1
        ;;
    esac
  done <"$input"
}

# The token goes first on the kernel command line: a kernel option, never
# an argument of the first process.
token=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
args=() prev=
for a in "$@"; do
  [ "$prev" = -append ] && a="verdict=$token $a"
  args+=("$a")
  prev=$a
done
set -- "${args[@]}"

started=$SECONDS
# QEMU reads the serial input from a FIFO this script holds open for
# writing until QEMU is gone, so QEMU never reads end-of-file, and opening
# it on either side never blocks. Typed input (INPUT) goes there, and so
# does ^P on a hang (below).
fifo=$(mktemp -u)
mkfifo "$fifo"
exec 3<>"$fifo"
# A hang: at SECONDS the watchdog types ^P, and the kernel prints its
# process table and where each hart is (pc, kernel backtrace); QEMU gets
# DUMP_SECONDS more to print it before timeout stops it. The hang verdict
# itself is unchanged: QEMU did not exit by itself within SECONDS.
dump_seconds=3
timeout -k 2 "$((seconds + dump_seconds))" "$@" "${console[@]}" <"$fifo" >/dev/null 2>"$qerr" 3>&- &
qemu=$!
hung=$log.hung
(
  trap 'kill "$nap" 2>/dev/null; exit 0' TERM
  sleep "$seconds" &
  nap=$!
  wait "$nap"
  : >"$hung"
  printf '\020' >&3
) >/dev/null 2>&1 &
watchdog=$!
feeder=
if [ -n "$input" ]; then
  # The kernel resets the UART FIFO at boot and only takes input once its
  # console is up, which it is when it prints "starting": type only then.
  # This waits for that line, not for any amount of time. exec: killing
  # the feeder then also stops a cat still writing when QEMU is gone.
  (
    until grep -q '^starting ' "$log" 2>/dev/null; do
      kill -0 "$qemu" 2>/dev/null || exit 0
      sleep 0.1
    done
    case $input in
      *.session) play_session ;;
      *) exec cat "$input" >&3 ;;
    esac
  ) &
  feeder=$!
fi
wait "$qemu"
status=$?
kill $feeder $watchdog 2>/dev/null
wait $feeder $watchdog 2>/dev/null
exec 3>&-
elapsed=$((SECONDS - started))

# From the kernel's first line on: the firmware's banner (45 lines, the
# same every time) stays in the log file only.
echo "---- serial console, from the kernel's first line (all of it: $keep) ----"
if grep -q '^rvos: ' "$log" 2>/dev/null; then
  sed -n '/^rvos: /,$p' "$log"
else
  cat "$log" 2>/dev/null
fi
echo
if [ -s "$qerr" ]; then
  echo "---- QEMU stderr ----"
  cat "$qerr"
fi
echo "---- QEMU exit status $status after ${elapsed}s ----"

fail() {
  echo "run-guest: FAIL: $*"
  exit 1
}
if [ -e "$hung" ] || [ "$status" = 124 ] || { [ "$status" = 137 ] && [ "$elapsed" -ge "$seconds" ]; }; then
  rm -f "$hung"
  fail "no exit within ${seconds}s (hang); what the kernel said to ^P then (its process table, each hart's pc and backtrace) ends the serial output above"
fi
if grep -q 'terminating on signal' "$qerr" 2>/dev/null; then
  fail "QEMU was stopped by a signal ($(grep -o 'terminating on signal.*' "$qerr" | head -1)), not by the guest"
fi
if [ "$status" -gt 128 ]; then
  fail "QEMU was killed by signal $((status - 128)) (status $status)"
fi
if [ "$status" != "$expect_exit" ]; then
  fail "QEMU exited with status $status, expected $expect_exit"
fi
# REGEX may be several, separated by ';': each must match somewhere in the
# output, except one written !REGEX, which must match nowhere.
IFS=';' read -ra regexes <<<"$regex"
for r in "${regexes[@]}"; do
  case $r in
    '!'*)
      if grep -Eq -- "${r#!}" "$log"; then
        fail "serial output matches /${r#!}/, which it must not: $(grep -Em1 -- "${r#!}" "$log")"
      fi
      ;;
    '@'*)
      grep -E -- "${r#@}" "$log" | grep -qF "[verdict $token]" ||
        fail "no verdict line matches /${r#@}/ with this run's token [verdict $token]$(
          grep -Eq -- "${r#@}" "$log" && echo ' (a line without the token does: the kernel or the runtime printed it?)')"
      ;;
    *)
      grep -Eq -- "$r" "$log" || fail "serial output does not match /$r/"
      ;;
  esac
done
echo "run-guest: ok (exit status $status, output matches /$regex/)"
