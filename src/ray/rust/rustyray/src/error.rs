//! The single error type of RustyRay.

use std::error::Error as StdError;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use ray_common::{ActorId, ObjectId, TaskId};

/// `Result` with [`RustyRayError`] as the error.
pub type Result<T> = std::result::Result<T, RustyRayError>;

/// The error a remote function returned, shared by every reader of its object.
///
/// It dereferences to the user's error; [`RustyRayError::cause`] and
/// [`RustyRayError::downcast_ref`] give access to it from the outer error.
#[derive(Clone)]
pub struct TaskCause(Arc<dyn StdError + Send + Sync + 'static>);

impl TaskCause {
    /// Wraps any error (or anything that converts into a boxed error, such as a `String`).
    pub fn new(error: impl Into<Box<dyn StdError + Send + Sync + 'static>>) -> Self {
        TaskCause(Arc::from(error.into()))
    }
}

impl Deref for TaskCause {
    type Target = dyn StdError + Send + Sync + 'static;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

impl fmt::Debug for TaskCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for TaskCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

/// Everything that can go wrong in RustyRay.
///
/// Errors are cheap to clone: an object that failed hands the same error to every `get`.
///
/// ```
/// use rustyray::RustyRayError;
/// let e = RustyRayError::NotInitialised;
/// assert!(e.to_string().contains("not initialised"));
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RustyRayError {
    /// A remote function or actor method returned `Err`; the user's error is the `source`.
    #[error("task {task_id} ({function}) failed: {cause}")]
    TaskFailed {
        /// The failed task.
        task_id: TaskId,
        /// Name of the remote function or actor method.
        function: &'static str,
        /// The error the user's code returned.
        #[source]
        cause: TaskCause,
    },
    /// A remote function or actor method panicked; the runtime and other tasks carry on.
    #[error("task {task_id} ({function}) panicked: {message}")]
    TaskPanicked {
        /// The task that panicked.
        task_id: TaskId,
        /// Name of the remote function or actor method.
        function: &'static str,
        /// The panic message.
        message: String,
    },
    /// The actor was killed, its constructor failed, or it exhausted its restarts.
    #[error("actor {actor_id} ({class}) died: {reason}")]
    ActorDied {
        /// The dead actor.
        actor_id: ActorId,
        /// The actor's type name.
        class: &'static str,
        /// Why it died.
        reason: String,
    },
    /// No live actor has this name (or it has another type).
    #[error("no actor named {0:?}")]
    ActorNotFound(String),
    /// The wait exceeded its timeout.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// The task was cancelled before it produced its result.
    #[error("task {task_id} was cancelled")]
    Cancelled {
        /// The cancelled task.
        task_id: TaskId,
    },
    /// Creating the object would exceed the store's capacity.
    #[error("object store full: {capacity} live objects")]
    ObjectStoreFull {
        /// The configured capacity, in objects.
        capacity: usize,
    },
    /// No runtime: call `rustyray::init()` or use `#[rustyray::main]`.
    #[error("RustyRay is not initialised: call rustyray::init() or use #[rustyray::main]")]
    NotInitialised,
    /// `init` was called while a global runtime exists.
    #[error("RustyRay is already initialised; call rustyray::shutdown() first")]
    AlreadyInitialised,
    /// The runtime shut down before the object was produced.
    #[error("the RustyRay runtime has shut down")]
    RuntimeShutDown,
    /// The request can never be scheduled (more resources than the runtime has).
    #[error("infeasible resource request: {0}")]
    Infeasible(String),
    /// An object was produced by a task that no longer exists.
    #[error("object {0} was lost")]
    ObjectLost(ObjectId),
    /// Invalid options or arguments.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The call cannot run where the runtime sends it (e.g. an async function or an actor
    /// on a cluster backend).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The cluster backend failed (connection, submission, a lost worker or object).
    #[error("cluster: {0}")]
    Cluster(String),
}

impl RustyRayError {
    /// The user's error of a [`RustyRayError::TaskFailed`].
    pub fn cause(&self) -> Option<&(dyn StdError + Send + Sync + 'static)> {
        match self {
            RustyRayError::TaskFailed { cause, .. } => Some(&**cause),
            _ => None,
        }
    }

    /// The user's error of a [`RustyRayError::TaskFailed`], if it has type `E`.
    pub fn downcast_ref<E: StdError + 'static>(&self) -> Option<&E> {
        self.cause().and_then(|c| c.downcast_ref::<E>())
    }

    /// The task the error is about, where there is one.
    pub fn task_id(&self) -> Option<TaskId> {
        match self {
            RustyRayError::TaskFailed { task_id, .. }
            | RustyRayError::TaskPanicked { task_id, .. }
            | RustyRayError::Cancelled { task_id } => Some(*task_id),
            _ => None,
        }
    }
}

/// Text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_owned()
    }
}

/// `f`'s result, or its panic as the call's error (a body run outside tokio's tasks,
/// whose panics nothing else catches).
pub(crate) fn caught<R>(
    f: impl FnOnce() -> std::result::Result<R, TaskCause>,
) -> std::result::Result<R, TaskCause> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(TaskCause::new(format!("panicked: {}", panic_message(&*p)))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ray_common::JobId;

    #[derive(Debug, thiserror::Error)]
    #[error("boom {0}")]
    struct Boom(i32);

    #[test]
    fn task_failed_keeps_a_downcastable_source() {
        let task_id = TaskId::for_driver_task(&JobId::from_int(1));
        let e = RustyRayError::TaskFailed {
            task_id,
            function: "f",
            cause: TaskCause::new(Boom(7)),
        };
        let source = e.source().expect("source");
        assert_eq!(source.downcast_ref::<Boom>().map(|b| b.0), Some(7));
        assert_eq!(e.downcast_ref::<Boom>().map(|b| b.0), Some(7));
        assert_eq!(e.task_id(), Some(task_id));
        assert!(e.to_string().contains("boom 7"), "{e}");
        let cloned = e.clone();
        assert!(cloned.downcast_ref::<Boom>().is_some());
    }

    #[test]
    fn string_causes_and_panic_messages() {
        let c = TaskCause::new("plain text");
        assert_eq!(c.to_string(), "plain text");
        assert_eq!(panic_message(&"x"), "x");
        assert_eq!(panic_message(&String::from("y")), "y");
        assert_eq!(panic_message(&3u8), "panic with a non-string payload");
    }
}
