#!/usr/bin/env bash
# Runs one in-guest test: run-guest.sh EXIT REGEX SECONDS qemu-command...
# Passes when QEMU exits with status EXIT within SECONDS and (if REGEX is
# not empty) the serial output matches REGEX. Output goes to ctest's log.
set -u
expect_exit=$1 regex=$2 seconds=$3
shift 3
log=$(mktemp)
trap 'rm -f "$log"' EXIT
timeout -k 5 "$seconds" "$@" </dev/null 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
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
