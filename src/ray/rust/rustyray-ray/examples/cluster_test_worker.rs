//! The worker library of tests/cluster.rs: its functions, for Ray's C++ workers to load
//! (tools/test-cluster links it with the C++ layer).

#[allow(dead_code)]
#[path = "../tests/cluster_functions/mod.rs"]
mod functions;

#[allow(dead_code)]
#[path = "../tests/remote_functions/mod.rs"]
mod remote_functions;
