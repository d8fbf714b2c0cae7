#!/usr/bin/env bash
# Runs compare.py on the benchmark binaries (the sh_binary's args: the script, then pairs of
# C++ and Rust-backed binaries), inside the build root where they were linked. The remaining
# arguments (from `bazel run ... -- ARGS`) go to compare.py. Relative output paths are taken
# from the directory `bazel run` was called in.
set -euo pipefail
script=$(realpath "$1")
shift
pairs=()
while (($# >= 2)) && [[ $1 != -* ]]; do
  pairs+=(--cc "$(realpath "$1")" --rust "$(realpath "$2")")
  shift 2
done
cd "${BUILD_WORKING_DIRECTORY:-.}"
exec python3 "$script" "${pairs[@]}" --launcher direct "$@"
