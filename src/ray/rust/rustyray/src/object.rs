//! The in-process object store and [`ObjectRef`].

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::hash::{BuildHasherDefault, Hasher};
use std::pin::{pin, Pin};
use std::sync::atomic::{fence, AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, Weak};
use std::time::Duration;

use parking_lot::Mutex;
use ray_common::{ObjectId, TaskId};
use tokio::sync::Notify;

use crate::control::{self, ControlHost, ControlRef, Output, Outputs, TaskControl};
use crate::error::{Result, RustyRayError};
use crate::remote::{RemoteObject, StoredCopy};

const SHARDS: usize = 32;

/// Map keys carry their hash, computed once per object by [`id_hash`].
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Object IDs start with their task's (hash-derived) unique bytes and end with the
/// index; mixing the first and last eight bytes spreads both.
fn id_hash(id: &ObjectId) -> u64 {
    let bytes = id.to_bytes();
    let mut head = [0u8; 8];
    let mut tail = [0u8; 8];
    head.copy_from_slice(&bytes[..8]);
    tail.copy_from_slice(&bytes[bytes.len() - 8..]);
    let mixed = u64::from_le_bytes(head) ^ u64::from_le_bytes(tail).rotate_left(29);
    mixed.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[derive(PartialEq, Eq)]
struct Key {
    hash: u64,
    id: ObjectId,
}

impl Key {
    fn new(id: ObjectId) -> Self {
        Key {
            hash: id_hash(&id),
            id,
        }
    }
}

impl std::hash::Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// An object of any type, as the store sees it.
trait Stored: Send + Sync {
    fn as_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
    fn fail(&self, error: RustyRayError) -> bool;
    fn producer(&self) -> Option<ControlRef>;
}

impl<T: Send + Sync + 'static> Stored for ObjectCell<T> {
    fn as_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }

    fn fail(&self, error: RustyRayError) -> bool {
        self.complete(Err(error))
    }

    fn producer(&self) -> Option<ControlRef> {
        ObjectCell::producer(self)
    }
}

impl<T: Send + Sync> Output for ObjectCell<T> {
    fn fail(&self, error: RustyRayError) -> bool {
        self.complete(Err(error))
    }

    fn set_control(&self, control: ControlRef) {
        if let Producer::Recorded(recorded) = &self.producer {
            *recorded.lock() = Some(control);
        }
    }
}

impl<T: Send + Sync + 'static> ControlHost for ObjectCell<T> {
    fn control(&self) -> &TaskControl {
        match &self.producer {
            Producer::Hosted(control, _) => control,
            Producer::Recorded(_) => control::inert(),
        }
    }

    fn fail_host(&self, error: &RustyRayError) -> bool {
        match &self.producer {
            Producer::Hosted(..) => self.complete(Err(error.clone())),
            Producer::Recorded(_) => false,
        }
    }
}

type Shard = Mutex<HashMap<Key, Weak<dyn Stored>, BuildHasherDefault<IdHasher>>>;

/// Ref-counted objects keyed by [`ObjectId`]; an entry lives while any [`ObjectRef`]
/// (or the task producing it) holds it.
#[doc(hidden)]
pub struct ObjectStore {
    shards: Box<[Shard]>,
    live: AtomicUsize,
    capacity: usize,
    shut_down: AtomicBool,
    /// Copies of in-process objects' values stored in a cluster backend (see
    /// [`crate::remote::LocalObject`]), each kept while its object lives. A table beside
    /// the objects rather than a field of each: only cluster programs use it.
    stored: Mutex<HashMap<ObjectId, Arc<dyn RemoteObject>>>,
    /// Whether `stored` was ever used, so dropping an object skips it otherwise.
    any_stored: AtomicBool,
}

