#!/usr/bin/env bash
# The long differential fuzz run: every target (or the ones named) under libFuzzer
# (--config=fuzz) for a fixed time each, one at a time, then a summary table.
#   src/ray/common/fuzz/long_run.sh [seconds per target] [target...]
# RAY_FUZZ_FLAGS adds libFuzzer flags to every run (e.g. "-max_len=256").
# RAY_FUZZ_JOBS=N runs up to N targets at once (default 1; one per core is the useful maximum).
# RAY_FUZZ_CONFIG picks the build (default fuzz: ASan + UBSan; fuzz-opt: optimized, UBSan only,
# for the most executions per second).
# Working corpora, logs and crash reproducers go to $RAY_FUZZ_WORK (default: ray-common-fuzz
# under Bazel's output base, which is visible at the same path inside and outside the build
# root). Exits non-zero when any target diverged or crashed.
set -uo pipefail

workspace=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd -P)
cd "$workspace"
seconds=${1:-600}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(id_bytes_fuzzer id_derivation_fuzzer murmur_fuzzer status_fuzzer status_or_fuzzer
    resource_set_fuzzer resource_instance_set_fuzzer scheduling_ids_fuzzer)
fi
work=${RAY_FUZZ_WORK:-$(tools/bazel info output_base 2> /dev/null)/ray-common-fuzz}
mkdir -p "$work"

config=${RAY_FUZZ_CONFIG:-fuzz}
tools/bazel build --config="$config" "${targets[@]/#///src/ray/common/fuzz:}" || exit 1

run_one() {
  local target=$1 dir="$work/$1" start=$SECONDS rc
  mkdir -p "$dir/corpus" "$dir/artifacts"
  echo "=== $target: ${seconds}s (log: $dir/run.log)"
  # shellcheck disable=SC2086 # RAY_FUZZ_FLAGS is a list of flags
  tools/bazel --exec bash "$dir/run.sh" \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=4096 \
    -artifact_prefix="$dir/artifacts/" ${RAY_FUZZ_FLAGS:-} "$dir/corpus" \
    "$workspace/src/ray/common/fuzz/corpus/$target" > "$dir/run.log" 2>&1
  rc=$?
  echo "$rc $((SECONDS - start))" > "$dir/run.result"
}

# `bazel run` would hold Bazel's client lock for the whole run: write each target's run
# script once and start the scripts inside the build root instead.
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  tools/bazel run --config="$config" --script_path="$work/$target/run.sh" \
    "//src/ray/common/fuzz:$target" 2> /dev/null || exit 1
done

jobs_max=${RAY_FUZZ_JOBS:-1}
for target in "${targets[@]}"; do
  rm -f "$work/$target/run.result"
  while (($(jobs -rp | wc -l) >= jobs_max)); do wait -n; done
  run_one "$target" &
done
wait

failed=0
summary=()
total=0
for target in "${targets[@]}"; do
  dir="$work/$target"
  read -r rc wall < "$dir/run.result" || { rc=1; wall='?'; }
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$dir/run.log" | tail -n 1 |
    awk '{print $2}')
  fatal=$(grep -o 'forked fatal-path comparisons: [0-9]* of [0-9]*' "$dir/run.log" | tail -n 1 |
    sed 's/forked fatal-path comparisons: //')
  status=ok
  if ((rc != 0)) || [[ -z "$execs" ]]; then
    status="FAILED (exit $rc; see $dir/run.log and $dir/artifacts)"
    failed=1
  fi
  total=$((total + ${execs:-0}))
  summary+=("$(printf '%-30s %12s execs %6ss  fatal paths compared: %-16s %s' \
    "$target" "${execs:-?}" "$wall" "${fatal:-?}" "$status")")
done

echo
printf '%s\n' "${summary[@]}"
printf '%-30s %12s execs\n' total "$total"
exit "$failed"
