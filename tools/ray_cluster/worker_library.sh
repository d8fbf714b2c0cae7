# Sourced by tools/rustyray-cluster-demo and tools/test-cluster: builds a Rust staticlib
# example of rustyray-ray and links it into the shared library Ray's C++ workers load.
#
# The library is linked by g++, not by rustc as a cdylib: rustc's export list would hide the
# C++ layer's symbols, and its RAY_REMOTE registration would land in a private copy of Ray's
# function registry. --whole-archive keeps every registration (C++ and Rust) in the link.

# build_worker_library EXAMPLE OUTPUT [PROFILE]: prints nothing; RAY_CPP_PREFIX must be set.
# PROFILE is cargo's debug (the default) or release.
build_worker_library() {
  local example=$1 output=$2 profile=${3:-debug} rust_dir archive flags=()
  rust_dir="$workspace/src/ray/rust"
  [[ "$profile" == release ]] && flags=(--release)
  (cd "$rust_dir" &&
    cargo build --quiet "${flags[@]}" -p rustyray-ray --features cluster --example "$example")
  archive="$rust_dir/target/$profile/examples/lib$example.a"
  [[ -f "$archive" ]] || { echo "no $archive after cargo build" >&2; return 1; }
  mkdir -p "$(dirname "$output")"
  g++ -shared -o "$output" \
    -Wl,--whole-archive "$archive" -Wl,--no-whole-archive \
    -L"$RAY_CPP_PREFIX/lib" -lray_api -Wl,-rpath,"$RAY_CPP_PREFIX/lib" \
    -lpthread -ldl -lm
}

# build_cpp_library SOURCE OUTPUT [FLAG...]: a shared library of remote functions written
# against Ray's C++ API (RAY_REMOTE), as a Ray C++ user builds one: the old string ABI of
# libray_api.so, its headers as system headers (their own warnings are not ours), and
# --no-as-needed, because the library itself uses nothing of libray_api.so but Ray's worker
# finds the library's entry point (TaskExecutionHandler) through that dependency.
build_cpp_library() {
  local source=$1 output=$2
  shift 2
  mkdir -p "$(dirname "$output")"
  g++ -std=c++17 -O2 -Wall -Wextra -Werror -D_GLIBCXX_USE_CXX11_ABI=0 -fPIC -shared "$@" \
    -isystem "$RAY_CPP_PREFIX/include" -o "$output" "$source" \
    -L"$RAY_CPP_PREFIX/lib" -Wl,--no-as-needed -lray_api -Wl,--as-needed \
    -Wl,-rpath,"$RAY_CPP_PREFIX/lib" -lpthread -ldl
}

# node2_node_manager_port: the node manager port of the node with custom resource `node2`
# (from `tools/ray-cluster status`), which tells which node a worker belongs to.
node2_node_manager_port() {
  "$workspace/tools/ray-cluster" status |
    awk '/node2=/ { split($2, hostport, ":"); print hostport[2]; found = 1 } END { exit !found }'
}
