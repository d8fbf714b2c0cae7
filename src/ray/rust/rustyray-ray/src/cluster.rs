//! The driver side: connect to a Ray cluster, put and get objects, submit Rust functions by
//! name and wait for their results, create Rust actors and call their methods.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::codec;
use crate::error::ClusterError;
use crate::ffi::{
    self, CBuffer, RrActorOptions, RrArg, RrBytes, RrResource, ACTOR_ID_LEN, OBJECT_ID_LEN,
};

/// Ray's runtime is one per process; this guards against a second `connect`.
static CONNECTED: AtomicBool = AtomicBool::new(false);

fn check(status: i32, out: RrBytes) -> Result<(), ClusterError> {
    if status == 0 {
        // A successful call leaves no message, but free whatever is there.
        ffi::take_bytes(out);
        Ok(())
    } else {
        Err(ClusterError::from_status_bytes(
            status,
            &ffi::take_bytes(out),
        ))
    }
}

/// The buffer a call returned its result in (`status` 0), or its error.
fn checked_buffer(status: i32, out: RrBytes) -> Result<CBuffer, ClusterError> {
    let buffer = CBuffer::new(out);
    if status != 0 {
        return Err(ClusterError::from_status_bytes(status, buffer.as_slice()));
    }
    Ok(buffer)
}

/// Ray's timeouts are `int` milliseconds; `None` waits forever (-1).
fn timeout_ms(timeout: Option<Duration>) -> i32 {
    timeout.map_or(-1, |t| i32::try_from(t.as_millis()).unwrap_or(i32::MAX))
}

/// A connection to a Ray cluster (the process's Ray driver). Shuts Ray down when dropped.
///
/// Ray's core worker is thread-safe, so the handle may be shared between threads.
pub struct Cluster {
    _private: (),
}

impl Cluster {
    /// Connects to the cluster at `address` (`host:port` of the GCS). `code_search_path`
    /// lists (`:`-separated) the shared libraries or directories Ray's C++ workers load the
    /// Rust functions from.
    pub fn connect(address: &str, code_search_path: &str) -> Result<Self, ClusterError> {
        Self::connect_in(address, code_search_path, "")
    }

    /// [`connect`](Self::connect) as a job of `namespace` (empty: an anonymous namespace
    /// of its own, as Ray's default), where its named actors are registered and looked up.
    pub fn connect_in(
        address: &str,
        code_search_path: &str,
        namespace: &str,
    ) -> Result<Self, ClusterError> {
        if CONNECTED.swap(true, Ordering::SeqCst) {
            return Err(ClusterError::Ray(
                "already connected in this process".into(),
            ));
        }
        let mut out = RrBytes::empty();
        // SAFETY: the strings are valid for their lengths for the duration of the call.
        let status = unsafe {
            ffi::rr_init(
                address.as_ptr().cast(),
                address.len(),
                code_search_path.as_ptr().cast(),
                code_search_path.len(),
                namespace.as_ptr().cast(),
                namespace.len(),
                &mut out,
            )
        };
        if let Err(err) = check(status, out) {
            CONNECTED.store(false, Ordering::SeqCst);
            return Err(err);
        }
        Ok(Self { _private: () })
    }

    /// Connects to the cluster named by the `RAY_ADDRESS` environment variable, as Ray's
    /// own drivers do.
    pub fn connect_from_env(code_search_path: &str) -> Result<Self, ClusterError> {
        let address = std::env::var("RAY_ADDRESS").map_err(|_| {
            ClusterError::NotConnected("RAY_ADDRESS is not set (e.g. 127.0.0.1:6390)".into())
        })?;
        Self::connect(&address, code_search_path)
    }

    /// Stores a value in Ray's object store.
    pub fn put<T: Serialize>(&self, value: &T) -> Result<ObjectRef<T>, ClusterError> {
        let bytes = codec::encode(value).map_err(ClusterError::Codec)?;
        put_bytes(&bytes).map(ObjectRef::from_owned)
    }

    /// Waits for the object and decodes it.
    pub fn get<T: DeserializeOwned>(&self, object: &ObjectRef<T>) -> Result<T, ClusterError> {
        self.get_raw(object, None)
    }

