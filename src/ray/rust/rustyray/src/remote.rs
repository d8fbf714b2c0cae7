//! The interface a cluster backend implements, and what the lower layers (objects, the
//! runtime's node) need of it: opaque objects and actors of a backend, its errors, the
//! [`Backend`] trait itself, and whether any runtime has one. Nothing here knows of tasks,
//! submission or the runtime; that glue is [`crate::backend`], a layer above.

use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::error::RustyRayError;

/// An object held by a backend (e.g. a Ray ObjectRef), opaque to this crate.
pub trait RemoteObject: Send + Sync + 'static {
    /// The backend's id of the object.
    fn id(&self) -> &[u8];
    /// For the backend to recover its own type.
    fn as_any(&self) -> &dyn Any;
}

/// An actor held by a backend (e.g. a Ray actor), opaque to this crate.
pub trait RemoteActor: Send + Sync + 'static {
    /// The backend's id of the actor.
    fn id(&self) -> &[u8];
    /// For the backend to recover its own type.
    fn as_any(&self) -> &dyn Any;
}

/// How a backend creates an actor of a `#[rustyray::actor]` type.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteActorOptions {
    /// A name to find it by, if any.
    pub name: Option<String>,
    /// The namespace of the name (`None`: the job's).
    pub namespace: Option<String>,
    /// Restarts after its process dies (-1: without limit).
    pub max_restarts: i32,
    /// Calls it may run at once (Ray's `max_concurrency`; 1: one at a time, in order).
    pub max_concurrency: u32,
    /// What it holds while it lives, in the backend's names ("CPU", "GPU", custom).
    pub resources: Vec<(String, f64)>,
}

/// A task argument as a backend receives it.
pub enum EncodedArg {
    /// A value, MessagePack-encoded ([`encode`](crate::backend::encode)).
    Value(Vec<u8>),
    /// An object of the backend, passed by reference (the backend resolves it).
    Object(Arc<dyn RemoteObject>),
    /// An in-process object's value, encoded. It is stored in the backend ([`Backend::put`])
    /// the first time it is passed and by reference from then on, as a Ray object would:
    /// a large `put` value passed to many calls crosses once. Backends never receive it;
    /// the call replaces it with the stored [`EncodedArg::Object`] first.
    Local(LocalObject),
}

/// See [`EncodedArg::Local`].
pub struct LocalObject {
    bytes: Vec<u8>,
    object: Arc<dyn StoredCopy>,
}

/// An in-process object that can keep the copy of its value in a backend.
pub(crate) trait StoredCopy: Send + Sync {
    /// The copy, if stored.
    fn stored(&self) -> Option<Arc<dyn RemoteObject>>;
    /// Keeps `object` as the copy; the copy kept first wins (racing calls may both store
    /// the value) and is returned.
    fn keep_stored(&self, object: Arc<dyn RemoteObject>) -> Arc<dyn RemoteObject>;
}

impl LocalObject {
    pub(crate) fn new(bytes: Vec<u8>, object: Arc<dyn StoredCopy>) -> Self {
        LocalObject { bytes, object }
    }
}

static VALUES_STORED: AtomicUsize = AtomicUsize::new(0);

/// How many in-process values this process has stored in a backend for cluster calls:
/// one per object, however many calls it was passed to.
pub fn values_stored() -> usize {
    VALUES_STORED.load(Ordering::Relaxed)
}

/// `args` as a backend takes them: every [`EncodedArg::Local`] stored (once per object).
pub(crate) fn store_local_args(
    backend: &dyn Backend,
    args: Vec<EncodedArg>,
) -> std::result::Result<Vec<EncodedArg>, BackendError> {
    args.into_iter()
        .map(|arg| match arg {
            EncodedArg::Local(local) => {
                if let Some(stored) = local.object.stored() {
                    return Ok(EncodedArg::Object(stored));
                }
                let stored = backend.put(&local.bytes)?;
                VALUES_STORED.fetch_add(1, Ordering::Relaxed);
                Ok(EncodedArg::Object(local.object.keep_stored(stored)))
            }
            other => Ok(other),
        })
        .collect()
}

/// What went wrong in a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendErrorKind {
    /// A timed wait ended first.
    Timeout,
    /// The function failed (its error or panic), with the user's message.
    TaskFailed,
    /// Anything else: connection, worker or object loss, unknown function.
    Other,
}

/// An error of a backend, with its text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct BackendError {
    /// Which kind of failure.
    pub kind: BackendErrorKind,
    /// The backend's message.
    pub message: String,
}

impl BackendError {
    /// An error of kind `kind`.
    pub fn new(kind: BackendErrorKind, message: impl Into<String>) -> Self {
        BackendError {
            kind,
            message: message.into(),
        }
    }
}

/// A backend's failure as the runtime reports it, when no more specific error applies.
impl From<BackendError> for RustyRayError {
    fn from(e: BackendError) -> Self {
        RustyRayError::Cluster(e.message)
    }
}

