//! RustyRay on a real Ray cluster, through Ray's C++ worker API.
//!
//! Ray's C++ workers find user code by name in a shared library. This crate gives Rust
//! functions such a name ([`ClusterFunction`], registered with [`cluster_function!`]) and,
//! with the `cluster` feature, a driver ([`Cluster`]) that puts and gets objects and submits
//! tasks by name. One C++ dispatcher registered with Ray (`cpp/ray_bridge.cc`) receives every
//! task and calls back into [`registry`] to run the named Rust function. Values cross as
//! MessagePack (serde), the format Ray's C++ API uses itself.
//!
//! Actors work the same way: a Rust type registered with [`cluster_actor!`] is created by a
//! C++ factory registered with Ray (one per argument count, like the task dispatchers), whose
//! C++ actor object holds the Rust value behind an opaque pointer; its methods are called
//! through C++ member functions that pass the method's name and arguments on to [`actor`].

pub mod actor;
pub mod backend;
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

pub use actor::{ClusterActor, ClusterMethod};
#[cfg(feature = "cluster")]
pub use cluster::{ActorHandle, ActorOptions, Arg, Cluster, ObjectRef, TaskOptions, WaitResult};
pub use error::ClusterError;
pub use registry::{ClusterFunction, DispatchError};

/// Re-exported for [`cluster_function!`] and [`cluster_actor!`], which expand in the user's crate.
#[doc(hidden)]
pub use inventory;

/// Re-exported for [`ray_backend!`], which expands in the user's crate.
#[doc(hidden)]
pub use rustyray as __rustyray;

#[cfg(feature = "cluster")]
pub use backend::RayBackend;
