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

impl ClusterError {
    /// Like [`ClusterError::from_status`], from the message's bytes. A dead worker's or
    /// actor's message is Ray's serialized error record (protobuf), not text: only its
    /// readable runs are kept.
    #[cfg_attr(not(feature = "cluster"), allow(dead_code))]
    pub(crate) fn from_status_bytes(status: i32, message: &[u8]) -> Self {
        let text = match status {
            code::WORKER_DIED | code::ACTOR_DIED => readable_text(message),
            // A Python function's error reaches a cross-language caller as Ray's binary
            // error record; this crate's own task errors are text.
            code::TASK if std::str::from_utf8(message).is_err() => readable_text(message),
            _ => String::from_utf8_lossy(message).into_owned(),
        };
        Self::from_status(status, text)
    }
}

/// The runs of at least 8 printable characters in `bytes`, joined by " | ", or a note that
/// there are none.
#[cfg_attr(not(feature = "cluster"), allow(dead_code))]
fn readable_text(bytes: &[u8]) -> String {
    const MIN_RUN: usize = 8;
    let text = String::from_utf8_lossy(bytes);
    let runs: Vec<&str> = text
        .split(|c: char| c.is_control() || c == char::REPLACEMENT_CHARACTER)
        .map(str::trim)
        .filter(|run| run.chars().count() >= MIN_RUN)
        .collect();
    if runs.is_empty() {
        "(Ray's error record has no readable detail)".to_string()
    } else {
        runs.join(" | ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dead_worker_records_keep_their_readable_runs() {
        let mut record = vec![0x0a, 0x10, 0xff, 0xfe];
        record.extend_from_slice(b"The actor is dead because its worker process has died.");
        record.extend_from_slice(&[0x12, 0x03, 0x80]);
        record.extend_from_slice(b"short");
        assert_eq!(
            ClusterError::from_status_bytes(code::ACTOR_DIED, &record),
            ClusterError::ActorDied(
                "The actor is dead because its worker process has died.".into()
            )
        );
        assert_eq!(
            ClusterError::from_status_bytes(code::WORKER_DIED, &[0x0a, 0xff, 0x01]),
            ClusterError::WorkerDied("(Ray's error record has no readable detail)".into())
        );
        // A Python error record (binary) keeps its readable runs too.
        let mut record = vec![0xcd, 0x03, 0x1f, 0, 0, 0, 0, 0, 0, 0xc5, 0x03, 0x10, 0x08];
        record.extend_from_slice(b"AttributeError: 'int' object has no attribute 'upper'");
        assert_eq!(
            ClusterError::from_status_bytes(code::TASK, &record),
            ClusterError::TaskFailed(
                "AttributeError: 'int' object has no attribute 'upper'".into()
            )
        );
        // Other messages are text and stay whole.
        assert_eq!(
            ClusterError::from_status_bytes(code::TASK, b"line one\nline two"),
            ClusterError::TaskFailed("line one\nline two".into())
        );
    }

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