/// A place to run remote functions: submit by name, and put, get and wait on encoded
/// objects. Implementations must be thread-safe; `get` and `wait` block the calling thread.
pub trait Backend: Send + Sync + 'static {
    /// A short name for messages ("ray").
    fn name(&self) -> &'static str;
    /// The error of an operation this backend does not offer (`what`: "kill actors").
    fn cannot(&self, what: &str) -> BackendError {
        BackendError::new(
            BackendErrorKind::Other,
            format!("the {} backend cannot {what}", self.name()),
        )
    }
    /// Runs the function registered under `function` (see [`cluster_name`](crate::backend::cluster_name)) on `args`,
    /// needing `resources` (custom resources by name); returns the object of its result.
    fn submit(
        &self,
        function: &str,
        args: Vec<EncodedArg>,
        resources: &[(String, f64)],
    ) -> std::result::Result<Arc<dyn RemoteObject>, BackendError>;
    /// Stores encoded bytes as an object.
    fn put(&self, bytes: &[u8]) -> std::result::Result<Arc<dyn RemoteObject>, BackendError>;
    /// The encoded value of `object`, waiting up to `timeout` (`None`: no limit).
    fn get(
        &self,
        object: &dyn RemoteObject,
        timeout: Option<Duration>,
    ) -> std::result::Result<Vec<u8>, BackendError>;
    /// Which of `objects` are ready, once `num_ready` are or `timeout` passed.
    fn wait(
        &self,
        objects: &[&dyn RemoteObject],
        num_ready: usize,
        timeout: Option<Duration>,
    ) -> std::result::Result<Vec<bool>, BackendError>;
    /// Creates an actor of the `#[rustyray::actor]` type registered as `class` (see
    /// [`cluster_actor_name`](crate::backend::cluster_actor_name)) from its constructor's arguments.
    fn create_actor(
        &self,
        class: &str,
        args: Vec<EncodedArg>,
        options: &RemoteActorOptions,
    ) -> std::result::Result<Arc<dyn RemoteActor>, BackendError> {
        let _ = (args, options);
        Err(self.cannot(&format!("run actors ({class})")))
    }
    /// Calls `method` of the actor; returns the object of its result.
    fn call_actor(
        &self,
        actor: &dyn RemoteActor,
        method: &str,
        args: Vec<EncodedArg>,
    ) -> std::result::Result<Arc<dyn RemoteObject>, BackendError> {
        let _ = (actor, args);
        Err(self.cannot(&format!("call actors ({method})")))
    }
    /// The job's namespace on the cluster, if the backend has one.
    fn namespace(&self) -> Option<String> {
        None
    }
    /// The live actor created under `name` in `namespace` (`None`: the job's), if any.
    fn get_actor(
        &self,
        name: &str,
        namespace: Option<&str>,
    ) -> std::result::Result<Option<Arc<dyn RemoteActor>>, BackendError> {
        let _ = namespace;
        Err(self.cannot(&format!("find actors ({name})")))
    }
    /// The actor's handle in the backend's own form, for another process (a task it is
    /// passed to) to call it.
    fn serialize_actor(
        &self,
        actor: &dyn RemoteActor,
    ) -> std::result::Result<Vec<u8>, BackendError> {
        let _ = actor;
        Err(self.cannot("pass actor handles"))
    }
    /// The actor of a handle from [`serialize_actor`](Self::serialize_actor), made
    /// callable from this process.
    fn deserialize_actor(
        &self,
        handle: &[u8],
    ) -> std::result::Result<Arc<dyn RemoteActor>, BackendError> {
        let _ = handle;
        Err(self.cannot("receive actor handles"))
    }
    /// Ends the actor; with `no_restart` false it may restart (its `max_restarts`).
    fn kill_actor(
        &self,
        actor: &dyn RemoteActor,
        no_restart: bool,
    ) -> std::result::Result<(), BackendError> {
        let _ = (actor, no_restart);
        Err(self.cannot("kill actors"))
    }
    /// Disconnects when the runtime shuts down (and again when it is dropped: must be
    /// idempotent); calls under way may still be returning.
    fn shutdown(&self) {}
}

/// Runtimes with a backend now alive: while 0, submission skips looking for a backend.
static CLUSTER_RUNTIMES: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn runtime_connected() {
    CLUSTER_RUNTIMES.fetch_add(1, Ordering::SeqCst);
}

pub(crate) fn runtime_disconnected() {
    CLUSTER_RUNTIMES.fetch_sub(1, Ordering::SeqCst);
}

/// True while some runtime has a backend (the one branch the in-process path pays).
#[doc(hidden)]
#[inline]
pub fn cluster_active() -> bool {
    CLUSTER_RUNTIMES.load(Ordering::Relaxed) != 0
}

impl fmt::Debug for EncodedArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodedArg::Value(bytes) => write!(f, "Value({} bytes)", bytes.len()),
            EncodedArg::Object(o) => write!(f, "Object({:02x?})", o.id()),
            EncodedArg::Local(local) => write!(f, "Local({} bytes)", local.bytes.len()),
        }
    }
}
