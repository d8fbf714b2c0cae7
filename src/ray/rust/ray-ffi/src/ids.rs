//! The ID half of the bridge: byte-level wrappers over `ray_common`'s IDs.
//!
//! `ray_common` validates `&str` input and describes failures with
//! [`IdError`]; this module accepts arbitrary bytes (a C++ `std::string`)
//! and renders failures exactly as Ray's C++ logs them, including the raw
//! input bytes.

use std::borrow::Cow;
use std::pin::Pin;

use cxx::CxxString;

use ray_common::{
    ActorId, IdError, JobId, LeaseId, ObjectId, PlacementGroupId, RayId, TaskId, UniqueId, WorkerId,
};

use crate::bridge::ffi::{
    ActorIdBytes, DigestBytes, IdKind, JobIdBytes, LeaseIdBytes, ObjectIdBytes,
    PlacementGroupIdBytes, TaskIdBytes, UniqueIdBytes,
};
use crate::guard::guard;

/// Receives the text of a failed check: over the bridge the caller's
/// `std::string` (creating one costs C++ nothing on the success path), a
/// `Vec` in Rust tests.
pub(crate) trait CheckText {
    fn set(&mut self, text: &[u8]);
}

impl CheckText for &mut Vec<u8> {
    fn set(&mut self, text: &[u8]) {
        self.clear();
        self.extend_from_slice(text);
    }
}

impl CheckText for Pin<&mut CxxString> {
    fn set(&mut self, text: &[u8]) {
        self.as_mut().clear();
        self.as_mut().push_bytes(text);
    }
}

/// Converts between a bridge byte struct and its `ray_common` ID.
macro_rules! bytes_conversions {
    ($($bytes:ident <=> $($id:ident),+;)+) => {
        $($(
            impl From<$bytes> for $id {
                fn from(value: $bytes) -> Self {
                    $id::from_bytes(value.bytes)
                }
            }

            impl From<&$bytes> for $id {
                fn from(value: &$bytes) -> Self {
                    $id::from_bytes(value.bytes)
                }
            }

            impl From<$id> for $bytes {
                fn from(value: $id) -> Self {
                    $bytes { bytes: value.to_bytes() }
                }
            }
        )+)+
    };
}

bytes_conversions! {
    JobIdBytes <=> JobId;
    ActorIdBytes <=> ActorId;
    TaskIdBytes <=> TaskId;
    ObjectIdBytes <=> ObjectId;
    PlacementGroupIdBytes <=> PlacementGroupId;
    LeaseIdBytes <=> LeaseId;
    UniqueIdBytes <=> UniqueId, WorkerId;
}

/// Runs `$body` with `$T` naming the `ray_common` type of `$kind`;
/// `$fallback` for a value outside the enum (only a corrupted call).
macro_rules! with_id_type {
    ($kind:expr, $T:ident => $body:expr, _ => $fallback:expr) => {
        match $kind {
            IdKind::Unique => {
                type $T = UniqueId;
                $body
            }
            IdKind::Job => {
                type $T = JobId;
                $body
            }
            IdKind::Actor => {
                type $T = ActorId;
                $body
            }
            IdKind::Task => {
                type $T = TaskId;
                $body
            }
            IdKind::Object => {
                type $T = ObjectId;
                $body
            }
            IdKind::PlacementGroup => {
                type $T = PlacementGroupId;
                $body
            }
            IdKind::Lease => {
                type $T = LeaseId;
                $body
            }
            _ => $fallback,
        }
    };
}

/// Ray's check text when a nil ID is asked for its job (`RAY_CHECK(!IsNil())`).
const NIL_ID_CHECK: &str = "Check failed: !IsNil() ";

/// Copies `id` into `out` when the sizes agree.
fn store(id: &[u8], out: &mut [u8]) -> bool {
    if id.len() == out.len() {
        out.copy_from_slice(id);
        true
    } else {
        false
    }
}

/// Replaces the contents of `out` with `text`.
fn set_text(out: &mut Vec<u8>, parts: &[&[u8]]) {
    out.clear();
    for part in parts {
        out.extend_from_slice(part);
    }
}

/// Ray's check text for `BaseID<T>::FromBinary` with input of the wrong size.
fn binary_size_failure(err: &IdError) -> Vec<u8> {
    let mut text = b"Check failed: binary.size() == T::Size() ".to_vec();
    text.extend_from_slice(err.to_string().as_bytes());
    text
}

