#!/usr/bin/env bash
# Runs compare.py on the two benchmark binaries (paths from the sh_binary's args), inside the
# build root where they were linked. Relative output paths are taken from the directory
# `bazel run` was called in.
set -euo pipefail
script=$1 cc=$2 rust=$3
shift 3
script=$(realpath "$script")
cc=$(realpath "$cc")
rust=$(realpath "$rust")
cd "${BUILD_WORKING_DIRECTORY:-.}"
exec python3 "$script" --cc "$cc" --rust "$rust" --launcher direct "$@"
