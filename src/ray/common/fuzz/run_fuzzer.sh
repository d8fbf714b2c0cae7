#!/usr/bin/env bash
# Runs one differential fuzz target for a bounded time over its seed corpus and prints how
# many differential executions it made. Fails on any divergence or crash.
#   run_fuzzer.sh <fuzzer binary> <seed corpus dir> <seconds> [extra fuzzer flags...]
# The binary is a libFuzzer one under --config=fuzz and the replay driver otherwise; both
# take the same flags. New corpus entries go to a scratch directory, never the seeds.
set -uo pipefail

binary=$1
seeds=$2
seconds=$3
shift 3

scratch=${TEST_TMPDIR:-$(mktemp -d)}
mkdir -p "$scratch/corpus"
artifacts=${TEST_UNDECLARED_OUTPUTS_DIR:-$scratch}
log="$scratch/fuzz.log"

"$binary" -max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=4096 \
  -artifact_prefix="$artifacts/" "$@" "$scratch/corpus" "$seeds" > "$log" 2>&1
rc=$?

# libFuzzer's per-unit progress lines are noise in a test log; keep the rest.
grep -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)' "$log" | tail -n 60
execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -n 1 | awk '{print $2}')
echo "differential executions: ${execs:-unknown} in ${seconds}s ($(basename "$binary"), exit $rc)"
if ((rc != 0)); then
  echo "FAILED: divergence or crash; the input is printed above in hex (libFuzzer also saves" \
    "it under $artifacts)" >&2
  exit 1
fi
[[ -n "$execs" ]]