    /// Like [`Cluster::get`], but fails with [`ClusterError::Timeout`] after `timeout`.
    pub fn get_timeout<T: DeserializeOwned>(
        &self,
        object: &ObjectRef<T>,
        timeout: Duration,
    ) -> Result<T, ClusterError> {
        self.get_raw(object, Some(timeout))
    }

    fn get_raw<T: DeserializeOwned>(
        &self,
        object: &ObjectRef<T>,
        timeout: Option<Duration>,
    ) -> Result<T, ClusterError> {
        let buffer = get_buffer(object.id(), object.language, timeout)?;
        codec::decode(buffer.as_slice()).map_err(ClusterError::Codec)
    }

    /// Waits until all the objects are ready, then gets and decodes them; fails with the
    /// first error in the order of `objects`.
    pub fn get_all<T: DeserializeOwned>(
        &self,
        objects: &[&ObjectRef<T>],
    ) -> Result<Vec<T>, ClusterError> {
        let flat: Vec<u8> = objects
            .iter()
            .flat_map(|o| o.id().iter().copied())
            .collect();
        let languages: Vec<u8> = objects.iter().map(|o| o.language).collect();
        let mut values: Vec<RrBytes> = objects.iter().map(|_| RrBytes::empty()).collect();
        let mut statuses = vec![0_i32; objects.len()];
        let mut out = RrBytes::empty();
        // SAFETY: `flat` holds `objects.len()` ids; `values` and `statuses` have one
        // writable slot for each.
        let status = unsafe {
            ffi::rr_get_many(
                flat.as_ptr(),
                languages.as_ptr(),
                objects.len(),
                -1,
                values.as_mut_ptr(),
                statuses.as_mut_ptr(),
                &mut out,
            )
        };
        // Own every buffer before anything can return early, so each is freed.
        let values: Vec<CBuffer> = values.into_iter().map(CBuffer::new).collect();
        check(status, out)?;
        values
            .iter()
            .zip(statuses)
            .map(|(value, status)| {
                if status != 0 {
                    return Err(ClusterError::from_status_bytes(status, value.as_slice()));
                }
                codec::decode(value.as_slice()).map_err(ClusterError::Codec)
            })
            .collect()
    }

    /// Waits until `num_ready` of `objects` are ready or `timeout` passes (`None`: no
    /// limit), and says which are ready.
    pub fn wait<T>(
        &self,
        objects: &[&ObjectRef<T>],
        num_ready: usize,
        timeout: Option<Duration>,
    ) -> Result<WaitResult, ClusterError> {
        let ids: Vec<&[u8; OBJECT_ID_LEN]> = objects.iter().map(|o| o.id()).collect();
        let ready = wait_ids(&ids, num_ready, timeout)?;
        let (ready, not_ready) = (0..objects.len()).partition(|&i| ready[i]);
        Ok(WaitResult { ready, not_ready })
    }

    /// Runs the [`cluster_function!`](crate::cluster_function) registered as `function` in
    /// a Ray worker; its result (of type `R`) is the returned object.
    pub fn submit<R>(
        &self,
        function: &str,
        args: &[Arg],
        options: &TaskOptions,
    ) -> Result<ObjectRef<R>, ClusterError> {
        submit_task(function, args, &options.ray_resources()).map(ObjectRef::from_owned)
    }

    /// Calls the C++ function registered with Ray's `RAY_REMOTE` as `function`, found in a
    /// library on the code search path. Value arguments reach it as the MessagePack values
    /// its parameters deserialize (a Rust `i64`, `String` or `Vec` as the C++ `int64_t`,
    /// `std::string` or `std::vector`); its result is decoded into `R`.
    pub fn submit_cpp<R>(
        &self,
        function: &str,
        args: &[Arg],
        options: &TaskOptions,
    ) -> Result<ObjectRef<R>, ClusterError> {
        submit_foreign(
            ffi::RR_LANGUAGE_CPP,
            "",
            function,
            args,
            &options.ray_resources(),
        )
        .map(|id| ObjectRef::foreign(id, ffi::RR_LANGUAGE_CPP))
    }

