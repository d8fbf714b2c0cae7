//! Errors of the cluster backend, one variant per status the C++ layer reports.

use thiserror::Error;

/// Status codes of `cpp/ray_bridge.h`; 0 is success, 1 (and anything unknown) a Ray error.
#[cfg_attr(not(feature = "cluster"), allow(dead_code))]
pub(crate) mod code {
    pub const TASK: i32 = 2;
    pub const TIMEOUT: i32 = 3;
    pub const WORKER_DIED: i32 = 4;
    pub const ACTOR_DIED: i32 = 5;
    pub const FUNCTION_NOT_FOUND: i32 = 6;
    pub const INVALID_ARGUMENT: i32 = 7;
    pub const NOT_INITIALIZED: i32 = 8;
}

/// What went wrong talking to the cluster or in a task it ran.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ClusterError {
    /// The task raised an error; the text contains the user's message.
    #[error("task failed: {0}")]
    TaskFailed(String),
    /// `get` or `wait` gave up before the object was ready.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The worker process running the task died.
    #[error("worker died: {0}")]
    WorkerDied(String),
    /// The actor running the call died.
    #[error("actor died: {0}")]
    ActorDied(String),
    /// No worker found the function (not in the library on the code search path).
    #[error("function not found: {0}")]
    FunctionNotFound(String),
    /// The request was malformed (e.g. an empty resource name).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// `Cluster::connect` was not called, or the cluster was shut down.
    #[error("not connected to a Ray cluster: {0}")]
    NotConnected(String),
    /// A value could not be encoded or decoded.
    #[error("codec: {0}")]
    Codec(String),
    /// Any other error reported by Ray.
    #[error("ray: {0}")]
    Ray(String),
}

impl ClusterError {
    /// Maps a status of the C++ layer and its message to the variant.
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))]
    pub(crate) fn from_status(status: i32, message: String) -> Self {
        match status {
            code::TASK => Self::TaskFailed(message),
            code::TIMEOUT => Self::Timeout(message),
            code::WORKER_DIED => Self::WorkerDied(message),
            code::ACTOR_DIED => Self::ActorDied(message),
            code::FUNCTION_NOT_FOUND => Self::FunctionNotFound(message),
            code::INVALID_ARGUMENT => Self::InvalidArgument(message),
            code::NOT_INITIALIZED => Self::NotConnected(message),
            _ => Self::Ray(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_variants() {
        let m = || "m".to_string();
        assert_eq!(
            ClusterError::from_status(code::TASK, m()),
            ClusterError::TaskFailed(m())
        );
        assert_eq!(
            ClusterError::from_status(code::TIMEOUT, m()),
            ClusterError::Timeout(m())
        );
        assert_eq!(
            ClusterError::from_status(code::FUNCTION_NOT_FOUND, m()),
            ClusterError::FunctionNotFound(m())
        );
        assert_eq!(ClusterError::from_status(1, m()), ClusterError::Ray(m()));
        assert_eq!(ClusterError::from_status(99, m()), ClusterError::Ray(m()));
    }
}
