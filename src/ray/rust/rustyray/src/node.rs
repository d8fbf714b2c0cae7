//! One runtime's state — its job, object store, resources, named actors and tokio pools —
//! and where code finds its runtime (the global one, or the one owning its thread).
//!
//! The layer under task contexts and the public runtime API: it knows neither, so the
//! context can hold a [`Runtime`] and the API can build contexts without a cycle.

use std::cell::RefCell;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};
use std::time::Duration;

use parking_lot::{Mutex, RwLock};
use ray_common::{JobId, ObjectId, TaskId};

use crate::error::{Result, RustyRayError};
use crate::names::ActorNames;
use crate::object::{ObjectRef, ObjectStore};
use crate::resources::Resources;

/// The runtime `rustyray::init` made, used where no task or thread names one.
pub(crate) static GLOBAL: RwLock<Option<Runtime>> = RwLock::new(None);

/// Where a thread of a runtime's tokio pools finds its runtime, once it is built.
pub(crate) type RuntimeSlot = Arc<OnceLock<Weak<Inner>>>;

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

/// Marks the current thread as one of the runtime `slot` will name.
pub(crate) fn enter_thread(slot: &RuntimeSlot) {
    THREAD_RUNTIME.with(|t| *t.borrow_mut() = Some(Arc::clone(slot)));
}

pub(crate) struct Inner {
    pub(crate) job_id: JobId,
    pub(crate) driver_task_id: TaskId,
    pub(crate) driver_task_counter: AtomicU64,
    pub(crate) driver_put_counter: AtomicU32,
    pub(crate) handle: tokio::runtime::Handle,
    pub(crate) tokio: Mutex<Option<tokio::runtime::Runtime>>,
    pub(crate) store: Arc<ObjectStore>,
    pub(crate) resources: Resources,
    pub(crate) named_actors: ActorNames,
    pub(crate) namespace: String,
    pub(crate) shut_down: AtomicBool,
    /// Where remote functions run, if not in this process.
    pub(crate) backend: Option<Arc<dyn crate::remote::Backend>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(backend) = self.backend.take() {
            backend.shutdown();
            crate::remote::runtime_disconnected();
        }
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

impl Runtime {
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
        // The fetches of cluster objects end with their objects, failed above; the backend
        // disconnects once the calls under way return (shutdown may be called twice).
        if let Some(backend) = &self.inner.backend {
            backend.shutdown();
        }
    }

    /// The name of the backend remote functions run on (`"ray"`), or `None` in-process.
    pub fn backend_name(&self) -> Option<&'static str> {
        self.inner.backend.as_ref().map(|b| b.name())
    }
}

pub(crate) fn global() -> Result<Runtime> {
    GLOBAL
        .read()
        .as_ref()
        .cloned()
        .ok_or(RustyRayError::NotInitialised)
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
