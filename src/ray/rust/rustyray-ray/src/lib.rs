//! RustyRay on a real Ray cluster, through Ray's C++ worker API.
//!
//! Ray's C++ workers find user code by name in a shared library. This crate gives Rust
//! functions such a name ([`ClusterFunction`], registered with [`cluster_function!`]) and,
//! with the `cluster` feature, a driver ([`Cluster`]) that puts and gets objects and submits
//! tasks by name. One C++ dispatcher registered with Ray (`cpp/ray_bridge.cc`) receives every
//! task and calls back into [`registry`] to run the named Rust function. Values cross as
//! MessagePack (serde), the format Ray's C++ API uses itself.

pub mod codec;
pub mod error;
pub mod node;
pub mod registry;

#[cfg(feature = "cluster")]
mod cluster;
#[cfg(feature = "cluster")]
mod ffi;
#[cfg(feature = "cluster")]
mod worker;

#[cfg(feature = "cluster")]
pub use cluster::{Arg, Cluster, ObjectRef, TaskOptions, WaitResult};
pub use error::ClusterError;
pub use registry::{ClusterFunction, DispatchError};

/// Re-exported for [`cluster_function!`], which expands in the user's crate.
#[doc(hidden)]
pub use inventory;
