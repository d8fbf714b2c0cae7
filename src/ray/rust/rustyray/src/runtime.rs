//! The runtime: a tokio multi-thread runtime, the object store, the resource pools,
//! the named actors and the job's IDs.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};
use std::time::Duration;

use parking_lot::{Mutex, RwLock};
use ray_common::{JobId, ObjectId, TaskId};

use crate::context::{self, TaskContext};
use crate::error::{Result, RustyRayError};
use crate::names::ActorNames;
use crate::object::{ObjectRef, ObjectStore};
use crate::resources::Resources;

static GLOBAL: RwLock<Option<Runtime>> = RwLock::new(None);
static NEXT_JOB: AtomicU32 = AtomicU32::new(1);

/// Where a thread of a runtime's tokio pools finds its runtime, once it is built.
type RuntimeSlot = Arc<OnceLock<Weak<Inner>>>;

thread_local! {
    /// Set on every worker and blocking thread of a runtime: futures spawned with
    /// `tokio::spawn` inside a task run outside the task's context, and find their runtime
    /// here.
    static THREAD_RUNTIME: RefCell<Option<RuntimeSlot>> = const { RefCell::new(None) };
}

/// The runtime whose tokio threads the current thread belongs to.
pub(crate) fn of_this_thread() -> Option<Runtime> {
    THREAD_RUNTIME.with(|slot| {
        let slot = slot.borrow();
        let inner = slot.as_ref()?.get()?.upgrade()?;
        Some(Runtime { inner })
    })
}

pub(crate) struct Inner {
    pub(crate) job_id: JobId,
    pub(crate) driver_task_id: TaskId,
    pub(crate) driver_task_counter: AtomicU64,
    pub(crate) driver_put_counter: AtomicU32,
    pub(crate) handle: tokio::runtime::Handle,
    tokio: Mutex<Option<tokio::runtime::Runtime>>,
    pub(crate) store: Arc<ObjectStore>,
    pub(crate) resources: Resources,
    pub(crate) named_actors: ActorNames,
    namespace: String,
    shut_down: AtomicBool,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(rt) = self.tokio.get_mut().take() {
            rt.shutdown_background();
        }
    }
}

/// A RustyRay runtime. Cheap to clone: clones share one runtime.
///
/// `rustyray::init()` (or `#[rustyray::main]`) creates the global runtime that
/// `f::remote(..)` uses; [`Runtime::builder`] creates independent ones, used with
/// `f::remote_on(&rt, ..)` or inside [`Runtime::block_on`].
///
/// ```
/// # fn main() -> rustyray::Result<()> {
/// let rt = rustyray::Runtime::builder().num_cpus(4.0).resource("disk", 2.0).build()?;
/// assert_eq!(rt.total_resource("CPU"), Some(4.0));
/// let v = rt.block_on(async { rustyray::put(7)?.get().await })?;
/// assert_eq!(v, 7);
/// rt.shutdown();
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Runtime {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("job_id", &self.inner.job_id)
            .finish_non_exhaustive()
    }
}

/// Options of a runtime (Ray's `ray.init` arguments that apply in-process).
#[derive(Debug, Clone)]
pub struct RuntimeBuilder {
    num_cpus: Option<f64>,
    num_gpus: f64,
    resources: Vec<(String, f64)>,
    worker_threads: Option<usize>,
    object_store_capacity: usize,
    namespace: Option<String>,
}

impl Default for RuntimeBuilder {
    fn default() -> Self {
        RuntimeBuilder {
            num_cpus: None,
            num_gpus: 0.0,
            resources: Vec::new(),
            worker_threads: None,
            object_store_capacity: usize::MAX,
            namespace: None,
        }
    }
}

impl RuntimeBuilder {
    /// CPUs available to tasks (default: the machine's parallelism).
    pub fn num_cpus(mut self, n: f64) -> Self {
        self.num_cpus = Some(n);
        self
    }

    /// GPUs available to tasks (default 0).
    pub fn num_gpus(mut self, n: f64) -> Self {
        self.num_gpus = n;
        self
    }

    /// A custom resource and its amount.
    pub fn resource(mut self, name: impl Into<String>, amount: f64) -> Self {
        self.resources.push((name.into(), amount));
        self
    }

