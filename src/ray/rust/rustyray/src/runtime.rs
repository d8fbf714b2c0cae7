//! The public runtime API: building runtimes (`Runtime::builder`, `rustyray::init`),
//! running drivers (`Runtime::block_on`), and finding the current runtime.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;
use ray_common::{JobId, TaskId};

use crate::backend::{self, Backend, ClusterConfig};
use crate::context::{self, TaskContext};
use crate::error::{Result, RustyRayError};
use crate::names::ActorNames;
use crate::node::{self, Inner, RuntimeSlot, GLOBAL};
use crate::object::{ObjectRef, ObjectStore};
use crate::resources::Resources;

pub use crate::node::Runtime;

static NEXT_JOB: AtomicU32 = AtomicU32::new(1);

/// Options of a runtime (Ray's `ray.init` arguments that apply in-process).
#[derive(Clone)]
pub struct RuntimeBuilder {
    num_cpus: Option<f64>,
    num_gpus: f64,
    resources: Vec<(String, f64)>,
    worker_threads: Option<usize>,
    object_store_capacity: usize,
    namespace: Option<String>,
    address: Option<String>,
    code_search_path: Option<String>,
    backend: Option<Arc<dyn Backend>>,
}

/// The options of `rustyray::init_with` (Ray's `ray.init` arguments).
pub type Config = RuntimeBuilder;

impl std::fmt::Debug for RuntimeBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeBuilder")
            .field("num_cpus", &self.num_cpus)
            .field("num_gpus", &self.num_gpus)
            .field("resources", &self.resources)
            .field("worker_threads", &self.worker_threads)
            .field("object_store_capacity", &self.object_store_capacity)
            .field("namespace", &self.namespace)
            .field("address", &self.address)
            .field("code_search_path", &self.code_search_path)
            .field("backend", &self.backend.as_ref().map(|b| b.name()))
            .finish()
    }
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
            address: None,
            code_search_path: None,
            backend: None,
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

    /// Options that run remote functions on the Ray cluster at `address` (`host:port` of
    /// its GCS, or `"auto"` for the `RAY_ADDRESS` environment variable): `rustyray::init_with(
    /// Config::ray("127.0.0.1:6379"))`. Needs a backend in the program
    /// (`rustyray_ray::ray_backend!()`).
    pub fn ray(address: impl Into<String>) -> Self {
        RuntimeBuilder::default().address(address)
    }

    /// Runs remote functions on the cluster at `address` (`"auto"`: `RAY_ADDRESS`)
    /// through the program's backend (see [`crate::backend`]), instead of in-process.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into());
        self
    }

    /// Where the cluster's workers load the program's functions from (for Ray, the shared
    /// library built from them); default: the backend's (`RUSTYRAY_CODE_SEARCH_PATH`).
    pub fn code_search_path(mut self, path: impl Into<String>) -> Self {
        self.code_search_path = Some(path.into());
        self
    }

    /// Runs remote functions on `backend`, already connected.
    pub fn backend(mut self, backend: Arc<dyn Backend>) -> Self {
        self.backend = Some(backend);
        self
    }

    /// The backend this runtime uses: the given one, or a connection to the address.
    fn connect(&self) -> Result<Option<Arc<dyn Backend>>> {
        if let Some(backend) = &self.backend {
            return Ok(Some(Arc::clone(backend)));
        }
        let Some(address) = &self.address else {
            return Ok(None);
        };
        let address = if address == "auto" {
            std::env::var("RAY_ADDRESS").map_err(|_| {
                RustyRayError::InvalidArgument(
                    "address \"auto\" needs the RAY_ADDRESS environment variable".to_owned(),
                )
            })?
        } else {
            address.clone()
        };
        let connector = backend::connector().ok_or_else(|| {
            RustyRayError::Unsupported(format!(
                "no cluster backend in this program to connect to {address}: add \
                 `rustyray_ray::ray_backend!();` (crate rustyray-ray, feature `cluster`)"
            ))
        })?;
        let config = ClusterConfig {
            address,
            code_search_path: self.code_search_path.clone(),
            namespace: self.namespace.clone(),
        };
        (connector.connect)(&config)
            .map(Some)
            .map_err(RustyRayError::from)
    }

    /// Builds an independent runtime with a fresh job ID.
    pub fn build(self) -> Result<Runtime> {
        let backend = self.connect()?;
        let parallelism = std::thread::available_parallelism().map_or(1, usize::from);
        let num_cpus = self.num_cpus.unwrap_or(parallelism as f64);
        let resources = Resources::new(num_cpus, self.num_gpus, &self.resources)?;
        let slot: RuntimeSlot = Arc::default();
        let for_threads = Arc::clone(&slot);
        let mut tokio = tokio::runtime::Builder::new_multi_thread();
        tokio
            .enable_all()
            .thread_name("rustyray-worker")
            .on_thread_start(move || node::enter_thread(&for_threads));
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
                // On a cluster, the job's namespace there.
                namespace: self
                    .namespace
                    .or_else(|| backend.as_ref().and_then(|b| b.namespace()))
                    .unwrap_or_else(|| format!("anonymous-{job_id}")),
                shut_down: AtomicBool::new(false),
                backend,
            }),
        };
        if rt.inner.backend.is_some() {
            backend::runtime_connected();
        }
        let _ = slot.set(Arc::downgrade(&rt.inner));
        Ok(rt)
    }

    /// Builds the runtime and makes it the global one (what `rustyray::init` does).
    ///
    /// Without an address or backend, a program that has a cluster backend
    /// (`rustyray_ray::ray_backend!()`) connects to `RAY_ADDRESS` when it is set, as Ray's
    /// `ray.init()` does; otherwise the runtime is in-process.
    pub fn init(mut self) -> Result<Runtime> {
        let mut global = GLOBAL.write();
        if global.is_some() {
            return Err(RustyRayError::AlreadyInitialised);
        }
        if self.address.is_none() && self.backend.is_none() && backend::connector().is_some() {
            if let Ok(address) = std::env::var("RAY_ADDRESS") {
                self.address = Some(address);
            }
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

    /// Runs `future` to completion on the current thread as the driver of this runtime:
    /// `f::remote(..)` inside it submits to this runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let ctx = TaskContext::driver(self.clone());
        self.inner.handle.block_on(ctx.scope(future))
    }

    /// Stores `value` and returns a reference to it (Ray's `ray.put`).
    pub fn put<T: Send + Sync + 'static>(&self, value: T) -> Result<ObjectRef<T>> {
        context::with_current(Some(self), |ctx| ctx.put(value))?
    }
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

/// Creates the global runtime with `config` (Ray's `ray.init(..)` with arguments), e.g.
/// `rustyray::init_with(rustyray::Config::ray("127.0.0.1:6379"))` for a Ray cluster.
pub fn init_with(config: Config) -> Result<Runtime> {
    config.init()
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
    match context::current_runtime().or_else(node::of_this_thread) {
        Some(rt) => Ok(rt),
        None => node::global(),
    }
}

/// True while a global runtime exists (Ray's `ray.is_initialized()`).
pub fn is_initialized() -> bool {
    GLOBAL.read().is_some()
}