impl ObjectStore {
    pub(crate) fn new(capacity: usize) -> Arc<Self> {
        Arc::new(ObjectStore {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(HashMap::default()))
                .collect(),
            live: AtomicUsize::new(0),
            capacity,
            shut_down: AtomicBool::new(false),
            stored: Mutex::new(HashMap::new()),
            any_stored: AtomicBool::new(false),
        })
    }

    fn stored_copy(&self, id: &ObjectId) -> Option<Arc<dyn RemoteObject>> {
        if !self.any_stored.load(Ordering::Relaxed) {
            return None;
        }
        self.stored.lock().get(id).cloned()
    }

    fn keep_stored_copy(
        &self,
        id: ObjectId,
        object: Arc<dyn RemoteObject>,
    ) -> Arc<dyn RemoteObject> {
        let mut stored = self.stored.lock();
        self.any_stored.store(true, Ordering::Relaxed);
        Arc::clone(stored.entry(id).or_insert(object))
    }

    fn shard(&self, key: &Key) -> &Shard {
        &self.shards[(key.hash >> 58) as usize % SHARDS]
    }

    /// Creates an empty entry for `id`, failing when the store is full.
    pub(crate) fn create<T: Send + Sync + 'static>(
        self: &Arc<Self>,
        id: ObjectId,
    ) -> Result<Arc<ObjectCell<T>>> {
        self.insert(id, Slot::Later(OnceLock::new()))
    }

    /// Creates the empty single output of normal task `task_id`, keeping the task's
    /// control block, and that block registered with the submitting task.
    pub(crate) fn create_hosting<T: Send + Sync + 'static>(
        self: &Arc<Self>,
        id: ObjectId,
        task_id: TaskId,
    ) -> Result<(Arc<ObjectCell<T>>, ControlRef)> {
        self.admit()?;
        let cell = Arc::new_cyclic(|me: &Weak<ObjectCell<T>>| {
            let mut cell = self.new_cell(id, Slot::Later(OnceLock::new()));
            let me: Weak<dyn ControlHost> = me.clone();
            cell.producer = Producer::Hosted(TaskControl::bare(task_id, Outputs::None), me);
            cell
        });
        self.register(&cell);
        let control = ControlRef::hosted(Arc::clone(&cell) as Arc<dyn ControlHost>);
        Ok((cell, control))
    }

    /// Creates an entry that already holds `value` (a `put`).
    pub(crate) fn create_ready<T: Send + Sync + 'static>(
        self: &Arc<Self>,
        id: ObjectId,
        value: T,
    ) -> Result<Arc<ObjectCell<T>>> {
        self.insert(id, Slot::Filled(Ok(value)))
    }

    /// Creates an empty entry for an object of a cluster backend, passed to other cluster
    /// tasks by reference. Its value is fetched (by `fetch`) only once someone reads or
    /// waits for it, as Ray moves a value to the driver only for a `get`: on a thread of
    /// `blocking`, or in the reader's own thread on a worker's task thread.
    pub(crate) fn create_remote<T: Send + Sync + 'static>(
        self: &Arc<Self>,
        id: ObjectId,
        remote: Arc<dyn RemoteObject>,
        fetch: Fetch<T>,
        blocking: tokio::runtime::Handle,
    ) -> Result<Arc<ObjectCell<T>>> {
        self.admit()?;
        let cell = Arc::new_cyclic(|me: &Weak<ObjectCell<T>>| {
            let me = me.clone();
            // Ends when the object is complete: fetched there, by a reader on a worker's
            // task thread, or failed by shutdown.
            let start: Box<dyn Fn() + Send + Sync> = Box::new(move || {
                if let Some(cell) = me.upgrade() {
                    blocking.spawn_blocking(move || {
                        while !cell.is_complete() {
                            cell.fetch_slice();
                        }
                    });
                }
            });
            let slot = Slot::Remote(Box::new(RemoteSlot {
                value: OnceLock::new(),
                remote,
                fetch,
                fetching: AtomicBool::new(false),
                start,
            }));
            self.new_cell(id, slot)
        });
        self.register(&cell);
        Ok(cell)
    }

    fn insert<T: Send + Sync + 'static>(
        self: &Arc<Self>,
        id: ObjectId,
        slot: Slot<T>,
    ) -> Result<Arc<ObjectCell<T>>> {
        self.admit()?;
        let cell = Arc::new(self.new_cell(id, slot));
        self.register(&cell);
        Ok(cell)
    }

    /// Counts a new object, failing when the store is full.
    fn admit(&self) -> Result<()> {
        if self.live.fetch_add(1, Ordering::Relaxed) >= self.capacity {
            self.live.fetch_sub(1, Ordering::Relaxed);
            return Err(RustyRayError::ObjectStoreFull {
                capacity: self.capacity,
            });
        }
        Ok(())
    }

    fn new_cell<T>(self: &Arc<Self>, id: ObjectId, slot: Slot<T>) -> ObjectCell<T> {
        ObjectCell {
            id,
            slot,
            notify: Notify::new(),
            waited: AtomicBool::new(false),
            producer: Producer::Recorded(Mutex::new(None)),
            store: Arc::clone(self),
        }
    }

    fn register<T: Send + Sync + 'static>(&self, cell: &Arc<ObjectCell<T>>) {
        let weak: Weak<dyn Stored> = Arc::downgrade(cell) as Weak<ObjectCell<T>>;
        let key = Key::new(cell.id);
        self.shard(&key).lock().insert(key, weak);
    }

    fn remove(&self, id: &ObjectId) {
        let key = Key::new(*id);
        let removed = self.shard(&key).lock().remove(&key);
        drop(removed);
        // Set before any entry is added, by a caller holding the entry's object (so not
        // this one, which is being dropped).
        if self.any_stored.load(Ordering::Relaxed) {
            let copy = self.stored.lock().remove(id);
            drop(copy);
        }
        self.live.fetch_sub(1, Ordering::Relaxed);
    }

    pub(crate) fn live(&self) -> usize {
        self.live.load(Ordering::Relaxed)
    }

    pub(crate) fn contains(&self, id: &ObjectId) -> bool {
        let key = Key::new(*id);
        self.shard(&key)
            .lock()
            .get(&key)
            .is_some_and(|w| w.strong_count() > 0)
    }

    pub(crate) fn lookup<T: Send + Sync + 'static>(&self, id: &ObjectId) -> Option<ObjectRef<T>> {
        let key = Key::new(*id);
        let erased = self.shard(&key).lock().get(&key)?.upgrade()?;
        let cell = erased.as_any().downcast::<ObjectCell<T>>().ok()?;
        Some(ObjectRef { cell })
    }

    /// Marks the store shut down and fails every pending object with
    /// `RuntimeShutDown`, cancelling the tasks that produce them: whatever those tasks do
    /// later, their objects stay failed.
    pub(crate) fn shut_down(&self) {
        self.shut_down.store(true, Ordering::SeqCst);
        for shard in self.shards.iter() {
            let cells: Vec<Arc<dyn Stored>> =
                shard.lock().values().filter_map(Weak::upgrade).collect();
            for cell in &cells {
                if cell.fail(RustyRayError::RuntimeShutDown) {
                    if let Some(control) = cell.producer() {
                        control.cancel(false);
                    }
                }
            }
        }
    }

    pub(crate) fn is_shut_down(&self) -> bool {
        self.shut_down.load(Ordering::SeqCst)
    }
}

