//! The worker side of `cluster_bench`: its function and actor as a static library, linked
//! with the C++ layer into the shared library Ray's workers load
//! (tools/rustyray-cluster-bench).

#[allow(dead_code)]
#[path = "bench_functions/mod.rs"]
mod functions;
