#!/usr/bin/env bash
# Runs one in-guest test: run-guest.sh EXIT REGEX SECONDS INPUT qemu-command...
# Passes when QEMU exits with status EXIT within SECONDS and (if REGEX is
# not empty) the serial output matches REGEX. INPUT, if not empty, is a
# file typed into the serial console. Output goes to ctest's log.
set -u
expect_exit=$1 regex=$2 seconds=$3 input=$4
shift 4
log=$(mktemp)
fifo=$(mktemp -u)
trap 'rm -f "$log" "$fifo"' EXIT
if [ -n "$input" ]; then
  # Type the input once the kernel is about to start the first process
  # (its console is up by then), and keep the line open until QEMU exits.
  mkfifo "$fifo"
  (
    for _ in $(seq $((seconds * 10))); do
      grep -q "^starting " "$log" 2>/dev/null && break
      sleep 0.1
    done
    cat "$input"
    sleep "$seconds"
  ) >"$fifo" &
  feeder=$!
  timeout -k 5 "$seconds" "$@" <"$fifo" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  pkill -P "$feeder" 2>/dev/null
  kill "$feeder" 2>/dev/null
else
  timeout -k 5 "$seconds" "$@" </dev/null 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
fi
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
  echo "run-guest: FAIL: no exit within ${seconds}s (hang)"
  exit 1
fi
if [ "$status" != "$expect_exit" ]; then
  echo "run-guest: FAIL: QEMU exited with status $status, expected $expect_exit"
  exit 1
fi
if [ -n "$regex" ] && ! grep -Eq -- "$regex" "$log"; then
  echo "run-guest: FAIL: output does not match /$regex/"
  exit 1
fi
echo "run-guest: ok (exit status $status)"