    /// Calls the Python function `module.function` through Ray's cross-language calls; the
    /// module is imported by Ray's Python workers from a directory on the code search path.
    /// Values cross as MessagePack both ways (numbers, strings, bytes, lists and maps).
    pub fn submit_python<R>(
        &self,
        module: &str,
        function: &str,
        args: &[Arg],
        options: &TaskOptions,
    ) -> Result<ObjectRef<R>, ClusterError> {
        submit_foreign(
            ffi::RR_LANGUAGE_PYTHON,
            module,
            function,
            args,
            &options.ray_resources(),
        )
        .map(|id| ObjectRef::foreign(id, ffi::RR_LANGUAGE_PYTHON))
    }

    /// Creates an actor of the [`cluster_actor!`](crate::cluster_actor) type registered as
    /// `actor_type`, in a Ray worker that runs its constructor on `args` and then its calls.
    ///
    /// Ray creates the actor asynchronously: a constructor that fails (or an unknown type)
    /// shows as [`ClusterError::ActorDied`] from the actor's calls. A name already taken by a
    /// live actor fails here.
    pub fn create_actor(
        &self,
        actor_type: &str,
        args: &[Arg],
        options: &ActorOptions,
    ) -> Result<ActorHandle, ClusterError> {
        create_actor_raw(actor_type, args, options).map(|id| ActorHandle { id })
    }

    /// The live actor created under `name` (see [`ActorOptions::name`]) by any driver of
    /// this job's namespace, or `None`.
    pub fn get_actor(&self, name: &str) -> Result<Option<ActorHandle>, ClusterError> {
        get_actor_raw(name, None).map(|found| found.map(|id| ActorHandle { id }))
    }

    /// [`get_actor`](Self::get_actor) in `namespace`.
    pub fn get_actor_in(
        &self,
        name: &str,
        namespace: &str,
    ) -> Result<Option<ActorHandle>, ClusterError> {
        get_actor_raw(name, Some(namespace)).map(|found| found.map(|id| ActorHandle { id }))
    }

    /// Kills the actor's worker process and does not restart it, whatever its
    /// `max_restarts`: its pending and later calls fail with [`ClusterError::ActorDied`].
    pub fn kill(&self, actor: &ActorHandle) -> Result<(), ClusterError> {
        self.kill_actor(actor, true)
    }

    /// Kills the actor's worker process, letting Ray restart the actor (from its
    /// constructor, with fresh state) if its `max_restarts` allows.
    pub fn kill_and_restart(&self, actor: &ActorHandle) -> Result<(), ClusterError> {
        self.kill_actor(actor, false)
    }

    fn kill_actor(&self, actor: &ActorHandle, no_restart: bool) -> Result<(), ClusterError> {
        kill_actor_raw(&actor.id, no_restart)
    }
}

pub(crate) fn create_actor_raw(
    actor_type: &str,
    args: &[Arg],
    options: &ActorOptions,
) -> Result<[u8; ACTOR_ID_LEN], ClusterError> {
    let raw_args = raw_args(args);
    let resources = raw_resources(&options.resources);
    let name = options.name.as_deref().unwrap_or("");
    let namespace = options.namespace.as_deref().unwrap_or("");
    let raw_options = RrActorOptions {
        name: name.as_ptr().cast(),
        name_len: name.len(),
        ray_namespace: namespace.as_ptr().cast(),
        ray_namespace_len: namespace.len(),
        max_restarts: options.max_restarts,
        max_concurrency: i32::try_from(options.max_concurrency.max(1)).unwrap_or(i32::MAX),
        resources: resources.as_ptr(),
        nresources: resources.len(),
    };
    let mut id = [0_u8; ACTOR_ID_LEN];
    let mut out = RrBytes::empty();
    // SAFETY: every pointer refers to data borrowed from `actor_type`, `args` or
    // `options`, all alive for the call; `id` has room for an actor id.
    let status = unsafe {
        ffi::rr_actor_create(
            actor_type.as_ptr().cast(),
            actor_type.len(),
            raw_args.as_ptr(),
            raw_args.len(),
            &raw_options,
            id.as_mut_ptr(),
            &mut out,
        )
    };
    check(status, out)?;
    Ok(id)
}