/// Ray's check text for `BaseID`'s binary constructor (behind `UniqueID` and
/// the `DEFINE_UNIQUE_ID` types' `FromBinary`), which names its own
/// condition and prints the raw input.
fn constructor_size_failure(binary: &[u8], expected: usize) -> Vec<u8> {
    let mut text = Vec::new();
    set_text(
        &mut text,
        &[
            b"Check failed: binary.size() == Size() expected size is ",
            expected.to_string().as_bytes(),
            b", but got data ",
            binary,
            b" of size ",
            binary.len().to_string().as_bytes(),
        ],
    );
    text
}

fn from_binary_as<T: RayId>(binary: &[u8], out: &mut [u8], failure: &mut impl CheckText) -> bool {
    let result = match T::from_binary(binary) {
        Ok(id) if store(id.as_bytes(), out) => return true,
        Ok(_) => IdError::InvalidLength {
            type_name: T::TYPE_NAME,
            expected: T::SIZE,
            actual: out.len(),
        },
        Err(err) => err,
    };
    failure.set(&binary_size_failure(&result));
    false
}

/// Ray's ERROR text for a rejected hex string: `ray_common`'s message with
/// the input appended as the raw bytes (which need not be UTF-8).
pub(crate) fn hex_error_text(err: &IdError, input: &[u8]) -> Vec<u8> {
    let without_input = match err {
        IdError::InvalidHexLength {
            expected, actual, ..
        } => IdError::InvalidHexLength {
            expected: *expected,
            actual: *actual,
            input: String::new(),
        },
        IdError::InvalidHexChar { .. } => IdError::InvalidHexChar {
            input: String::new(),
        },
        other => return other.to_string().into_bytes(),
    };
    let mut text = without_input.to_string().into_bytes();
    text.extend_from_slice(input);
    text
}

fn parse_hex_as<T: RayId>(hex: &[u8]) -> Result<T, IdError> {
    // Valid UTF-8 is parsed in place (lengths are byte lengths and non-ASCII
    // bytes are never hex digits). Hex digits are ASCII, so for other input
    // each non-ASCII byte can stand in as '?' with the same verdict.
    let ascii: Cow<'_, str> = match std::str::from_utf8(hex) {
        Ok(text) => Cow::Borrowed(text),
        _ => hex
            .iter()
            .map(|&b| if b.is_ascii() { char::from(b) } else { '?' })
            .collect(),
    };
    T::from_hex(&ascii)
}

/// Why `from_hex_as` fails for this input and buffer size (empty if it
/// does not).
fn hex_error_as<T: RayId>(hex: &[u8], size: usize) -> Vec<u8> {
    match parse_hex_as::<T>(hex) {
        Ok(_) if size == T::SIZE => Vec::new(),
        Ok(_) => format!("ID buffer of {size} bytes for a {}", T::TYPE_NAME).into_bytes(),
        Err(err) => hex_error_text(&err, hex),
    }
}

pub(crate) fn id_from_binary(
    kind: IdKind,
    binary: &[u8],
    out: &mut [u8],
    mut failure: impl CheckText,
) -> bool {
    guard(
        "id_from_binary",
        || with_id_type!(kind, T => from_binary_as::<T>(binary, out, &mut failure), _ => false),
    )
}

/// `BaseID`'s protected binary constructor: like [`from_binary_as`], but a
/// wrong size fails with the constructor's own check text, which names
/// `Size()` and shows the raw input.
fn constructor_from_binary_as<T: RayId>(
    binary: &[u8],
    out: &mut [u8],
    failure: &mut impl CheckText,
) -> bool {
    match T::from_binary(binary) {
        Ok(id) if store(id.as_bytes(), out) => true,
        _ => {
            failure.set(&constructor_size_failure(binary, T::SIZE));
            false
        }
    }
}

pub(crate) fn id_constructor_from_binary(
    kind: IdKind,
    binary: &[u8],
    out: &mut [u8],
    mut failure: impl CheckText,
) -> bool {
    guard(
        "id_constructor_from_binary",
        || with_id_type!(kind, T => constructor_from_binary_as::<T>(binary, out, &mut failure), _ => false),
    )
}