    /// Async worker threads of the tokio runtime (default: the machine's parallelism).
    pub fn worker_threads(mut self, n: usize) -> Self {
        self.worker_threads = Some(n);
        self
    }

    /// Maximum number of live objects; creating more fails with
    /// `RustyRayError::ObjectStoreFull` (default: unbounded).
    pub fn object_store_capacity(mut self, objects: usize) -> Self {
        self.object_store_capacity = objects;
        self
    }

    /// The namespace of the job (Ray's `ray.init(namespace=..)`): where its actors'
    /// names are registered and looked up by default. Without one, the job gets an
    /// anonymous namespace of its own, as in Ray.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Builds an independent runtime with a fresh job ID.
    pub fn build(self) -> Result<Runtime> {
        let parallelism = std::thread::available_parallelism().map_or(1, usize::from);
        let num_cpus = self.num_cpus.unwrap_or(parallelism as f64);
        let resources = Resources::new(num_cpus, self.num_gpus, &self.resources)?;
        let slot: RuntimeSlot = Arc::default();
        let for_threads = Arc::clone(&slot);
        let mut tokio = tokio::runtime::Builder::new_multi_thread();
        tokio
            .enable_all()
            .thread_name("rustyray-worker")
            .on_thread_start(move || {
                THREAD_RUNTIME.with(|t| *t.borrow_mut() = Some(Arc::clone(&for_threads)));
            });
        if let Some(n) = self.worker_threads {
            if n == 0 {
                return Err(RustyRayError::InvalidArgument(
                    "worker_threads must be at least 1".to_owned(),
                ));
            }
            tokio.worker_threads(n);
        }
        let tokio = tokio.build().map_err(|e| {
            RustyRayError::InvalidArgument(format!("cannot start the tokio runtime: {e}"))
        })?;
        let job_id = JobId::from_int(NEXT_JOB.fetch_add(1, Ordering::Relaxed));
        let rt = Runtime {
            inner: Arc::new(Inner {
                job_id,
                driver_task_id: TaskId::for_driver_task(&job_id),
                driver_task_counter: AtomicU64::new(0),
                driver_put_counter: AtomicU32::new(0),
                handle: tokio.handle().clone(),
                tokio: Mutex::new(Some(tokio)),
                store: ObjectStore::new(self.object_store_capacity),
                resources,
                named_actors: ActorNames::default(),
                namespace: self
                    .namespace
                    .unwrap_or_else(|| format!("anonymous-{job_id}")),
                shut_down: AtomicBool::new(false),
            }),
        };
        let _ = slot.set(Arc::downgrade(&rt.inner));
        Ok(rt)
    }

    /// Builds the runtime and makes it the global one (what `rustyray::init` does).
    pub fn init(self) -> Result<Runtime> {
        let mut global = GLOBAL.write();
        if global.is_some() {
            return Err(RustyRayError::AlreadyInitialised);
        }
        let rt = self.build()?;
        *global = Some(rt.clone());
        Ok(rt)
    }
}

impl Runtime {
    /// Options for a new runtime.
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    pub(crate) fn same(&self, other: &Runtime) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// This runtime's job (a fresh `JobId` per runtime).
    pub fn job_id(&self) -> JobId {
        self.inner.job_id
    }

    /// The job's namespace (set with [`RuntimeBuilder::namespace`], else anonymous).
    pub fn namespace(&self) -> &str {
        &self.inner.namespace
    }

    /// The driver's task (`TaskId::for_driver_task(job)`), parent of tasks submitted
    /// outside any task.
    pub fn driver_task_id(&self) -> TaskId {
        self.inner.driver_task_id
    }

    /// The tokio runtime's handle, to spawn ordinary tokio tasks next to RustyRay's.
    pub fn tokio_handle(&self) -> &tokio::runtime::Handle {
        &self.inner.handle
    }