/// The ActorID of the live actor named `name` in `namespace` (`None`: this job's), if any.
pub(crate) fn get_actor_raw(
    name: &str,
    namespace: Option<&str>,
) -> Result<Option<[u8; ACTOR_ID_LEN]>, ClusterError> {
    let namespace = namespace.unwrap_or("");
    let mut id = [0_u8; ACTOR_ID_LEN];
    let mut found = 0_i32;
    let mut out = RrBytes::empty();
    // SAFETY: `name` is valid for its length, `id` has room for an actor id, `found`
    // and `out` are writable.
    let status = unsafe {
        ffi::rr_actor_get(
            name.as_ptr().cast(),
            name.len(),
            namespace.as_ptr().cast(),
            namespace.len(),
            id.as_mut_ptr(),
            &mut found,
            &mut out,
        )
    };
    check(status, out)?;
    Ok((found != 0).then_some(id))
}

/// The job's namespace; the process must be connected (or be a worker).
pub(crate) fn namespace_raw() -> Result<String, ClusterError> {
    let mut out = RrBytes::empty();
    // SAFETY: `out` is writable.
    let status = unsafe { ffi::rr_namespace(&mut out) };
    let buffer = checked_buffer(status, out)?;
    Ok(String::from_utf8_lossy(buffer.as_slice()).into_owned())
}

/// Ray's serialized handle of the actor, for another process to call it.
pub(crate) fn serialize_actor_raw(id: &[u8; ACTOR_ID_LEN]) -> Result<Vec<u8>, ClusterError> {
    let mut out = RrBytes::empty();
    // SAFETY: the id is a full actor id; `out` is writable.
    let status = unsafe { ffi::rr_actor_serialize(id.as_ptr(), &mut out) };
    Ok(checked_buffer(status, out)?.as_slice().to_vec())
}

/// Registers a handle from [`serialize_actor_raw`] in this process: its actor's id.
pub(crate) fn deserialize_actor_raw(handle: &[u8]) -> Result<[u8; ACTOR_ID_LEN], ClusterError> {
    let mut id = [0_u8; ACTOR_ID_LEN];
    let mut out = RrBytes::empty();
    // SAFETY: `handle` is readable for its length, `id` has room for an actor id, `out`
    // is writable.
    let status = unsafe {
        ffi::rr_actor_deserialize(handle.as_ptr(), handle.len(), id.as_mut_ptr(), &mut out)
    };
    check(status, out)?;
    Ok(id)
}

/// Kills the actor's worker process (`no_restart`: for good).
pub(crate) fn kill_actor_raw(
    id: &[u8; ACTOR_ID_LEN],
    no_restart: bool,
) -> Result<(), ClusterError> {
    let mut out = RrBytes::empty();
    // SAFETY: the id is a full actor id; `out` is writable.
    let status = unsafe { ffi::rr_actor_kill(id.as_ptr(), i32::from(no_restart), &mut out) };
    check(status, out)
}

/// Stores encoded bytes as an object; the process must be connected.
pub(crate) fn put_bytes(bytes: &[u8]) -> Result<Arc<OwnedId>, ClusterError> {
    let mut id = [0_u8; OBJECT_ID_LEN];
    let mut out = RrBytes::empty();
    // SAFETY: `bytes` is readable, `id` has room for an object id.
    let status = unsafe { ffi::rr_put(bytes.as_ptr(), bytes.len(), id.as_mut_ptr(), &mut out) };
    check(status, out)?;
    Ok(Arc::new(OwnedId(id)))
}

/// The encoded value of an object, waiting up to `timeout` (`None`: no limit).
pub(crate) fn get_bytes(
    id: &[u8; OBJECT_ID_LEN],
    timeout: Option<Duration>,
) -> Result<Vec<u8>, ClusterError> {
    get_buffer(id, 0, timeout).map(|buffer| buffer.as_slice().to_vec())
}

/// Like [`get_bytes`], without copying the value out of the C++ side's buffer.
fn get_buffer(
    id: &[u8; OBJECT_ID_LEN],
    language: u8,
    timeout: Option<Duration>,
) -> Result<CBuffer, ClusterError> {
    let mut out = RrBytes::empty();
    // SAFETY: `id` is a full object id; `out` is writable.
    let status = unsafe {
        ffi::rr_get(
            id.as_ptr(),
            i32::from(language),
            timeout_ms(timeout),
            &mut out,
        )
    };
    checked_buffer(status, out)
}

