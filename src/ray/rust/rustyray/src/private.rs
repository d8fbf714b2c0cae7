//! Support of the generated code; not a public API.

use std::error::Error as StdError;
use std::future::Future;

pub use futures::future::BoxFuture;
pub use inventory;
pub use serde;

pub use crate::actor::{
    call_actor, create_actor, Constructor, MethodBody, SyncProbe, ViaNotSync, ViaSync,
};
pub use crate::backend::{
    block_on_worker, cluster_active, cluster_runtime, cluster_unsupported, submit_cluster,
    ActorProbe, ActorViaNoSerde, ActorViaSerde, ClusterActorEntry, ClusterMethodEntry, EncodedArg,
    SerdeProbe, SharedViaNotSync, SharedViaSync, ViaNoSerde, ViaSerde, WorkerActorNew, WorkerCall,
    WorkerMethodCall, WorkerProbe, WorkerSharedCall, WorkerViaNoSerde, WorkerViaSerde,
};
pub use crate::cluster_actor::{
    call_cluster_actor, cluster_method_unsupported, create_cluster_actor,
};
pub use crate::error::TaskCause;
pub use crate::generator::{current_yielder, Streaming};
pub use crate::registry::{ActorEntry, ActorMethodEntry, ActorMethodSpec, RemoteFunctionEntry};
pub use crate::returns::{One, Returns};
pub use crate::task::{submit_async, submit_blocking, Arg, IntoArg, ResolveArgs};

/// A value returned by a task that cannot fail.
#[inline]
pub fn ok<R>(value: R) -> Result<R, TaskCause> {
    Ok(value)
}

/// A `Result` returned by a task: `Err` becomes the task's failure cause.
#[inline]
pub fn fallible<R, E>(value: Result<R, E>) -> Result<R, TaskCause>
where
    E: Into<Box<dyn StdError + Send + Sync + 'static>>,
{
    value.map_err(TaskCause::new)
}

/// Bound on parameters of remote functions and actor methods.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an argument of a remote call: arguments must be `Send + 'static`",
    label = "this parameter type is not `Send + 'static`",
    note = "arguments move to the thread that runs the task"
)]
pub trait RemoteArg: Send + 'static {}

impl<T: Send + 'static> RemoteArg for T {}

/// Checks a parameter type at compile time.
pub const fn assert_remote_arg<T: RemoteArg>() {}

/// Bound on values returned by remote functions and actor methods.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a remote call: results must be `Send + Sync + 'static`",
    label = "this return type is not `Send + Sync + 'static`",
    note = "results are shared by every ObjectRef that points to them"
)]
pub trait RemoteResult: Send + Sync + 'static {}

impl<T: Send + Sync + 'static> RemoteResult for T {}

/// Checks a return type at compile time.
pub const fn assert_remote_result<T: RemoteResult>() {}

/// Clones a value when its type is `Clone` (method resolution picks [`ViaClone`]), or
/// gives `None` ([`ViaNoClone`]); used to keep arguments for retries and restarts.
pub struct MaybeClone<'a, T>(pub &'a T);

/// Chosen for `Clone` types.
pub trait ViaClone<T> {
    /// A copy of the value.
    fn maybe_clone(&self) -> Option<T>;
}

impl<T: Clone> ViaClone<T> for MaybeClone<'_, T> {
    #[inline]
    fn maybe_clone(&self) -> Option<T> {
        Some(self.0.clone())
    }
}

/// Chosen for other types.
pub trait ViaNoClone<T> {
    /// No copy.
    fn maybe_clone(&self) -> Option<T>;
}

impl<T> ViaNoClone<T> for &MaybeClone<'_, T> {
    #[inline]
    fn maybe_clone(&self) -> Option<T> {
        None
    }
}

/// The body of `#[rustyray::main]`: initialises the global runtime, runs `main` as the
/// driver, shuts down.
pub fn run_main<F: Future>(builder: crate::RuntimeBuilder, main: F) -> F::Output {
    let rt = match builder.init() {
        Ok(rt) => rt,
        Err(e) => panic!("#[rustyray::main] cannot start RustyRay: {e}"),
    };
    let out = rt.block_on(main);
    rt.shutdown();
    out
}