/// `FromHex`'s decoding of an ID of `N` bytes. The kind is not needed:
/// `FromHex` of a type passes that type's size.
///
/// # Safety
/// `hex` points to `hex_len` readable bytes and `out` to `N` writable ones.
#[inline(always)]
unsafe fn id_read_hex<const N: usize>(hex: *const u8, hex_len: usize, out: *mut u8) -> bool {
    guard("id_read_hex", || {
        // SAFETY: the caller's contract; `[u8; N]` has alignment 1.
        let (hex, out) = unsafe { (slice_at(hex, hex_len), &mut *out.cast::<[u8; N]>()) };
        ray_common::read_hex(hex, out)
    })
}

macro_rules! id_read_hex_of_size {
    ($($name:ident = $size:literal),*) => {$(
        /// # Safety
        #[doc = concat!("`hex` points to `hex_len` readable bytes and `out` to ", $size, " writable ones.")]
        pub(crate) unsafe fn $name(hex: *const u8, hex_len: usize, out: *mut u8) -> bool {
            // SAFETY: the caller's contract.
            unsafe { id_read_hex::<$size>(hex, hex_len, out) }
        }
    )*};
}

id_read_hex_of_size!(
    id_read_hex_4 = 4,
    id_read_hex_16 = 16,
    id_read_hex_18 = 18,
    id_read_hex_24 = 24,
    id_read_hex_28 = 28,
    id_read_hex_32 = 32
);

pub(crate) fn id_hex_error(kind: IdKind, hex: &[u8], size: usize) -> Vec<u8> {
    guard(
        "id_hex_error",
        || with_id_type!(kind, T => hex_error_as::<T>(hex, size), _ => Vec::new()),
    )
}

/// # Safety
/// `id` points to `len` readable bytes and `out` to `2 * len` writable ones.
pub(crate) unsafe fn id_hex(kind: IdKind, id: *const u8, len: usize, out: *mut u8) -> bool {
    // SAFETY: the caller's contract.
    let (id, out) = unsafe { (slice_at(id, len), slice_at_mut(out, 2 * len)) };
    hex_into(kind, id, out)
}

/// The `len` bytes at `data`, which may be null (or dangling) when `len` is 0.
///
/// # Safety
/// `data` points to `len` readable bytes that outlive `'a`, or `len` is 0.
unsafe fn slice_at<'a>(data: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller's contract.
    unsafe { std::slice::from_raw_parts(data, len) }
}

/// [`slice_at`], writable.
///
/// # Safety
/// `data` points to `len` writable bytes that outlive `'a` and nothing else refers to, or
/// `len` is 0.
unsafe fn slice_at_mut<'a>(data: *mut u8, len: usize) -> &'a mut [u8] {
    if len == 0 {
        return &mut [];
    }
    // SAFETY: the caller's contract.
    unsafe { std::slice::from_raw_parts_mut(data, len) }
}

#[inline]
fn hex_into(kind: IdKind, id: &[u8], out: &mut [u8]) -> bool {
    guard("id_hex", || {
        let size = with_id_type!(kind, T => T::SIZE, _ => return false);
        id.len() == size && ray_common::write_hex(id, out)
    })
}

/// An ID's `Hash()`: MurmurHash64A of its `N` bytes with seed 0.
///
/// # Safety
/// `id` points to `N` readable bytes.
#[inline(always)]
unsafe fn id_hash<const N: usize>(id: *const u8) -> u64 {
    guard("id_hash", || {
        // SAFETY: the caller's contract; `[u8; N]` has alignment 1.
        let bytes = unsafe { &*id.cast::<[u8; N]>() };
        ray_common::murmur_hash64a(bytes, 0)
    })
}

macro_rules! id_hash_of_size {
    ($($name:ident = $size:literal),*) => {$(
        /// # Safety
        #[doc = concat!("`id` points to ", $size, " readable bytes.")]
        pub(crate) unsafe fn $name(id: *const u8) -> u64 {
            // SAFETY: the caller's contract.
            unsafe { id_hash::<$size>(id) }
        }
    )*};
}

id_hash_of_size!(
    id_hash_4 = 4,
    id_hash_16 = 16,
    id_hash_18 = 18,
    id_hash_24 = 24,
    id_hash_28 = 28,
    id_hash_32 = 32
);

pub(crate) fn id_from_random(kind: IdKind, out: &mut [u8]) -> bool {
    guard("id_from_random", || match kind {
        IdKind::Unique => store(UniqueId::from_random().as_bytes(), out),
        IdKind::Object => store(ObjectId::from_random().as_bytes(), out),
        IdKind::Lease => store(LeaseId::from_random().as_bytes(), out),
        _ => false,
    })
}

pub(crate) fn nil_id_text() -> &'static str {
    guard("nil_id_text", || ray_common::NIL_ID_TEXT)
}