/// Which of the objects are ready once `num_ready` are or `timeout` passed.
pub(crate) fn wait_ids(
    ids: &[&[u8; OBJECT_ID_LEN]],
    num_ready: usize,
    timeout: Option<Duration>,
) -> Result<Vec<bool>, ClusterError> {
    let flat: Vec<u8> = ids.iter().flat_map(|id| id.iter().copied()).collect();
    let num = i32::try_from(num_ready)
        .map_err(|_| ClusterError::InvalidArgument("num_ready is too large".into()))?;
    let mut ready = vec![0_u8; ids.len()];
    let mut out = RrBytes::empty();
    // SAFETY: `flat` holds `ids.len()` ids, `ready` one byte for each.
    let status = unsafe {
        ffi::rr_wait(
            flat.as_ptr(),
            ids.len(),
            num,
            timeout_ms(timeout),
            ready.as_mut_ptr(),
            &mut out,
        )
    };
    check(status, out)?;
    Ok(ready.into_iter().map(|r| r != 0).collect())
}

/// Submits the function registered as `function`; its result is the returned object.
pub(crate) fn submit_task(
    function: &str,
    args: &[Arg],
    resources: &[(String, f64)],
) -> Result<Arc<OwnedId>, ClusterError> {
    submit_with(args, resources, |args, resources, id, out| {
        // SAFETY: `function` is valid for its length; the rest is `submit_with`'s.
        unsafe {
            ffi::rr_submit(
                function.as_ptr().cast(),
                function.len(),
                args.as_ptr(),
                args.len(),
                resources.as_ptr(),
                resources.len(),
                id.as_mut_ptr(),
                out,
            )
        }
    })
}

/// Submits a C++ or Python function (`language`, see `rr_submit_foreign`).
fn submit_foreign(
    language: u8,
    module: &str,
    function: &str,
    args: &[Arg],
    resources: &[(String, f64)],
) -> Result<Arc<OwnedId>, ClusterError> {
    submit_with(args, resources, |args, resources, id, out| {
        // SAFETY: `module` and `function` are valid for their lengths; the rest is
        // `submit_with`'s.
        unsafe {
            ffi::rr_submit_foreign(
                i32::from(language),
                module.as_ptr().cast(),
                module.len(),
                function.as_ptr().cast(),
                function.len(),
                args.as_ptr(),
                args.len(),
                resources.as_ptr(),
                resources.len(),
                id.as_mut_ptr(),
                out,
            )
        }
    })
}

/// Runs a submission through the C layer: `submit` gets the arguments and resources in
/// its form (borrowing `args` and `resources`, alive for the call), room for the result's
/// object id and the error buffer, and returns the status.
fn submit_with(
    args: &[Arg],
    resources: &[(String, f64)],
    submit: impl FnOnce(&[RrArg], &[RrResource], &mut [u8; OBJECT_ID_LEN], &mut RrBytes) -> i32,
) -> Result<Arc<OwnedId>, ClusterError> {
    let raw_args = raw_args(args);
    let resources = raw_resources(resources);
    let mut id = [0_u8; OBJECT_ID_LEN];
    let mut out = RrBytes::empty();
    let status = submit(&raw_args, &resources, &mut id, &mut out);
    check(status, out)?;
    Ok(Arc::new(OwnedId(id)))
}

fn raw_args(args: &[Arg]) -> Vec<RrArg> {
    args.iter()
        .map(|arg| match &arg.0 {
            ArgKind::Value(bytes) => RrArg {
                data: bytes.as_ptr(),
                len: bytes.len(),
                is_ref: 0,
            },
            ArgKind::Object(id) => RrArg {
                data: id.0.as_ptr(),
                len: OBJECT_ID_LEN,
                is_ref: 1,
            },
        })
        .collect()
}

fn raw_resources(resources: &[(String, f64)]) -> Vec<RrResource> {
    resources
        .iter()
        .map(|(name, amount)| RrResource {
            name: name.as_ptr().cast(),
            name_len: name.len(),
            amount: *amount,
        })
        .collect()
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let mut out = RrBytes::empty();
        // SAFETY: `out` is writable. A failing shutdown has nobody left to report to.
        let status = unsafe { ffi::rr_shutdown(&mut out) };
        let _ = check(status, out);
        CONNECTED.store(false, Ordering::SeqCst);
    }
}

