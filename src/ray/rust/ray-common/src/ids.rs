//! Ray's ID family: layouts, factories and derivations of `id.h` / `id.cc`.
//!
//! Multi-byte integers inside IDs are little-endian, which is the host order
//! of every platform Ray ships on; fixing it keeps IDs portable.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::ray_id::{assemble, define_id, extract, random_bytes, NIL_BYTE};
use crate::unique_bytes::unique_digest;
use crate::{IdError, RayId};

/// Size of `UniqueID` and the other opaque 28-byte IDs (`kUniqueIDSize`).
pub const UNIQUE_ID_SIZE: usize = 28;

/// Width of the object index inside an `ObjectID`, in bits.
pub const OBJECT_ID_INDEX_SIZE_BITS: u32 = 32;

define_id!(
    /// A job, stored as its number in little-endian order.
    JobId, "JobID", 4
);
define_id!(
    /// An actor: 12 unique bytes followed by its job.
    ActorId, "ActorID", 16
);
define_id!(
    /// A task: 8 unique bytes followed by the actor it belongs to.
    TaskId, "TaskID", 24
);
define_id!(
    /// An object: the creating task followed by a 32-bit index.
    ObjectId, "ObjectID", 28
);
define_id!(
    /// A placement group: 14 random bytes followed by its job.
    PlacementGroupId, "PlacementGroupID", 18
);
define_id!(
    /// A worker lease: a 32-bit counter followed by the worker.
    LeaseId, "LeaseID", 32
);
define_id!(
    /// Opaque 28-byte identifier.
    UniqueId, "UniqueID", UNIQUE_ID_SIZE
);
define_id!(
    /// Identifies a remote function.
    FunctionId, "FunctionID", UNIQUE_ID_SIZE
);
define_id!(
    /// Identifies an actor class.
    ActorClassId, "ActorClassID", UNIQUE_ID_SIZE
);
define_id!(
    /// Identifies a worker process.
    WorkerId, "WorkerID", UNIQUE_ID_SIZE
);
define_id!(
    /// Identifies a configuration.
    ConfigId, "ConfigID", UNIQUE_ID_SIZE
);
define_id!(
    /// Identifies a node (raylet).
    NodeId, "NodeID", UNIQUE_ID_SIZE
);
define_id!(
    /// Identifies a cluster.
    ClusterId, "ClusterID", UNIQUE_ID_SIZE
);

/// Adds `from_random` to the opaque ID types, which have no structure.
macro_rules! impl_from_random {
    ($($name:ident),+ $(,)?) => {
        $(
            impl $name {
                /// Random bytes, each in `0..=254` (never nil).
                pub fn from_random() -> Self {
                    Self(random_bytes())
                }
            }
        )+
    };
}

impl_from_random!(
    UniqueId,
    FunctionId,
    ActorClassId,
    WorkerId,
    ConfigId,
    NodeId,
    ClusterId,
    LeaseId
);

/// The GCS's node ID: 28 zero bytes.
pub const GCS_NODE_ID: NodeId = NodeId::from_bytes([0; UNIQUE_ID_SIZE]);

/// Wall-clock nanoseconds, the salt Ray mixes into new actor IDs.
fn current_time_nanos() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

impl JobId {
    /// Builds the ID from the job number (`JobID::FromInt`).
    #[inline]
    pub const fn from_int(value: u32) -> Self {
        Self(value.to_le_bytes())
    }

    /// The job number (`JobID::ToInt`).
    #[inline]
    pub const fn to_int(&self) -> u32 {
        u32::from_le_bytes(self.0)
    }
}

impl ActorId {
    /// Length of the unique part.
    pub const UNIQUE_BYTES_LENGTH: usize = 12;

    /// A fresh actor ID; salted with the current time, so two calls with the
    /// same arguments differ, as in Ray.
    pub fn of(job: &JobId, parent: &TaskId, parent_counter: u64) -> Self {
        Self::of_at_time(job, parent, parent_counter, current_time_nanos())
    }