/// # Safety
/// `data` points to `len` readable bytes, or `len` is 0.
pub(crate) unsafe fn murmur_hash64a(data: *const u8, len: usize, seed: u32) -> u64 {
    // SAFETY: the caller's contract.
    let bytes = unsafe { slice_at(data, len) };
    guard("murmur_hash64a", || ray_common::murmur_hash64a(bytes, seed))
}

/// Ray's check text for a digest prefix longer than the digest.
fn unique_bytes_length_failure(length: usize) -> Vec<u8> {
    format!(
        "Check failed: length <= kSha256DigestSize length {length} exceeds the SHA-256 digest size"
    )
    .into_bytes()
}

pub(crate) fn generate_unique_bytes(
    job: JobIdBytes,
    parent_task: &TaskIdBytes,
    parent_task_counter: usize,
    extra_bytes: usize,
    length: usize,
    out: &mut DigestBytes,
    mut failure: impl CheckText,
) -> bool {
    guard("generate_unique_bytes", || {
        let digest = ray_common::generate_unique_digest(
            &job.into(),
            &parent_task.into(),
            parent_task_counter as u64,
            extra_bytes as u64,
            length,
        );
        // `len` is validated against the digest size, so both ranges exist.
        let copied = digest.ok().and_then(|(digest, len)| {
            let (src, dst) = digest.get(..len).zip(out.bytes.get_mut(..len))?;
            dst.copy_from_slice(src);
            Some(())
        });
        match copied {
            Some(()) => true,
            None => {
                failure.set(&unique_bytes_length_failure(length));
                false
            }
        }
    })
}

pub(crate) fn compute_driver_id_from_job(job: JobIdBytes) -> UniqueIdBytes {
    guard("compute_driver_id_from_job", || {
        ray_common::compute_driver_id_from_job(&job.into()).into()
    })
}

pub(crate) fn gcs_node_id() -> UniqueIdBytes {
    guard("gcs_node_id", || UniqueIdBytes {
        bytes: ray_common::GCS_NODE_ID.to_bytes(),
    })
}

pub(crate) fn job_id_from_int(value: u32) -> JobIdBytes {
    guard("job_id_from_int", || JobId::from_int(value).into())
}

pub(crate) fn job_id_to_int(job: JobIdBytes) -> u32 {
    guard("job_id_to_int", || JobId::from(job).to_int())
}

pub(crate) fn actor_id_of(
    job: JobIdBytes,
    parent_task: &TaskIdBytes,
    parent_task_counter: usize,
) -> ActorIdBytes {
    guard("actor_id_of", || {
        ActorId::of(&job.into(), &parent_task.into(), parent_task_counter as u64).into()
    })
}

pub(crate) fn actor_id_nil_from_job(job: JobIdBytes) -> ActorIdBytes {
    guard("actor_id_nil_from_job", || {
        ActorId::nil_from_job(&job.into()).into()
    })
}

/// Stores a job extracted from a larger ID, or Ray's nil check text.
fn store_job(
    result: Result<JobId, IdError>,
    job: &mut JobIdBytes,
    failure: &mut impl CheckText,
) -> bool {
    match result {
        Ok(id) => {
            *job = id.into();
            true
        }
        Err(_) => {
            failure.set(NIL_ID_CHECK.as_bytes());
            false
        }
    }
}

pub(crate) fn actor_id_job_id(
    actor: &ActorIdBytes,
    job: &mut JobIdBytes,
    mut failure: impl CheckText,
) -> bool {
    guard("actor_id_job_id", || {
        store_job(ActorId::from(actor).job_id(), job, &mut failure)
    })
}

pub(crate) fn task_id_compute_driver_task_id(worker: &UniqueIdBytes) -> TaskIdBytes {
    guard("task_id_compute_driver_task_id", || {
        TaskId::compute_driver_task_id(&worker.into()).into()
    })
}

pub(crate) fn task_id_for_driver_task(job: JobIdBytes) -> TaskIdBytes {
    guard("task_id_for_driver_task", || {
        TaskId::for_driver_task(&job.into()).into()
    })
}

pub(crate) fn task_id_from_random(job: JobIdBytes) -> TaskIdBytes {
    guard("task_id_from_random", || {
        TaskId::from_random(&job.into()).into()
    })
}

pub(crate) fn task_id_for_actor_creation_task(actor: &ActorIdBytes) -> TaskIdBytes {
    guard("task_id_for_actor_creation_task", || {
        TaskId::for_actor_creation_task(&actor.into()).into()
    })
}