/// One local reference to a Ray object, released when the last clone is dropped.
pub(crate) struct OwnedId(pub(crate) [u8; OBJECT_ID_LEN]);

impl Drop for OwnedId {
    fn drop(&mut self) {
        // SAFETY: the id is a full object id; releasing after shutdown is a no-op.
        unsafe { ffi::rr_release(self.0.as_ptr()) };
    }
}

/// A Ray object holding a `T`, encoded as MessagePack.
pub struct ObjectRef<T> {
    id: Arc<OwnedId>,
    /// 0 for this crate's objects, or the language (`ffi::RR_LANGUAGE_*`) of the C++ or
    /// Python function whose result this is: its value is stored as that language stores it.
    language: u8,
    _value: PhantomData<fn() -> T>,
}

impl<T> ObjectRef<T> {
    fn from_owned(id: Arc<OwnedId>) -> Self {
        Self {
            id,
            language: 0,
            _value: PhantomData,
        }
    }

    fn foreign(id: Arc<OwnedId>, language: u8) -> Self {
        Self {
            language,
            ..Self::from_owned(id)
        }
    }

    fn owning(id: [u8; OBJECT_ID_LEN]) -> Self {
        Self::from_owned(Arc::new(OwnedId(id)))
    }

    /// The id's reference, shared.
    pub(crate) fn owned_id(&self) -> Arc<OwnedId> {
        Arc::clone(&self.id)
    }

    /// Ray's ObjectID (28 bytes), as `ray list objects` shows it in hex.
    pub fn id(&self) -> &[u8; OBJECT_ID_LEN] {
        &self.id.0
    }

    /// The ObjectID in lowercase hex.
    pub fn hex(&self) -> String {
        self.id.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl<T> Clone for ObjectRef<T> {
    fn clone(&self) -> Self {
        Self {
            id: Arc::clone(&self.id),
            language: self.language,
            _value: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for ObjectRef<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ObjectRef({})", self.hex())
    }
}

/// A task argument: a value, or an object whose value Ray passes once it is ready.
pub struct Arg(ArgKind);

enum ArgKind {
    Value(Vec<u8>),
    /// Holds a reference so the object outlives the submission.
    Object(Arc<OwnedId>),
}

impl Arg {
    /// An argument passed by value.
    pub fn value<T: Serialize + ?Sized>(value: &T) -> Result<Self, ClusterError> {
        codec::encode(value)
            .map(|bytes| Arg(ArgKind::Value(bytes)))
            .map_err(ClusterError::Codec)
    }

    /// An argument taken from an object (e.g. another task's result); the task starts when
    /// the object is ready.
    pub fn object<T>(object: &ObjectRef<T>) -> Self {
        Arg(ArgKind::Object(Arc::clone(&object.id)))
    }

    pub(crate) fn encoded(bytes: Vec<u8>) -> Self {
        Arg(ArgKind::Value(bytes))
    }

    pub(crate) fn owned_object(id: Arc<OwnedId>) -> Self {
        Arg(ArgKind::Object(id))
    }
}

/// Ray task options that the C++ API supports for tasks.
#[derive(Debug, Clone)]
pub struct TaskOptions {
    /// CPUs the task holds while it runs: 1 by default, as Ray's Python API asks. (Ray's
    /// C++ API asks for none by default, and Ray then starts a worker process for every
    /// task in flight.) 0 asks for none.
    pub num_cpus: f64,
    /// Other resources the task needs, e.g. `("node2", 1.0)` for a node's custom resource.
    pub resources: Vec<(String, f64)>,
}

impl Default for TaskOptions {
    fn default() -> Self {
        Self {
            num_cpus: 1.0,
            resources: Vec::new(),
        }
    }
}

impl TaskOptions {
    /// Holds `num_cpus` CPUs while running (0: none).
    pub fn num_cpus(mut self, num_cpus: f64) -> Self {
        self.num_cpus = num_cpus;
        self
    }

    /// Ray's resource request: the CPUs (unless 0), then the other resources.
    fn ray_resources(&self) -> Vec<(String, f64)> {
        let cpu = (self.num_cpus > 0.0).then(|| ("CPU".to_owned(), self.num_cpus));
        cpu.into_iter()
            .chain(self.resources.iter().cloned())
            .collect()
    }

    /// Requires `amount` of resource `name`.
    pub fn resource(mut self, name: &str, amount: f64) -> Self {
        self.resources.push((name.to_string(), amount));
        self
    }
}

/// Which objects of a [`Cluster::wait`] call were ready (indices into its input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitResult {
    pub ready: Vec<usize>,
    pub not_ready: Vec<usize>,
}

/// Options of an actor's creation that Ray's C++ API supports.
#[derive(Debug, Clone, Default)]
pub struct ActorOptions {
    /// A name to find the actor by ([`Cluster::get_actor`]); unique among live actors of
    /// its namespace.
    pub name: Option<String>,
    /// The namespace of its name (`None`: the job's; [`Cluster::get_actor_in`]).
    pub namespace: Option<String>,
    /// How often Ray restarts the actor after its worker process dies (-1: always). A
    /// restarted actor runs its constructor again: its state starts afresh.
    pub max_restarts: i32,
    /// Calls Ray may run at once, on threads of the actor's worker (Ray's
    /// `max_concurrency`; 0 and 1: one at a time, in order). Methods that take the state
    /// `&mut` still run one at a time; `&self` methods of a `Sync` `#[rustyray::actor]`
    /// type run beside each other.
    pub max_concurrency: u32,
    /// Resources the actor holds while it lives, e.g. `("node2", 1.0)`.
    pub resources: Vec<(String, f64)>,
}

impl ActorOptions {
    /// Names the actor.
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_string());
        self
    }

