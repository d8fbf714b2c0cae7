# Sourced by tools/rustyray-cluster-demo and tools/test-cluster: builds a Rust staticlib
# example of rustyray-ray and links it into the shared library Ray's C++ workers load.
#
# The library is linked by g++, not by rustc as a cdylib: rustc's export list would hide the
# C++ layer's symbols, and its RAY_REMOTE registration would land in a private copy of Ray's
# function registry. --whole-archive keeps every registration (C++ and Rust) in the link.

# build_worker_library EXAMPLE OUTPUT: prints nothing; RAY_CPP_PREFIX must be set.
build_worker_library() {
  local example=$1 output=$2 rust_dir archive
  rust_dir="$workspace/src/ray/rust"
  (cd "$rust_dir" && cargo build --quiet -p rustyray-ray --features cluster --example "$example")
  archive="$rust_dir/target/debug/examples/lib$example.a"
  [[ -f "$archive" ]] || { echo "no $archive after cargo build" >&2; return 1; }
  mkdir -p "$(dirname "$output")"
  g++ -shared -o "$output" \
    -Wl,--whole-archive "$archive" -Wl,--no-whole-archive \
    -L"$RAY_CPP_PREFIX/lib" -lray_api -Wl,-rpath,"$RAY_CPP_PREFIX/lib" \
    -lpthread -ldl -lm
}

# node2_node_manager_port: the node manager port of the node with custom resource `node2`
# (from `tools/ray-cluster status`), which tells which node a worker belongs to.
node2_node_manager_port() {
  "$workspace/tools/ray-cluster" status |
    awk '/node2=/ { split($2, hostport, ":"); print hostport[2]; found = 1 } END { exit !found }'
}
