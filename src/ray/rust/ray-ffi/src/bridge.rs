//! The interface C++ sees (`ray/ffi/bridge.rs.h`, namespace `ray::rust`).
//!
//! IDs cross by value as fixed-size byte structs, so building or deriving an
//! ID allocates nothing; operations that work for any ID type take byte slices
//! plus an [`ffi::IdKind`]. Calls that Ray turns into a fatal `RAY_CHECK`
//! return `false` and write the exact check text into `failure`; the C++
//! wrapper then logs it at FATAL level. Strings cross as bytes: Ray's C++
//! strings need not be UTF-8.

use crate::ids::{
    actor_id_job_id, actor_id_nil_from_job, actor_id_of, compute_driver_id_from_job, gcs_node_id,
    generate_unique_bytes, id_constructor_from_binary, id_from_binary, id_from_random, id_hash_16,
    id_hash_18, id_hash_24, id_hash_28, id_hash_32, id_hash_4, id_hex, id_hex_error,
    id_read_hex_16, id_read_hex_18, id_read_hex_24, id_read_hex_28, id_read_hex_32, id_read_hex_4,
    job_id_from_int, job_id_to_int, lease_id_from_random, lease_id_from_worker, lease_id_worker_id,
    murmur_hash64a, nil_id_text, object_id_for_actor_handle, object_id_from_index,
    object_id_from_random, object_id_index, object_id_is_actor_id, object_id_task_id,
    object_id_to_actor_id, placement_group_id_job_id, placement_group_id_of, task_id_actor_id,
    task_id_compute_driver_task_id, task_id_for_actor_creation_task, task_id_for_actor_task,
    task_id_for_driver_task, task_id_for_execution_attempt, task_id_for_normal_task,
    task_id_from_random, task_id_is_for_actor_creation_task, task_id_job_id,
};
use crate::status::{
    status_append, status_append_signed, status_append_unsigned, status_clone,
    status_code_as_string, status_format, status_formatted_len, status_free, status_new,
    status_string_to_code,
};

