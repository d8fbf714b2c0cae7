//! Ray's common types in Rust: status codes and errors, and the ID family,
//! byte-for-byte compatible with Ray 2.60.

mod hash;
mod id_error;
mod ids;
mod ray_id;
mod status;
mod unique_bytes;

pub use hash::murmur_hash64a;
pub use id_error::IdError;
pub use ids::{
    compute_driver_id_from_job, ActorClassId, ActorId, ClusterId, ConfigId, FunctionId, JobId,
    LeaseId, NodeId, ObjectId, PlacementGroupId, TaskId, UniqueId, WorkerId, GCS_NODE_ID,
    OBJECT_ID_INDEX_SIZE_BITS, UNIQUE_ID_SIZE,
};
pub use ray_id::{read_hex, write_hex, RayId, NIL_ID_TEXT};
pub use status::{
    code_as_string, format_status, status_string, string_to_code, ParseStatusCodeError, RayError,
    Result, SourceLocation, StatusCode, DEFAULT_RPC_CODE, OK_STATUS_STRING, UNKNOWN_CODE_STRING,
};
pub use unique_bytes::{generate_unique_bytes, generate_unique_digest, sha256, SHA256_DIGEST_SIZE};

/// Everything needed to work with IDs and statuses.
pub mod prelude {
    pub use crate::{
        ActorId, JobId, LeaseId, NodeId, ObjectId, PlacementGroupId, RayError, RayId, Result,
        StatusCode, TaskId, UniqueId, WorkerId,
    };
}