pub(crate) fn task_id_for_actor_task(
    job: JobIdBytes,
    parent_task: &TaskIdBytes,
    parent_task_counter: usize,
    actor: &ActorIdBytes,
) -> TaskIdBytes {
    guard("task_id_for_actor_task", || {
        TaskId::for_actor_task(
            &job.into(),
            &parent_task.into(),
            parent_task_counter as u64,
            &actor.into(),
        )
        .into()
    })
}

pub(crate) fn task_id_for_normal_task(
    job: JobIdBytes,
    parent_task: &TaskIdBytes,
    parent_task_counter: usize,
) -> TaskIdBytes {
    guard("task_id_for_normal_task", || {
        TaskId::for_normal_task(&job.into(), &parent_task.into(), parent_task_counter as u64).into()
    })
}

pub(crate) fn task_id_for_execution_attempt(
    task: &TaskIdBytes,
    attempt_number: u64,
) -> TaskIdBytes {
    guard("task_id_for_execution_attempt", || {
        TaskId::from(task)
            .for_execution_attempt(attempt_number)
            .into()
    })
}

pub(crate) fn task_id_actor_id(task: &TaskIdBytes) -> ActorIdBytes {
    guard("task_id_actor_id", || TaskId::from(task).actor_id().into())
}

pub(crate) fn task_id_job_id(
    task: &TaskIdBytes,
    job: &mut JobIdBytes,
    mut failure: impl CheckText,
) -> bool {
    guard("task_id_job_id", || {
        store_job(TaskId::from(task).job_id(), job, &mut failure)
    })
}

pub(crate) fn task_id_is_for_actor_creation_task(task: &TaskIdBytes) -> bool {
    guard("task_id_is_for_actor_creation_task", || {
        TaskId::from(task).is_for_actor_creation_task()
    })
}

pub(crate) fn object_id_from_index(
    task: &TaskIdBytes,
    index: u32,
    object: &mut ObjectIdBytes,
    mut failure: impl CheckText,
) -> bool {
    guard("object_id_from_index", || {
        match ObjectId::from_index(&task.into(), index) {
            Ok(id) => {
                *object = id.into();
                true
            }
            // ray_common's text for this check is Ray's verbatim.
            Err(err) => {
                failure.set(err.to_string().as_bytes());
                false
            }
        }
    })
}

pub(crate) fn object_id_task_id(object: &ObjectIdBytes) -> TaskIdBytes {
    guard("object_id_task_id", || {
        ObjectId::from(object).task_id().into()
    })
}

pub(crate) fn object_id_index(object: &ObjectIdBytes) -> u32 {
    guard("object_id_index", || ObjectId::from(object).object_index())
}

pub(crate) fn object_id_from_random() -> ObjectIdBytes {
    guard("object_id_from_random", || ObjectId::from_random().into())
}

pub(crate) fn object_id_for_actor_handle(actor: &ActorIdBytes) -> ObjectIdBytes {
    guard("object_id_for_actor_handle", || {
        ObjectId::for_actor_handle(&actor.into()).into()
    })
}

pub(crate) fn object_id_is_actor_id(object: &ObjectIdBytes) -> bool {
    guard("object_id_is_actor_id", || {
        ObjectId::from(object).is_actor_id()
    })
}

pub(crate) fn object_id_to_actor_id(object: &ObjectIdBytes) -> ActorIdBytes {
    guard("object_id_to_actor_id", || {
        ObjectId::from(object).to_actor_id().into()
    })
}

pub(crate) fn placement_group_id_of(job: JobIdBytes) -> PlacementGroupIdBytes {
    guard("placement_group_id_of", || {
        PlacementGroupId::of(&job.into()).into()
    })
}

pub(crate) fn placement_group_id_job_id(
    group: &PlacementGroupIdBytes,
    job: &mut JobIdBytes,
    mut failure: impl CheckText,
) -> bool {
    guard("placement_group_id_job_id", || {
        store_job(PlacementGroupId::from(group).job_id(), job, &mut failure)
    })
}

pub(crate) fn lease_id_from_worker(worker: &UniqueIdBytes, counter: u32) -> LeaseIdBytes {
    guard("lease_id_from_worker", || {
        LeaseId::from_worker(&worker.into(), counter).into()
    })
}

pub(crate) fn lease_id_from_random() -> LeaseIdBytes {
    guard("lease_id_from_random", || LeaseId::from_random().into())
}