/// Where an object's value lives: set at creation (`put`) or later by its producer.
enum Slot<T> {
    Filled(Result<T>),
    Later(OnceLock<Result<T>>),
    /// An object of a cluster backend (boxed: the in-process variants stay as small).
    Remote(Box<RemoteSlot<T>>),
}

pub(crate) struct RemoteSlot<T> {
    value: OnceLock<Result<T>>,
    remote: Arc<dyn RemoteObject>,
    fetch: Fetch<T>,
    /// Set once a fetcher thread was started.
    fetching: AtomicBool,
    /// Starts the fetcher thread.
    start: Box<dyn Fn() + Send + Sync>,
}

/// One bounded wait for a cluster object's value: `None` when it is not ready yet.
pub(crate) type Fetch<T> = Box<dyn Fn() -> Option<Result<T>> + Send + Sync>;

thread_local! {
    /// Set while this thread runs a task of a cluster worker (see
    /// [`crate::backend::run_worker_task`]).
    static ON_WORKER_TASK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True on a thread running a cluster worker's task (see [`on_worker_task`]).
pub(crate) fn is_worker_task_thread() -> bool {
    ON_WORKER_TASK.with(std::cell::Cell::get)
}

/// Runs `f` as the body of a cluster worker's task on this thread.
pub(crate) fn on_worker_task<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            ON_WORKER_TASK.with(|flag| flag.set(self.0));
        }
    }
    let _reset = Reset(ON_WORKER_TASK.with(|flag| flag.replace(true)));
    f()
}

impl<T> Slot<T> {
    fn get(&self) -> Option<&Result<T>> {
        match self {
            Slot::Filled(r) => Some(r),
            Slot::Later(cell) => cell.get(),
            Slot::Remote(r) => r.value.get(),
        }
    }
}

/// How an object reaches the control block of the task producing it.
// Unboxed on purpose: keeping the block in the object's own allocation is the point.
#[allow(clippy::large_enum_variant)]
enum Producer {
    /// Recorded by the control block once it exists (several outputs, or none: a `put`
    /// or an actor call). A lock rather than a `OnceLock`, whose `set` is the slower.
    Recorded(Mutex<Option<ControlRef>>),
    /// The single output of a normal task keeps the task's control block (and a weak
    /// reference to itself, to hand the block out).
    Hosted(TaskControl, Weak<dyn ControlHost>),
}

