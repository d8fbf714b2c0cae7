//! The worker side of `cluster_quickstart`: a static library of its remote functions,
//! linked with the C++ layer into the shared library on Ray's code search path
//! (see tools/rustyray-cluster-demo).

// The registrations are the whole point; nothing calls the functions from here.
#[allow(dead_code)]
#[path = "quickstart_functions/mod.rs"]
mod functions;