pub(crate) fn lease_id_worker_id(lease: &LeaseIdBytes) -> UniqueIdBytes {
    guard("lease_id_worker_id", || {
        LeaseId::from(lease).worker_id().into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_hex_into(kind: IdKind, hex: &[u8], out: &mut [u8]) -> bool {
        // SAFETY: both pointers come from live slices of those lengths.
        let size = with_id_type!(kind, T => T::SIZE, _ => return false);
        if out.len() != size {
            return false;
        }
        let read = match size {
            4 => id_read_hex_4,
            16 => id_read_hex_16,
            18 => id_read_hex_18,
            24 => id_read_hex_24,
            28 => id_read_hex_28,
            32 => id_read_hex_32,
            _ => return false,
        };
        // SAFETY: both pointers come from live slices, `out` of `size` bytes.
        unsafe { read(hex.as_ptr(), hex.len(), out.as_mut_ptr()) }
    }

    fn to_hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn from_hex(kind: IdKind, hex: &[u8], size: usize) -> Result<Vec<u8>, Vec<u8>> {
        let mut out = vec![0xff; size];
        if from_hex_into(kind, hex, &mut out) {
            assert!(id_hex_error(kind, hex, size).is_empty());
            Ok(out)
        } else {
            Err(id_hex_error(kind, hex, size))
        }
    }

    fn from_binary(kind: IdKind, binary: &[u8], size: usize) -> Result<Vec<u8>, Vec<u8>> {
        let mut out = vec![0xff; size];
        let mut failure = Vec::new();
        if id_from_binary(kind, binary, &mut out, &mut failure) {
            Ok(out)
        } else {
            Err(failure)
        }
    }

    #[test]
    fn hex_accepts_both_cases() {
        assert_eq!(
            from_hex(IdKind::Job, b"AbCdEf01", 4),
            Ok(vec![0xab, 0xcd, 0xef, 0x01])
        );
        assert_eq!(from_hex(IdKind::Job, b"ffffffff", 4), Ok(vec![0xff; 4]));
    }

    #[test]
    fn hex_errors_are_rays_texts() {
        assert_eq!(
            from_hex(IdKind::Job, b"010000", 4),
            Err(b"incorrect hex string length: 2 * 4 != 6, hex string: 010000".to_vec())
        );
        assert_eq!(
            from_hex(IdKind::Job, b"", 4),
            Err(b"incorrect hex string length: 2 * 4 != 0, hex string: ".to_vec())
        );
        assert_eq!(
            from_hex(IdKind::Job, b"0x010000", 4),
            Err(b"incorrect hex character, hex string: 0x010000".to_vec())
        );
        assert_eq!(
            from_hex(IdKind::Lease, b"00", 32),
            Err(b"incorrect hex string length: 2 * 32 != 2, hex string: 00".to_vec())
        );
        assert_eq!(
            from_hex(IdKind::Job, b"0100\x00000", 4),
            Err(b"incorrect hex character, hex string: 0100\x00000".to_vec())
        );
    }

    #[test]
    fn hex_errors_keep_non_utf8_input_verbatim() {
        // Lengths are byte lengths; the input is echoed byte for byte.
        assert_eq!(
            from_hex(IdKind::Job, b"0100\xc3\xa9", 4),
            Err(b"incorrect hex string length: 2 * 4 != 6, hex string: 0100\xc3\xa9".to_vec())
        );
        assert_eq!(
            from_hex(IdKind::Job, b"\xff\xfe\x80\x00abcd", 4),
            Err(b"incorrect hex character, hex string: \xff\xfe\x80\x00abcd".to_vec())
        );
        assert_eq!(
            from_hex(IdKind::Job, b"\xff\xfe\x80", 4),
            Err(b"incorrect hex string length: 2 * 4 != 3, hex string: \xff\xfe\x80".to_vec())
        );
        // A late bad character gives no partial result.
        let mut input = b"00".repeat(27);
        input.extend_from_slice(b"0\xc3");
        let mut expected = b"incorrect hex character, hex string: ".to_vec();
        expected.extend_from_slice(&input);
        assert_eq!(from_hex(IdKind::Object, &input, 28), Err(expected));
    }

    #[test]
    fn binary_sizes_and_fatal_texts() {
        assert_eq!(from_binary(IdKind::Job, b"", 4), Ok(vec![0xff; 4]));
        assert_eq!(
            from_binary(IdKind::Job, b"\x01\x02\x03\x04", 4),
            Ok(vec![1, 2, 3, 4])
        );
        assert_eq!(
            from_binary(IdKind::Job, b"\x01\x01\x01", 4),
            Err(b"Check failed: binary.size() == T::Size() expected size is 4, but got data size is 3".to_vec())
        );
        assert_eq!(
            from_binary(IdKind::Object, &[1; 24], 28),
            Err(b"Check failed: binary.size() == T::Size() expected size is 28, but got data size is 24".to_vec())
        );
        assert_eq!(
            from_binary(IdKind::Unique, &[b'x'; 29], 28),
            Err(b"Check failed: binary.size() == T::Size() expected size is 28, but got data size is 29".to_vec())
        );
    }

    #[test]
    fn constructor_failure_names_size_and_shows_the_input() {
        let mut out = [0u8; 4];
        let mut failure = Vec::new();
        assert!(!id_constructor_from_binary(
            IdKind::Job,
            b"a\xffcde",
            &mut out,
            &mut failure
        ));
        assert_eq!(
            failure,
            b"Check failed: binary.size() == Size() expected size is 4, but got data a\xffcde of size 5"
        );
        assert!(id_constructor_from_binary(
            IdKind::Job,
            b"",
            &mut out,
            &mut failure
        ));
        assert_eq!(out, [0xff; 4]);
        let mut unique = [0u8; 28];
        assert!(id_constructor_from_binary(
            IdKind::Unique,
            &[9; 28],
            &mut unique,
            &mut failure
        ));
        assert_eq!(unique, [9; 28]);
        assert!(!id_constructor_from_binary(
            IdKind::Unique,
            b"a\xffc",
            &mut unique,
            &mut failure
        ));
        assert_eq!(
            failure,
            b"Check failed: binary.size() == Size() expected size is 28, but got data a\xffc of size 3"
        );
        assert!(!id_constructor_from_binary(
            IdKind::Unique,
            &[9; 28],
            &mut out,
            &mut failure
        ));
    }

    #[test]
    fn unknown_kind_is_rejected() {
        let bogus = IdKind { repr: 200 };
        let mut out = [0u8; 4];
        let mut text = Vec::new();
        assert!(!id_from_binary(bogus, b"abcd", &mut out, &mut text));
        assert!(!from_hex_into(bogus, b"abcd", &mut out));
        assert!(id_hex_error(bogus, b"abcd", 4).is_empty());
        assert!(!hex_into(bogus, b"abcd", &mut [0u8; 8]));
        assert!(!id_from_random(bogus, &mut out));
    }

    #[test]
    fn hex_and_hash_of_slices() {
        let mut out = [0u8; 8];
        assert!(hex_into(IdKind::Job, &[0xc7, 0, 0, 0], &mut out));
        assert_eq!(&out, b"c7000000");
        out = [0; 8];
        // SAFETY: 4 readable bytes, 8 writable ones.
        assert!(unsafe { id_hex(IdKind::Job, [0xc7, 0, 0, 0].as_ptr(), 4, out.as_mut_ptr()) });
        assert_eq!(&out, b"c7000000");
        assert!(!hex_into(IdKind::Job, &[0xc7, 0, 0, 0], &mut [0u8; 7]));
        let job = [0xc7, 0, 0, 0];
        // SAFETY: pointers and lengths of live arrays.
        let (job_hash, nil_object_hash, empty_hash) = unsafe {
            (
                murmur_hash64a(job.as_ptr(), job.len(), 0),
                murmur_hash64a([0xff; 28].as_ptr(), 28, 0),
                murmur_hash64a(std::ptr::null(), 0, 7),
            )
        };
        assert_eq!(job_hash, 5_435_084_878_588_685_719);
        // SAFETY: pointers to arrays of the functions' sizes.
        let by_size = unsafe {
            [
                (id_hash_4([1; 4].as_ptr()), 4),
                (id_hash_16([1; 16].as_ptr()), 16),
                (id_hash_18([1; 18].as_ptr()), 18),
                (id_hash_24([1; 24].as_ptr()), 24),
                (id_hash_28([1; 28].as_ptr()), 28),
                (id_hash_32([1; 32].as_ptr()), 32),
            ]
        };
        for (hash, size) in by_size {
            assert_eq!(
                hash,
                ray_common::murmur_hash64a(&vec![1; size], 0),
                "size {size}"
            );
        }
        assert_eq!(nil_object_hash, 13_943_175_134_394_361_224);
        assert_eq!(empty_hash, ray_common::murmur_hash64a(&[], 7));
    }

    #[test]
    fn random_only_for_types_that_have_it() {
        let mut unique = [0xffu8; 28];
        assert!(id_from_random(IdKind::Unique, &mut unique));
        assert!(unique.iter().all(|&b| b != 0xff));
        let mut object = [0xffu8; 28];
        assert!(id_from_random(IdKind::Object, &mut object));
        assert_eq!(&object[24..], &[0, 0, 0, 0]);
        assert!(!id_from_random(IdKind::Job, &mut [0u8; 4]));
        assert!(!id_from_random(IdKind::Unique, &mut [0u8; 4]));
    }

    #[test]
    fn check_text_reaches_a_cxx_string() {
        let mut job = JobIdBytes { bytes: [0; 4] };
        cxx::let_cxx_string!(text = "left over");
        let nil_group = PlacementGroupIdBytes { bytes: [0xff; 18] };
        assert!(!placement_group_id_job_id(
            &nil_group,
            &mut job,
            text.as_mut()
        ));
        assert_eq!(text.as_bytes(), b"Check failed: !IsNil() ");
        let group = placement_group_id_of(job_id_from_int(9));
        cxx::let_cxx_string!(untouched = "");
        assert!(placement_group_id_job_id(
            &group,
            &mut job,
            untouched.as_mut()
        ));
        assert!(untouched.as_bytes().is_empty());
        assert_eq!(job_id_to_int(job), 9);
    }

    #[test]
    fn fatal_check_texts() {
        let mut job = JobIdBytes { bytes: [0; 4] };
        let mut failure = Vec::new();
        assert!(!actor_id_job_id(
            &ActorIdBytes { bytes: [0xff; 16] },
            &mut job,
            &mut failure
        ));
        assert_eq!(failure, b"Check failed: !IsNil() ");
        failure.clear();
        let driver_of_nil = task_id_for_driver_task(JobIdBytes { bytes: [0xff; 4] });
        assert!(!task_id_job_id(&driver_of_nil, &mut job, &mut failure));
        assert_eq!(failure, b"Check failed: !IsNil() ");
        assert!(task_id_job_id(
            &task_id_for_driver_task(job_id_from_int(7)),
            &mut job,
            &mut failure
        ));
        assert_eq!(job_id_to_int(job), 7);

        let mut object = ObjectIdBytes { bytes: [0; 28] };
        assert!(!object_id_from_index(
            &driver_of_nil,
            0,
            &mut object,
            &mut failure
        ));
        assert_eq!(
            failure,
            b"Check failed: index >= 1 && index <= kMaxObjectIndex index=0"
        );

        let mut digest = DigestBytes { bytes: [0; 32] };
        let job1 = job_id_from_int(1);
        assert!(!generate_unique_bytes(
            job1,
            &driver_of_nil,
            0,
            0,
            33,
            &mut digest,
            &mut failure
        ));
        assert_eq!(
            failure,
            b"Check failed: length <= kSha256DigestSize length 33 exceeds the SHA-256 digest size"
        );
    }

    #[test]
    fn derivations_match_golden_values() {
        let job1 = job_id_from_int(1);
        let driver = task_id_for_driver_task(job1);
        let mut digest = DigestBytes { bytes: [0; 32] };
        let mut failure = Vec::new();
        assert!(generate_unique_bytes(
            job1,
            &driver,
            0,
            0,
            8,
            &mut digest,
            &mut failure
        ));
        assert_eq!(to_hex(&digest.bytes[..8]), "d9dbfdfdf1d18bb5");
        let normal = task_id_for_normal_task(job1, &driver, 1);
        assert_eq!(
            to_hex(&normal.bytes),
            "a67dc375e60ddd1affffffffffffffffffffffff01000000"
        );
        let attempt = task_id_for_execution_attempt(&driver, 256);
        assert_eq!(&attempt.bytes[..8], &[0; 8]);
        let worker = compute_driver_id_from_job(job1);
        assert_eq!(&worker.bytes[..4], &[1, 0, 0, 0]);
        assert_eq!(gcs_node_id().bytes, [0; 28]);
        let lease = lease_id_from_worker(&worker, 0xdead_beef);
        assert_eq!(&lease.bytes[..4], &[0xef, 0xbe, 0xad, 0xde]);
        assert_eq!(lease_id_worker_id(&lease).bytes, worker.bytes);
    }
}