/// One object: empty until its producer completes it, then a value or an error.
pub(crate) struct ObjectCell<T> {
    id: ObjectId,
    slot: Slot<T>,
    notify: Notify,
    /// Set once anyone waits; completion skips the notification otherwise.
    waited: AtomicBool,
    /// The producing task's control block (normal tasks only), for `cancel`.
    producer: Producer,
    store: Arc<ObjectStore>,
}

impl<T> ObjectCell<T> {
    /// Stores the result; the first completion wins.
    pub(crate) fn complete(&self, result: Result<T>) -> bool {
        let stored = match &self.slot {
            Slot::Filled(_) => false,
            Slot::Later(cell) => cell.set(result).is_ok(),
            Slot::Remote(r) => r.value.set(result).is_ok(),
        };
        if stored {
            fence(Ordering::SeqCst);
            if self.waited.load(Ordering::Relaxed) {
                self.notify.notify_waiters();
            }
        }
        stored
    }

    pub(crate) fn is_complete(&self) -> bool {
        self.slot.get().is_some()
    }

    /// The control block of the task producing this object, if it is a normal task's.
    fn producer(&self) -> Option<ControlRef> {
        match &self.producer {
            Producer::Hosted(_, me) => me.upgrade().map(ControlRef::of),
            Producer::Recorded(recorded) => recorded.lock().clone(),
        }
    }

    pub(crate) fn id(&self) -> ObjectId {
        self.id
    }

    /// On the thread of a cluster worker's task, waits for a cluster object here, in the
    /// backend's own wait: the backend then knows the task is blocked (Ray gives the
    /// task's CPU back meanwhile, so nested tasks can run). Elsewhere a fetcher thread
    /// completes it and this does nothing.
    pub(crate) fn fetch_here(&self) {
        let Slot::Remote(r) = &self.slot else {
            return;
        };
        if !is_worker_task_thread() {
            return;
        }
        while r.value.get().is_none() {
            self.fetch_slice();
        }
    }

    /// Starts fetching a cluster object's value on a thread of its own (once), for those
    /// who wait for it without fetching it themselves.
    fn start_fetching(&self) {
        let Slot::Remote(r) = &self.slot else {
            return;
        };
        if r.value.get().is_none() && !r.fetching.swap(true, Ordering::AcqRel) {
            (r.start)();
        }
    }

    /// One bounded wait for a cluster object's value; completes the object if it came.
    pub(crate) fn fetch_slice(&self) {
        if let Slot::Remote(r) = &self.slot {
            if let Some(result) = (r.fetch)() {
                self.complete(result);
            }
        }
    }

    /// The cluster object behind this one, if a cluster backend produced it.
    pub(crate) fn remote(&self) -> Option<&Arc<dyn RemoteObject>> {
        match &self.slot {
            Slot::Remote(r) => Some(&r.remote),
            _ => None,
        }
    }

    pub(crate) fn peek(&self) -> Option<&Result<T>> {
        self.slot.get()
    }

    pub(crate) async fn ready(&self) -> &Result<T> {
        self.start_fetching();
        loop {
            if let Some(r) = self.slot.get() {
                return r;
            }
            let mut notified = pin!(self.notify.notified());
            notified.as_mut().enable();
            self.waited.store(true, Ordering::Relaxed);
            fence(Ordering::SeqCst);
            if let Some(r) = self.slot.get() {
                return r;
            }
            notified.await;
        }
    }
}

impl<T: Send + Sync> StoredCopy for ObjectCell<T> {
    fn stored(&self) -> Option<Arc<dyn RemoteObject>> {
        self.store.stored_copy(&self.id)
    }

    fn keep_stored(&self, object: Arc<dyn RemoteObject>) -> Arc<dyn RemoteObject> {
        self.store.keep_stored_copy(self.id, object)
    }
}

impl<T> Drop for ObjectCell<T> {
    fn drop(&mut self) {
        self.store.remove(&self.id);
    }
}

/// Why an actor's pending results fail when its calls are dropped unfinished.
pub(crate) trait DeathCause: Send + Sync {
    fn error(&self) -> RustyRayError;
}

/// What an unfinished object reports when its producer disappears.
#[derive(Clone)]
pub(crate) enum Abandon {
    Task(TaskId),
    Actor(Arc<dyn DeathCause>),
}