    /// Registers the name in `namespace` instead of the job's.
    pub fn namespace(mut self, namespace: &str) -> Self {
        self.namespace = Some(namespace.to_string());
        self
    }

    /// Lets Ray restart the actor up to `max_restarts` times (-1: without limit).
    pub fn max_restarts(mut self, max_restarts: i32) -> Self {
        self.max_restarts = max_restarts;
        self
    }

    /// Lets Ray run up to `max_concurrency` calls of the actor at once.
    pub fn max_concurrency(mut self, max_concurrency: u32) -> Self {
        self.max_concurrency = max_concurrency;
        self
    }

    /// Requires `amount` of resource `name` for the actor's lifetime.
    pub fn resource(mut self, name: &str, amount: f64) -> Self {
        self.resources.push((name.to_string(), amount));
        self
    }
}

/// An actor on the cluster: its calls run in the actor's worker process, on the state its
/// constructor built; one at a time in the order they were made, unless its
/// [`ActorOptions::max_concurrency`] lets Ray run several at once.
///
/// The handle is Ray's ActorID; copies call the same actor. Dropping it does not end the
/// actor, which lives until [`Cluster::kill`] or the driver's exit.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ActorHandle {
    id: [u8; ACTOR_ID_LEN],
}

impl ActorHandle {
    /// Calls the method `method` of the actor with `args`; its result (of type `R`) is the
    /// returned object. An error of the method fails the object with
    /// [`ClusterError::TaskFailed`]; a dead actor with [`ClusterError::ActorDied`].
    pub fn call<R>(&self, method: &str, args: &[Arg]) -> Result<ObjectRef<R>, ClusterError> {
        let raw_args = raw_args(args);
        let mut id = [0_u8; OBJECT_ID_LEN];
        let mut out = RrBytes::empty();
        // SAFETY: every pointer refers to data borrowed from `self`, `method` or `args`, all
        // alive for the call; `id` has room for an object id.
        let status = unsafe {
            ffi::rr_actor_call(
                self.id.as_ptr(),
                method.as_ptr().cast(),
                method.len(),
                raw_args.as_ptr(),
                raw_args.len(),
                id.as_mut_ptr(),
                &mut out,
            )
        };
        check(status, out)?;
        Ok(ObjectRef::owning(id))
    }

    /// Ray's ActorID (16 bytes).
    pub fn id(&self) -> &[u8; ACTOR_ID_LEN] {
        &self.id
    }

    pub(crate) fn from_id(id: [u8; ACTOR_ID_LEN]) -> Self {
        Self { id }
    }

    /// The ActorID in lowercase hex, as `ray list actors` shows it.
    pub fn hex(&self) -> String {
        self.id.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Debug for ActorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ActorHandle({})", self.hex())
    }
}