    /// The deterministic core of [`ActorId::of`] with the time supplied.
    pub fn of_at_time(job: &JobId, parent: &TaskId, parent_counter: u64, time_nanos: u64) -> Self {
        let digest = unique_digest(job, parent, parent_counter, time_nanos);
        Self(assemble(&[
            digest.get(..Self::UNIQUE_BYTES_LENGTH).unwrap_or_default(),
            &job.0,
        ]))
    }

    /// Nil unique part followed by `job`; names "no actor" within a job.
    pub fn nil_from_job(job: &JobId) -> Self {
        Self(assemble(&[&[NIL_BYTE; Self::UNIQUE_BYTES_LENGTH], &job.0]))
    }

    /// The job part; nil actors have none (Ray aborts there).
    #[inline]
    pub fn job_id(&self) -> Result<JobId, IdError> {
        if self.is_nil() {
            return Err(IdError::NilId {
                type_name: Self::TYPE_NAME,
            });
        }
        Ok(JobId(extract(&self.0, Self::UNIQUE_BYTES_LENGTH)))
    }
}

impl TaskId {
    /// Length of the unique part.
    pub const UNIQUE_BYTES_LENGTH: usize = 8;

    #[inline]
    fn unique_part(&self) -> [u8; Self::UNIQUE_BYTES_LENGTH] {
        extract(&self.0, 0)
    }

    #[inline]
    fn with_actor(unique: &[u8], actor: &ActorId) -> Self {
        Self(assemble(&[unique, &actor.0]))
    }

    /// The driver's task: nil unique part and a nil actor of `job`.
    pub fn for_driver_task(job: &JobId) -> Self {
        Self::with_actor(
            &[NIL_BYTE; Self::UNIQUE_BYTES_LENGTH],
            &ActorId::nil_from_job(job),
        )
    }

    /// The task that creates `actor`: nil unique part followed by the actor.
    pub fn for_actor_creation_task(actor: &ActorId) -> Self {
        Self::with_actor(&[NIL_BYTE; Self::UNIQUE_BYTES_LENGTH], actor)
    }

    /// A method call on `actor`, submitted by `parent` as its `counter`-th child.
    pub fn for_actor_task(job: &JobId, parent: &TaskId, counter: u64, actor: &ActorId) -> Self {
        let digest = unique_digest(job, parent, counter, 0);
        Self::with_actor(
            digest.get(..Self::UNIQUE_BYTES_LENGTH).unwrap_or_default(),
            actor,
        )
    }

    /// A normal task submitted by `parent` as its `counter`-th child.
    pub fn for_normal_task(job: &JobId, parent: &TaskId, counter: u64) -> Self {
        Self::for_actor_task(job, parent, counter, &ActorId::nil_from_job(job))
    }

    /// Random unique part followed by a nil actor of `job`.
    pub fn from_random(job: &JobId) -> Self {
        let random: [u8; ActorId::UNIQUE_BYTES_LENGTH + Self::UNIQUE_BYTES_LENGTH] = random_bytes();
        Self(assemble(&[&random, &job.0]))
    }

    /// The ID of attempt `attempt` of this task: the first 8 bytes, read as a
    /// little-endian integer, get their low byte replaced by adding
    /// `attempt` (wrapping, carrying into the higher bytes).
    pub fn for_execution_attempt(&self, attempt: u64) -> Self {
        let base = u64::from_le_bytes(self.unique_part()) & !0xff;
        let unique = base.wrapping_add(attempt).to_le_bytes();
        Self::with_actor(&unique, &self.actor_id())
    }

    /// The driver task of `worker`: its first 24 bytes.
    pub fn compute_driver_task_id(worker: &WorkerId) -> Self {
        Self(extract(&worker.0, 0))
    }

    /// The actor part (nil-from-job for non-actor tasks).
    #[inline]
    pub fn actor_id(&self) -> ActorId {
        ActorId(extract(&self.0, Self::UNIQUE_BYTES_LENGTH))
    }

    /// The job of the actor part; absent when the actor part is nil.
    #[inline]
    pub fn job_id(&self) -> Result<JobId, IdError> {
        self.actor_id().job_id()
    }

