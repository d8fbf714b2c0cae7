//! Ray's `GenerateUniqueBytes`: SHA-256 over the job, parent task and
//! counters, truncated to the requested length.

use sha2::{Digest, Sha256};

use crate::{IdError, JobId, RayId, TaskId};

/// Length of a SHA-256 digest, the upper bound for unique bytes.
pub const SHA256_DIGEST_SIZE: usize = 32;

/// SHA-256 of `data` (standard output, same as Ray's bundled implementation).
pub fn sha256(data: &[u8]) -> [u8; SHA256_DIGEST_SIZE] {
    Sha256::digest(data).into()
}

/// Full digest used by every derivation; `extra` is only hashed when non-zero,
/// which is how Ray distinguishes ActorID (wall-clock salt) from task IDs.
pub(crate) fn unique_digest(
    job: &JobId,
    parent: &TaskId,
    parent_counter: u64,
    extra: u64,
) -> [u8; SHA256_DIGEST_SIZE] {
    let mut hasher = Sha256::new();
    hasher.update(job.as_bytes());
    hasher.update(parent.as_bytes());
    hasher.update(parent_counter.to_le_bytes());
    if extra != 0 {
        hasher.update(extra.to_le_bytes());
    }
    hasher.finalize().into()
}

/// The first `len` bytes of the unique digest; `len` above 32 is rejected
/// where Ray would abort on a failed check.
pub fn generate_unique_bytes(
    job: &JobId,
    parent: &TaskId,
    parent_counter: u64,
    extra: u64,
    len: usize,
) -> Result<Vec<u8>, IdError> {
    let (digest, len) = generate_unique_digest(job, parent, parent_counter, extra, len)?;
    Ok(digest.get(..len).map(<[u8]>::to_vec).unwrap_or_default())
}

/// [`generate_unique_bytes`] without the allocation: the whole digest and the
/// validated prefix length (at most [`SHA256_DIGEST_SIZE`]).
pub fn generate_unique_digest(
    job: &JobId,
    parent: &TaskId,
    parent_counter: u64,
    extra: u64,
    len: usize,
) -> Result<([u8; SHA256_DIGEST_SIZE], usize), IdError> {
    if len > SHA256_DIGEST_SIZE {
        return Err(IdError::UniqueBytesTooLong { requested: len });
    }
    Ok((unique_digest(job, parent, parent_counter, extra), len))
}
