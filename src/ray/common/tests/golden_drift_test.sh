#!/usr/bin/env bash
# A vector file of another Ray version must fail, with every difference reported.
set -uo pipefail
checker=$1
vectors=$2
output=$("$checker" "$vectors")
status=$?
printf '%s\n' "$output" | tail -n 3
[[ $status -eq 1 ]] || { echo "expected exit 1, got $status"; exit 1; }
[[ "$(printf '%s\n' "$output" | tail -n 1)" == "297 passed, 38 failed" ]] ||
  { echo "expected '297 passed, 38 failed'"; exit 1; }
[[ $(printf '%s\n' "$output" | grep -c '^FAIL ') -eq 38 ]] || { echo "expected 38 FAIL lines"; exit 1; }