#[cxx::bridge(namespace = "ray::rust")]
pub(crate) mod ffi {
    /// The start of a non-OK `ray::Status`'s state, which is one allocation:
    /// this head, then `text_len` bytes of text (the file name, then the
    /// message), with room for `capacity`. C++ reads the codes and the
    /// message in place (`status.h` mirrors this layout).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    struct StatusHead {
        code: i8,
        rpc_code: i32,
        /// Line of the source location; meaningless when `file_len` is 0.
        line: i32,
        /// Bytes of the file name at the start of the text; 0: no location.
        file_len: usize,
        text_len: usize,
        capacity: usize,
    }

    /// The bytes of a `JobID`.
    #[derive(Clone, Copy, Debug)]
    struct JobIdBytes {
        bytes: [u8; 4],
    }

    /// The bytes of an `ActorID`: 12 unique bytes, then the job.
    #[derive(Clone, Copy, Debug)]
    struct ActorIdBytes {
        bytes: [u8; 16],
    }

    /// The bytes of a `TaskID`: 8 unique bytes, then the actor.
    #[derive(Clone, Copy, Debug)]
    struct TaskIdBytes {
        bytes: [u8; 24],
    }

    /// The bytes of an `ObjectID`: the task, then a little-endian index.
    #[derive(Clone, Copy, Debug)]
    struct ObjectIdBytes {
        bytes: [u8; 28],
    }

    /// The bytes of a `PlacementGroupID`: 14 random bytes, then the job.
    #[derive(Clone, Copy, Debug)]
    struct PlacementGroupIdBytes {
        bytes: [u8; 18],
    }

    /// The bytes of a `LeaseID`: a little-endian counter, then the worker.
    #[derive(Clone, Copy, Debug)]
    struct LeaseIdBytes {
        bytes: [u8; 32],
    }

    /// The bytes of a `UniqueID` or any other 28-byte ID (`WorkerID`, `NodeID`, ...).
    #[derive(Clone, Copy, Debug)]
    struct UniqueIdBytes {
        bytes: [u8; 28],
    }

    /// A full SHA-256 digest; `GenerateUniqueBytes` returns a prefix of it.
    #[derive(Clone, Copy, Debug)]
    struct DigestBytes {
        bytes: [u8; 32],
    }

    /// Which ID type a slice holds; `Unique` also covers every
    /// `DEFINE_UNIQUE_ID` type (`WorkerID`, `NodeID`, ...), which share its layout.
    #[derive(Debug)]
    enum IdKind {
        Unique,
        Job,
        Actor,
        Task,
        Object,
        PlacementGroup,
        Lease,
    }

    extern "Rust" {
        /// Which implementation of ray/common this archive provides: "rust".
        fn implementation_name() -> &'static str;

        // ---- Any ID type ----

        /// `FromBinary`: empty gives nil, `out.len()` bytes are copied; any other
        /// size is fatal (`false`, check text in `failure`).
        fn id_from_binary(
            kind: IdKind,
            binary: &[u8],
            out: &mut [u8],
            failure: Pin<&mut CxxString>,
        ) -> bool;

        /// `BaseID`'s protected binary constructor: like `id_from_binary`, but
        /// its fatal text names `Size()` and shows the raw input.
        fn id_constructor_from_binary(
            kind: IdKind,
            binary: &[u8],
            out: &mut [u8],
            failure: Pin<&mut CxxString>,
        ) -> bool;

        /// `FromHex` of an ID, one function per ID size (as `id_hash_*`): `false`
        /// (Ray logs an error and returns nil) unless the `hex_len` bytes at
        /// `hex` are exactly twice the size in hex digits of either case, written
        /// as bytes at `out`. Compiled for each size and taking pointers, as
        /// `murmur_hash64a`, so that LTO inlines them into `BaseID<T>::FromHex`.
        ///
        /// # Safety
        /// `hex` points to `hex_len` readable bytes and `out` to as many
        /// writable ones as the function's size.
        unsafe fn id_read_hex_4(hex: *const u8, hex_len: usize, out: *mut u8) -> bool;
        unsafe fn id_read_hex_16(hex: *const u8, hex_len: usize, out: *mut u8) -> bool;
        unsafe fn id_read_hex_18(hex: *const u8, hex_len: usize, out: *mut u8) -> bool;
        unsafe fn id_read_hex_24(hex: *const u8, hex_len: usize, out: *mut u8) -> bool;
        unsafe fn id_read_hex_28(hex: *const u8, hex_len: usize, out: *mut u8) -> bool;
        unsafe fn id_read_hex_32(hex: *const u8, hex_len: usize, out: *mut u8) -> bool;

        /// The ERROR text Ray logs when `id_read_hex_*` rejects `hex` for an ID
        /// buffer of `size` bytes; kept apart so success builds no `Vec`.
        fn id_hex_error(kind: IdKind, hex: &[u8], size: usize) -> Vec<u8>;

        /// `Hex()`: writes `2 * len` lowercase digits into `out`; `false` if
        /// `len` is not the size of `kind`. Pointers, as `murmur_hash64a`.
        ///
        /// # Safety
        /// `id` points to `len` readable bytes and `out` to `2 * len` writable
        /// ones.
        unsafe fn id_hex(kind: IdKind, id: *const u8, len: usize, out: *mut u8) -> bool;

        /// `FromRandom()` of the types that have one (unique family, object,
        /// lease); every random byte is below 0xFF. `false` for other kinds.
        fn id_from_random(kind: IdKind, out: &mut [u8]) -> bool;

        /// What `operator<<` prints for a nil ID ("NIL_ID"); others print `Hex()`.
        fn nil_id_text() -> &'static str;

        /// Austin Appleby's MurmurHash64A of the `len` bytes at `data` (an ID's
        /// `Hash()` is this with seed 0). A pointer and a length, not a slice:
        /// cxx hands a slice to Rust as one aggregate but C++ passes two
        /// scalars, and LLVM inlines a call only when both sides agree, so
        /// this shape lets cross-language LTO inline the hash into C++.
        ///
        /// # Safety
        /// `data` points to `len` readable bytes, or `len` is 0.
        unsafe fn murmur_hash64a(data: *const u8, len: usize, seed: u32) -> u64;

        /// `Hash()` of an ID, one function per ID size (JobID 4, ActorID 16,
        /// PlacementGroupID 18, TaskID 24, ObjectID and the UniqueID family 28,
        /// LeaseID 32): MurmurHash64A with seed 0, compiled for that size as
        /// the C++ reference's inlined hash is, and small enough for LTO to
        /// inline into `Hash()`.
        ///
        /// # Safety
        /// `id` points to as many readable bytes as the function's size.
        unsafe fn id_hash_4(id: *const u8) -> u64;
        unsafe fn id_hash_16(id: *const u8) -> u64;
        unsafe fn id_hash_18(id: *const u8) -> u64;
        unsafe fn id_hash_24(id: *const u8) -> u64;
        unsafe fn id_hash_28(id: *const u8) -> u64;
        unsafe fn id_hash_32(id: *const u8) -> u64;

        /// `GenerateUniqueBytes`: the first `length` bytes of the digest land in
        /// `out`; `length` above 32 is fatal.
        fn generate_unique_bytes(
            job: JobIdBytes,
            parent_task: &TaskIdBytes,
            parent_task_counter: usize,
            extra_bytes: usize,
            length: usize,
            out: &mut DigestBytes,
            failure: Pin<&mut CxxString>,
        ) -> bool;

        /// `ComputeDriverIdFromJob`: the job, then 24 bytes of 0xFF.
        fn compute_driver_id_from_job(job: JobIdBytes) -> UniqueIdBytes;

        /// `kGCSNodeID`: 28 zero bytes.
        fn gcs_node_id() -> UniqueIdBytes;

        // ---- JobID ----

        /// `JobID::FromInt`: the value in little-endian order.
        fn job_id_from_int(value: u32) -> JobIdBytes;

        /// `JobID::ToInt`.
        fn job_id_to_int(job: JobIdBytes) -> u32;

        // ---- ActorID ----

        /// `ActorID::Of`: hashed from the inputs and the wall clock, then the job.
        fn actor_id_of(
            job: JobIdBytes,
            parent_task: &TaskIdBytes,
            parent_task_counter: usize,
        ) -> ActorIdBytes;

        /// `ActorID::NilFromJob`: 12 bytes of 0xFF, then the job.
        fn actor_id_nil_from_job(job: JobIdBytes) -> ActorIdBytes;

        /// `ActorID::JobId`; fatal for the nil ActorID.
        fn actor_id_job_id(
            actor: &ActorIdBytes,
            job: &mut JobIdBytes,
            failure: Pin<&mut CxxString>,
        ) -> bool;

        // ---- TaskID ----

        /// `TaskID::ComputeDriverTaskId`: the first 24 bytes of the worker.
        fn task_id_compute_driver_task_id(worker: &UniqueIdBytes) -> TaskIdBytes;

        /// `TaskID::ForDriverTask`: 20 bytes of 0xFF, then the job.
        fn task_id_for_driver_task(job: JobIdBytes) -> TaskIdBytes;

        /// `TaskID::FromRandom(job)`: 20 random bytes, then the job.
        fn task_id_from_random(job: JobIdBytes) -> TaskIdBytes;

        /// `TaskID::ForActorCreationTask`: 8 bytes of 0xFF, then the actor.
        fn task_id_for_actor_creation_task(actor: &ActorIdBytes) -> TaskIdBytes;

        /// `TaskID::ForActorTask`: 8 hashed bytes, then the actor.
        fn task_id_for_actor_task(
            job: JobIdBytes,
            parent_task: &TaskIdBytes,
            parent_task_counter: usize,
            actor: &ActorIdBytes,
        ) -> TaskIdBytes;

        /// `TaskID::ForNormalTask`: 8 hashed bytes, then the job's nil actor.
        fn task_id_for_normal_task(
            job: JobIdBytes,
            parent_task: &TaskIdBytes,
            parent_task_counter: usize,
        ) -> TaskIdBytes;

        /// `TaskID::ForExecutionAttempt`: low byte of the unique part replaced by
        /// adding `attempt_number`, with carry.
        fn task_id_for_execution_attempt(task: &TaskIdBytes, attempt_number: u64) -> TaskIdBytes;

        /// `TaskID::ActorId`: bytes 8..24.
        fn task_id_actor_id(task: &TaskIdBytes) -> ActorIdBytes;

        /// `TaskID::JobId`; fatal when the actor part is nil.
        fn task_id_job_id(
            task: &TaskIdBytes,
            job: &mut JobIdBytes,
            failure: Pin<&mut CxxString>,
        ) -> bool;

        /// `TaskID::IsForActorCreationTask` (true for driver tasks too).
        fn task_id_is_for_actor_creation_task(task: &TaskIdBytes) -> bool;

        // ---- ObjectID ----

        /// `ObjectID::FromIndex`; index 0 is fatal.
        fn object_id_from_index(
            task: &TaskIdBytes,
            index: u32,
            object: &mut ObjectIdBytes,
            failure: Pin<&mut CxxString>,
        ) -> bool;

        /// `ObjectID::TaskId`: bytes 0..24.
        fn object_id_task_id(object: &ObjectIdBytes) -> TaskIdBytes;

        /// `ObjectID::ObjectIndex`: bytes 24..28, little-endian.
        fn object_id_index(object: &ObjectIdBytes) -> u32;

        /// `ObjectID::FromRandom`: 24 random bytes, then index 0.
        fn object_id_from_random() -> ObjectIdBytes;

        /// `ObjectID::ForActorHandle`: index 1 of the actor's creation task.
        fn object_id_for_actor_handle(actor: &ActorIdBytes) -> ObjectIdBytes;

        /// `ObjectID::IsActorID`: the task's unique bytes are all 0xFF.
        fn object_id_is_actor_id(object: &ObjectIdBytes) -> bool;

        /// `ObjectID::ToActorID`: bytes 8..24.
        fn object_id_to_actor_id(object: &ObjectIdBytes) -> ActorIdBytes;

        // ---- PlacementGroupID ----

        /// `PlacementGroupID::Of`: 14 random bytes, then the job.
        fn placement_group_id_of(job: JobIdBytes) -> PlacementGroupIdBytes;

        /// `PlacementGroupID::JobId`; fatal for the nil PlacementGroupID.
        fn placement_group_id_job_id(
            group: &PlacementGroupIdBytes,
            job: &mut JobIdBytes,
            failure: Pin<&mut CxxString>,
        ) -> bool;

        // ---- LeaseID ----

        /// `LeaseID::FromWorker`: the counter (little-endian), then the worker.
        fn lease_id_from_worker(worker: &UniqueIdBytes, counter: u32) -> LeaseIdBytes;

        /// `LeaseID::FromRandom`: 32 random bytes.
        fn lease_id_from_random() -> LeaseIdBytes;

        /// `LeaseID::WorkerId`: bytes 4..32.
        fn lease_id_worker_id(lease: &LeaseIdBytes) -> UniqueIdBytes;

        // ---- Status ----

        // A state crosses as a pointer to its head; an OK Status holds none.
        // Calls that may grow the state return where it lives now.

        /// A new state; an empty file name means "no source location". The
        /// strings come as pointer and length (a rust::Slice costs two calls
        /// to build, on the path of every Status factory).
        unsafe fn status_new(
            code: i8,
            message: *const u8,
            message_len: usize,
            rpc_code: i32,
            file: *const u8,
            file_len: usize,
            line: i32,
        ) -> *mut StatusHead;

        /// A deep copy (copying a Status copies its state).
        unsafe fn status_clone(state: *const StatusHead) -> *mut StatusHead;

        /// Frees a state (null is ignored).
        unsafe fn status_free(state: *mut StatusHead);

        /// `operator<<` with a string: appends the bytes verbatim.
        unsafe fn status_append(state: *mut StatusHead, text: &[u8]) -> *mut StatusHead;

        /// `operator<<` with a signed integer: appends it in decimal.
        unsafe fn status_append_signed(state: *mut StatusHead, value: i64) -> *mut StatusHead;

        /// `operator<<` with an unsigned integer: appends it in decimal.
        unsafe fn status_append_unsigned(state: *mut StatusHead, value: u64) -> *mut StatusHead;

        /// Length of `ToString()` of a non-OK status:
        /// `<CodeAsString>: <message>[ rpc_code: N][ at file:line]`.
        unsafe fn status_formatted_len(state: *const StatusHead) -> usize;

        /// Writes `ToString()` into `out`; true when it filled `out` exactly
        /// (`out` sized by `status_formatted_len`).
        unsafe fn status_format(state: *const StatusHead, out: &mut [u8]) -> bool;

        /// `CodeAsString()` for any raw code value ("Unknown" when unnamed).
        fn status_code_as_string(code: i8) -> &'static str;

        /// `StringToCode`: exact match of a `CodeAsString` text, otherwise IOError.
        fn status_string_to_code(text: &[u8]) -> i8;
    }
}

/// What the C++ `RayCommonImplementation()` reports for this archive.
fn implementation_name() -> &'static str {
    crate::guard::guard("implementation_name", || "rust")
}