/// The producer's side of an object: completes it, or fails it when dropped unfinished
/// (the task was cancelled, its actor died, or the runtime shut down).
#[doc(hidden)]
pub struct ObjectWriter<T> {
    pub(crate) cell: Arc<ObjectCell<T>>,
    abandon: Abandon,
}

impl<T> ObjectWriter<T> {
    pub(crate) fn new(cell: Arc<ObjectCell<T>>, abandon: Abandon) -> Self {
        ObjectWriter { cell, abandon }
    }

    pub(crate) fn complete(&self, result: Result<T>) {
        self.cell.complete(result);
    }

    pub(crate) fn is_complete(&self) -> bool {
        self.cell.is_complete()
    }
}

impl<T> Drop for ObjectWriter<T> {
    fn drop(&mut self) {
        if self.cell.is_complete() {
            return;
        }
        let error = if self.cell.store.is_shut_down() {
            RustyRayError::RuntimeShutDown
        } else {
            match self.abandon {
                Abandon::Task(task_id) => RustyRayError::Cancelled { task_id },
                Abandon::Actor(ref cause) => cause.error(),
            }
        };
        self.cell.complete(Err(error));
    }
}

/// A typed reference to an object of the store: the future result of a task or a `put`.
///
/// Cloning is cheap (a reference count); the object is freed when the last `ObjectRef`
/// (and the task producing it) is gone.
///
/// ```
/// # fn main() -> rustyray::Result<()> {
/// let rt = rustyray::Runtime::builder().num_cpus(2.0).build()?;
/// rt.block_on(async {
///     let r = rustyray::put(41)?;
///     assert_eq!(r.get().await?, 41);
///     assert_eq!(r.clone().await?, 41);
///     assert_eq!(r.id().object_index(), 1);
///     rustyray::Result::Ok(())
/// })?;
/// # Ok(())
/// # }
/// ```
pub struct ObjectRef<T> {
    pub(crate) cell: Arc<ObjectCell<T>>,
}

impl<T> Clone for ObjectRef<T> {
    fn clone(&self) -> Self {
        ObjectRef {
            cell: Arc::clone(&self.cell),
        }
    }
}

impl<T> PartialEq for ObjectRef<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cell.id == other.cell.id
    }
}

impl<T> Eq for ObjectRef<T> {}

impl<T> std::hash::Hash for ObjectRef<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.cell.id.hash(state);
    }
}

impl<T> fmt::Debug for ObjectRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectRef({})", self.cell.id)
    }
}

impl<T> ObjectRef<T> {
    /// The object's ID: `ObjectId::from_index(task, 1)` for a task's return value.
    pub fn id(&self) -> ObjectId {
        self.cell.id
    }

    /// The task that produces (or produced, or `put`) the object.
    pub fn task_id(&self) -> TaskId {
        self.cell.id.task_id()
    }

    /// True once the object holds a value or an error (for a cluster's object: once its
    /// value is here; asking starts fetching it).
    pub fn is_ready(&self) -> bool {
        self.cell.start_fetching();
        self.cell.is_complete()
    }
}

impl<T: Clone> ObjectRef<T> {
    /// Waits for the object and returns a copy of it, or the error its task failed with.
    ///
    /// Inside a task, the task's CPU is released while it waits, so nested tasks can run;
    /// it is taken back when the wait ends, even if that over-subscribes the CPUs (as in
    /// Ray). A cancelled task's `get` fails with `RustyRayError::Cancelled`.
    pub async fn get(&self) -> Result<T> {
        if let Some(r) = self.cell.slot.get() {
            return r.clone();
        }
        self.cell.fetch_here();
        control::blocked(self.cell.ready()).await?.clone()
    }

    /// [`get`](Self::get) with a deadline; `RustyRayError::Timeout` when it passes.
    pub async fn get_timeout(&self, timeout: Duration) -> Result<T> {
        match tokio::time::timeout(timeout, self.get()).await {
            Ok(r) => r,
            Err(_) => Err(RustyRayError::Timeout(timeout)),
        }
    }

    /// The value if the object is ready, without waiting (a cluster's object is fetched
    /// in the background from the first ask).
    pub fn try_get(&self) -> Option<Result<T>> {
        self.cell.start_fetching();
        self.cell.slot.get().cloned()
    }