    /// Runs `future` to completion on the current thread as the driver of this runtime:
    /// `f::remote(..)` inside it submits to this runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let ctx = TaskContext::driver(self.clone());
        self.inner.handle.block_on(ctx.scope(future))
    }

    /// Number of objects alive in the store.
    pub fn live_objects(&self) -> usize {
        self.inner.store.live()
    }

    /// True while an object with this ID is alive.
    pub fn contains_object(&self, id: &ObjectId) -> bool {
        self.inner.store.contains(id)
    }

    /// A new reference to a live object, if `id` names one of type `T`.
    pub fn object_ref<T: Send + Sync + 'static>(&self, id: &ObjectId) -> Option<ObjectRef<T>> {
        self.inner.store.lookup(id)
    }

    /// Free amount of a resource ("CPU", "GPU" or a custom name).
    pub fn available_resource(&self, name: &str) -> Option<f64> {
        self.inner.resources.available(name)
    }

    /// Total amount of a resource ("CPU", "GPU" or a custom name).
    pub fn total_resource(&self, name: &str) -> Option<f64> {
        self.inner.resources.total(name)
    }

    /// Stores `value` and returns a reference to it (Ray's `ray.put`).
    pub fn put<T: Send + Sync + 'static>(&self, value: T) -> Result<ObjectRef<T>> {
        context::with_current(Some(self), |ctx| ctx.put(value))?
    }

    /// True once [`shutdown`](Self::shutdown) ran.
    pub fn is_shut_down(&self) -> bool {
        self.inner.shut_down.load(Ordering::SeqCst)
    }

    /// Stops the runtime (Ray's `ray.shutdown()`): every pending object fails with
    /// `RustyRayError::RuntimeShutDown` at once (whatever its task does later), running
    /// tasks are cancelled (async ones dropped, synchronous ones see
    /// `rustyray::context().is_cancelled()`), actors stop, and new submissions fail with
    /// `RuntimeShutDown`. Unsets the global runtime if it is this one.
    ///
    /// Called outside an async context, it waits up to 5 s for running synchronous
    /// functions to return, since they cannot be interrupted; one still running after that
    /// finishes on its thread, its result discarded.
    pub fn shutdown(&self) {
        if self.inner.shut_down.swap(true, Ordering::SeqCst) {
            return;
        }
        self.inner.store.shut_down();
        {
            let mut global = GLOBAL.write();
            if global.as_ref().is_some_and(|g| g.same(self)) {
                *global = None;
            }
        }
        let actors = self.inner.named_actors.take_all();
        drop(actors);
        let tokio = self.inner.tokio.lock().take();
        if let Some(tokio) = tokio {
            if tokio::runtime::Handle::try_current().is_ok() {
                tokio.shutdown_background();
            } else {
                tokio.shutdown_timeout(Duration::from_secs(5));
            }
        }
    }
}

pub(crate) fn global() -> Result<Runtime> {
    GLOBAL
        .read()
        .as_ref()
        .cloned()
        .ok_or(RustyRayError::NotInitialised)
}

/// Creates the global runtime with default options (Ray's `ray.init()`).
///
/// ```
/// let rt = rustyray::init().expect("first init");
/// assert!(matches!(rustyray::init(), Err(rustyray::RustyRayError::AlreadyInitialised)));
/// assert_eq!(rustyray::runtime().expect("global").job_id(), rt.job_id());
/// rustyray::shutdown().expect("shutdown");
/// assert!(rustyray::runtime().is_err());
/// ```
pub fn init() -> Result<Runtime> {
    RuntimeBuilder::default().init()
}

/// Shuts the global runtime down (Ray's `ray.shutdown()`).
pub fn shutdown() -> Result<()> {
    let rt = GLOBAL.read().clone().ok_or(RustyRayError::NotInitialised)?;
    rt.shutdown();
    Ok(())
}

/// The current runtime: the one running the current task (or owning the current
/// thread), else the global one.
pub fn runtime() -> Result<Runtime> {
    match context::current_runtime().or_else(of_this_thread) {
        Some(rt) => Ok(rt),
        None => global(),
    }
}

/// A reference to a runtime that does not keep it alive: for the runtime's own tasks
/// (actor mailboxes), which would otherwise keep it from ever being dropped.
#[derive(Clone)]
pub(crate) struct WeakRuntime(Weak<Inner>);

impl WeakRuntime {
    pub(crate) fn upgrade(&self) -> Option<Runtime> {
        self.0.upgrade().map(|inner| Runtime { inner })
    }
}

impl Runtime {
    pub(crate) fn downgrade(&self) -> WeakRuntime {
        WeakRuntime(Arc::downgrade(&self.inner))
    }
}

/// True while a global runtime exists (Ray's `ray.is_initialized()`).
pub fn is_initialized() -> bool {
    GLOBAL.read().is_some()
}