    /// True for a nil unique part with a non-nil actor part. Driver tasks
    /// qualify too, exactly as in Ray.
    #[inline]
    pub fn is_for_actor_creation_task(&self) -> bool {
        self.unique_part() == [NIL_BYTE; Self::UNIQUE_BYTES_LENGTH] && !self.actor_id().is_nil()
    }
}

impl ObjectId {
    /// Length of the index part.
    pub const INDEX_BYTES_LENGTH: usize = 4;
    /// Largest valid object index.
    pub const MAX_OBJECT_INDEX: u32 = u32::MAX;

    /// Largest valid object index, widened as Ray's `MaxObjectIndex()`.
    pub const fn max_object_index() -> u64 {
        Self::MAX_OBJECT_INDEX as u64
    }

    #[inline]
    fn from_task_and_index(task: &TaskId, index: u32) -> Self {
        Self(assemble(&[&task.0, &index.to_le_bytes()]))
    }

    /// The `index`-th object of `task`; index 0 is reserved (Ray aborts).
    pub fn from_index(task: &TaskId, index: u32) -> Result<Self, IdError> {
        if index == 0 {
            return Err(IdError::InvalidObjectIndex { index });
        }
        Ok(Self::from_task_and_index(task, index))
    }

    /// The creating task.
    #[inline]
    pub fn task_id(&self) -> TaskId {
        TaskId(extract(&self.0, 0))
    }

    /// The index within the creating task.
    #[inline]
    pub fn object_index(&self) -> u32 {
        u32::from_le_bytes(extract(&self.0, TaskId::LENGTH))
    }

    /// A random task part with index 0.
    pub fn from_random() -> Self {
        let task: [u8; TaskId::LENGTH] = random_bytes();
        Self::from_task_and_index(&TaskId(task), 0)
    }

    /// The object standing for an actor handle: index 1 of its creation task.
    pub fn for_actor_handle(actor: &ActorId) -> Self {
        Self::from_task_and_index(&TaskId::for_actor_creation_task(actor), 1)
    }

    /// True when the task part's unique bytes are nil (also for driver
    /// task objects, as in Ray).
    #[inline]
    pub fn is_actor_id(&self) -> bool {
        let unique: [u8; TaskId::UNIQUE_BYTES_LENGTH] = extract(&self.0, 0);
        unique == [NIL_BYTE; TaskId::UNIQUE_BYTES_LENGTH]
    }

    /// The actor part of the task part.
    #[inline]
    pub fn to_actor_id(&self) -> ActorId {
        self.task_id().actor_id()
    }
}

impl PlacementGroupId {
    /// Length of the unique part.
    pub const UNIQUE_BYTES_LENGTH: usize = 14;

    /// A new placement group of `job`: random unique part (not hashed).
    pub fn of(job: &JobId) -> Self {
        let random: [u8; Self::UNIQUE_BYTES_LENGTH] = random_bytes();
        Self(assemble(&[&random, &job.0]))
    }

    /// The job part; nil IDs have none (Ray aborts there).
    #[inline]
    pub fn job_id(&self) -> Result<JobId, IdError> {
        if self.is_nil() {
            return Err(IdError::NilId {
                type_name: Self::TYPE_NAME,
            });
        }
        Ok(JobId(extract(&self.0, Self::UNIQUE_BYTES_LENGTH)))
    }
}

impl LeaseId {
    /// Length of the counter part.
    pub const UNIQUE_BYTES_LENGTH: usize = 4;

    /// The `counter`-th lease of `worker`.
    pub fn from_worker(worker: &WorkerId, counter: u32) -> Self {
        Self(assemble(&[&counter.to_le_bytes(), &worker.0]))
    }

    /// The worker part.
    #[inline]
    pub fn worker_id(&self) -> WorkerId {
        WorkerId(extract(&self.0, Self::UNIQUE_BYTES_LENGTH))
    }
}

/// The worker ID of a job's driver: the job followed by 24 nil bytes.
pub fn compute_driver_id_from_job(job: &JobId) -> WorkerId {
    WorkerId(assemble(&[
        &job.0,
        &[NIL_BYTE; UNIQUE_ID_SIZE - JobId::LENGTH],
    ]))
}