    /// Blocks the current thread until the object is ready; for synchronous remote
    /// functions and code outside async contexts. Must not be called from an async task.
    pub fn get_blocking(&self) -> Result<T> {
        if let Some(r) = self.cell.slot.get() {
            return r.clone();
        }
        futures::executor::block_on(self.get())
    }
}

impl<T: Clone + Send + Sync + 'static> IntoFuture for ObjectRef<T> {
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.get().await })
    }
}

impl<T> ObjectRef<T> {
    /// Cancels the task producing this object and, recursively, the tasks it submitted
    /// (Ray's `ray.cancel(ref)`, `recursive=True`); see [`cancel_with`](Self::cancel_with).
    pub fn cancel(&self) -> bool {
        self.cancel_with(true)
    }

    /// Cancels the task producing this object if it has not finished; readers get
    /// `RustyRayError::Cancelled`. Returns false when the object was already complete.
    ///
    /// What in-process cancellation does to a normal task:
    /// * queued (waiting for arguments or resources): it never runs;
    /// * running `async fn`: dropped at its next await point;
    /// * running synchronous function: it cannot be interrupted; it runs on until it
    ///   returns or sees `rustyray::context().is_cancelled()`, and its result is
    ///   discarded. Its `get`s fail with `Cancelled` at once;
    /// * in every case its resources are given back at once, and with `recursive` the
    ///   tasks it submitted are cancelled the same way.
    ///
    /// For an actor call (or a `put`) it only fails the object: a queued call is skipped, a
    /// running one completes unobserved.
    pub fn cancel_with(&self, recursive: bool) -> bool {
        if self.cell.is_complete() {
            return false;
        }
        match self.cell.producer() {
            Some(control) => control.cancel(recursive),
            None => self.cell.complete(Err(RustyRayError::Cancelled {
                task_id: self.task_id(),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ray_common::JobId;

    fn ids(n: u32) -> ObjectId {
        let task = TaskId::for_driver_task(&JobId::from_int(9));
        ObjectId::from_index(&task, n).expect("index")
    }

    #[test]
    fn entries_are_freed_with_the_last_reference() {
        let store = ObjectStore::new(usize::MAX);
        let cell = store.create::<i32>(ids(1)).expect("create");
        let r = ObjectRef { cell };
        let r2 = r.clone();
        assert_eq!(store.live(), 1);
        assert!(store.contains(&ids(1)));
        drop(r);
        assert_eq!(store.live(), 1);
        drop(r2);
        assert_eq!(store.live(), 0);
        assert!(!store.contains(&ids(1)));
    }

    #[test]
    fn capacity_is_enforced() {
        let store = ObjectStore::new(1);
        let a = store.create::<i32>(ids(1)).expect("first");
        let full = store.create::<i32>(ids(2));
        assert!(matches!(
            full,
            Err(RustyRayError::ObjectStoreFull { capacity: 1 })
        ));
        drop(a);
        assert!(store.create::<i32>(ids(3)).is_ok());
    }

    #[test]
    fn lookup_by_id_checks_the_type() {
        let store = ObjectStore::new(usize::MAX);
        let cell = store.create::<String>(ids(4)).expect("create");
        cell.complete(Ok("v".to_owned()));
        let _keep = ObjectRef { cell };
        let found = store.lookup::<String>(&ids(4)).expect("found");
        assert_eq!(found.try_get().and_then(|r| r.ok()), Some("v".to_owned()));
        assert!(store.lookup::<i32>(&ids(4)).is_none());
        assert!(store.lookup::<String>(&ids(5)).is_none());
    }

    #[test]
    fn dropped_writer_fails_the_object() {
        let store = ObjectStore::new(usize::MAX);
        let cell = store.create::<i32>(ids(6)).expect("create");
        let r = ObjectRef { cell: cell.clone() };
        drop(ObjectWriter::new(cell, Abandon::Task(ids(6).task_id())));
        assert!(matches!(
            r.try_get(),
            Some(Err(RustyRayError::Cancelled { .. }))
        ));
    }

    #[test]
    fn first_completion_wins_and_wakes_waiters() {
        let store = ObjectStore::new(usize::MAX);
        let cell = store.create::<i32>(ids(7)).expect("create");
        let r = ObjectRef { cell: cell.clone() };
        let waiter = std::thread::spawn({
            let r = r.clone();
            move || r.get_blocking()
        });
        assert!(cell.complete(Ok(5)));
        assert!(!cell.complete(Ok(6)));
        assert_eq!(waiter.join().ok().and_then(|r| r.ok()), Some(5));
        assert!(!r.cancel());
    }
}
