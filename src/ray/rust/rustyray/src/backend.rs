//! Running remote functions somewhere else than in this process: the interface a cluster
//! backend implements (the `rustyray-ray` crate implements it on a Ray cluster).
//!
//! A runtime built with an address ([`RuntimeBuilder::address`](crate::RuntimeBuilder::address),
//! [`Config::ray`](crate::RuntimeBuilder::ray), `RAY_ADDRESS` at [`init`](crate::init), or
//! `#[rustyray::main(address = "auto")]`) connects through a [`Connector`] that a backend
//! crate registers (`rustyray_ray::ray_backend!()`), and then submits every call of a
//! `#[rustyray::remote]` function to that backend: by name ([`cluster_name`]), with its
//! arguments encoded as MessagePack (serde). The worker side finds the function by the same
//! name with [`find_cluster_function`], so functions need no other registration.
//!
//! This crate knows nothing of Ray: a backend is any [`Backend`].

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Result, RustyRayError, TaskCause};
use crate::node::Runtime;
use crate::object::{is_worker_task_thread, on_worker_task, Fetch, ObjectRef};
use crate::options::{ActorSpec, FunctionSpec, TaskOptions};
use crate::registry::RemoteFunctionEntry;
pub use crate::remote::{
    cluster_active, values_stored, Backend, BackendError, BackendErrorKind, EncodedArg,
    LocalObject, RemoteActor, RemoteActorOptions, RemoteObject,
};
pub(crate) use crate::remote::{runtime_connected, store_local_args, StoredCopy};
use crate::task::{next_normal_task, Arg, Submitted};
use ray_common::TaskId;

/// Where and how to connect a backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    /// The cluster's address (for Ray, the GCS's `host:port`).
    pub address: String,
    /// Where the cluster's workers find the program's functions (for Ray, the shared
    /// library built from them); `None`: the backend's default.
    pub code_search_path: Option<String>,
    /// The job's namespace; `None`: an anonymous one, as the backend makes it.
    pub namespace: Option<String>,
}

/// A backend that can be connected by address; registered by a backend crate's macro in
/// the program (e.g. `rustyray_ray::ray_backend!()`).
pub struct Connector {
    /// The backend's name.
    pub name: &'static str,
    /// Connects to the cluster.
    pub connect: fn(&ClusterConfig) -> std::result::Result<Arc<dyn Backend>, BackendError>,
}

inventory::collect!(Connector);

/// The registered connector, if the program has one.
pub fn connector() -> Option<&'static Connector> {
    inventory::iter::<Connector>.into_iter().next()
}

/// Encodes a value as MessagePack (struct fields by name), as every backend object is.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> std::result::Result<Vec<u8>, String> {
    rmp_serde::to_vec_named(value).map_err(|e| format!("cannot encode value: {e}"))
}

/// Decodes a value stored by [`encode`].
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> std::result::Result<T, String> {
    rmp_serde::from_slice(bytes).map_err(|e| format!("cannot decode value: {e}"))
}

/// The name a remote function is submitted under: its path inside its crate (the module
/// path without the crate's name, then the function's name), so that a driver and a
/// worker library built from the same module agree.
pub fn cluster_name(spec: &FunctionSpec) -> String {
    path_in_crate(spec.module_path, spec.name)
}

/// `name` under `module_path` without the crate's name.
fn path_in_crate(module_path: &str, name: &str) -> String {
    match module_path.split_once("::") {
        Some((_crate, rest)) => format!("{rest}::{name}"),
        None => name.to_owned(),
    }
}

/// Decodes a backend object's bytes as a `T`.
#[doc(hidden)]
pub type Decoder<T> = fn(&[u8]) -> std::result::Result<T, String>;

/// Runs a function on its encoded arguments (a MessagePack array): the worker side.
pub type WorkerCall = Box<dyn Fn(&[u8]) -> std::result::Result<Vec<u8>, String> + Send + Sync>;

/// The `#[rustyray::remote]` function submitted as `name` ([`cluster_name`]; a plain
/// function name works when only one function has it), ready to run on encoded
/// arguments; `None` if there is none, `Some(Err(..))` if it cannot run on a cluster.
pub fn find_cluster_function(name: &str) -> Option<std::result::Result<WorkerCall, String>> {
    let entries = || inventory::iter::<RemoteFunctionEntry>.into_iter();
    let entry = entries().find(|e| cluster_name(e.0) == name).or_else(|| {
        let mut plain = entries().filter(|e| e.0.name == name);
        let first = plain.next()?;
        plain.next().is_none().then_some(first)
    })?;
    Some((entry.1)())
}

/// The runtime a call goes to, if it has a backend.
#[doc(hidden)]
#[cold]
#[inline(never)]
pub fn cluster_runtime(rt: Option<&Runtime>) -> Option<Runtime> {
    let rt = match rt {
        Some(rt) => rt.clone(),
        None => crate::runtime().ok()?,
    };
    rt.inner.backend.is_some().then_some(rt)
}

/// A call's resource request in Ray's terms: CPUs and GPUs under Ray's own names, then the
/// custom resources. Zero amounts are left out, as Ray refuses them (a task asking for no
/// CPU gets Ray's default).
pub(crate) fn ray_resources(
    num_cpus: f64,
    num_gpus: f64,
    custom: Vec<(String, f64)>,
) -> Vec<(String, f64)> {
    let mut resources = Vec::with_capacity(custom.len() + 2);
    for (name, amount) in [("CPU", num_cpus), ("GPU", num_gpus)] {
        if amount > 0.0 {
            resources.push((name.to_owned(), amount));
        }
    }
    resources.extend(custom.into_iter().filter(|(_, amount)| *amount > 0.0));
    resources
}

/// A call that cannot run on the cluster: fails at once, never hangs.
#[doc(hidden)]
pub fn cluster_unsupported<R>(spec: &'static FunctionSpec, why: &str) -> Submitted<R> {
    Submitted::new(Err(not_on_cluster(spec.name, why)))
}

/// The error of `what` (a function, method or actor) that cannot run on a cluster.
pub(crate) fn not_on_cluster(what: impl fmt::Display, why: impl fmt::Display) -> RustyRayError {
    RustyRayError::Unsupported(format!("{what} cannot run on a cluster: {why}"))
}

/// What a cluster call of `what` sends and how its result is read: its encoded arguments
/// and its result's decoder, or why it cannot run there.
pub(crate) fn cluster_call_parts<T>(
    what: &dyn fmt::Display,
    args: std::result::Result<Vec<EncodedArg>, String>,
    decode: Option<Decoder<T>>,
) -> Result<(Vec<EncodedArg>, Decoder<T>)> {
    let decode = decode.ok_or_else(|| {
        let result = std::any::type_name::<T>();
        not_on_cluster(
            what,
            format!("its result type `{result}` is not a serde type"),
        )
    })?;
    let args = args.map_err(|why| not_on_cluster(what, why))?;
    Ok((args, decode))
}

/// The backend of `rt`, which a cluster call needs.
pub(crate) fn backend_of(rt: &Runtime) -> Result<Arc<dyn Backend>> {
    rt.inner
        .backend
        .clone()
        .ok_or_else(|| RustyRayError::Cluster("the runtime has no backend".into()))
}

/// How long a fetch waits in one call to the backend before checking for shutdown.
const FETCH_SLICE: Duration = Duration::from_millis(200);

/// Submits a call to `rt`'s backend; its result is fetched into the returned object as
/// soon as it is ready.
#[doc(hidden)]
pub fn submit_cluster<T: Send + Sync + 'static>(
    rt: Runtime,
    spec: &'static FunctionSpec,
    options: Option<&TaskOptions>,
    args: std::result::Result<Vec<EncodedArg>, String>,
    decode: Option<Decoder<T>>,
) -> Submitted<ObjectRef<T>> {
    Submitted::new(submit_cluster_inner(rt, spec, options, args, decode))
}

fn submit_cluster_inner<T: Send + Sync + 'static>(
    rt: Runtime,
    spec: &'static FunctionSpec,
    options: Option<&TaskOptions>,
    args: std::result::Result<Vec<EncodedArg>, String>,
    decode: Option<Decoder<T>>,
) -> Result<ObjectRef<T>> {
    let (args, decode) = cluster_call_parts(&spec.name, args, decode)?;
    let (rt, task_id) = next_normal_task(Some(&rt))?;
    let backend = backend_of(&rt)?;
    let (num_cpus, num_gpus, custom): (f64, f64, Vec<(String, f64)>) = match options {
        Some(o) => (o.num_cpus, o.num_gpus, o.resources.clone()),
        None => (
            spec.num_cpus,
            spec.num_gpus,
            spec.resources
                .iter()
                .map(|(name, amount)| ((*name).to_owned(), *amount))
                .collect(),
        ),
    };
    let resources = ray_resources(num_cpus, num_gpus, custom);
    let args = store_local_args(&*backend, args)?;
    let remote = backend.submit(&cluster_name(spec), args, &resources)?;
    fetch_into_object(&rt, backend, remote, task_id, spec.name, decode)
}

static VALUES_FETCHED: AtomicUsize = AtomicUsize::new(0);

/// How many values of a backend's objects this process has fetched: a value is fetched
/// only for those who read or wait for it, not for an object only passed on to other
/// cluster calls (which get it from the cluster by reference).
pub fn values_fetched() -> usize {
    VALUES_FETCHED.load(Ordering::Relaxed)
}

/// Ray's `wait` on a cluster: when every object of `refs` not complete here is a backend's,
/// the backend reports which are ready, without moving their values into this process
/// (`None` otherwise: some are this process's own). Per ref, whether it is ready; a ref
/// complete here is.
pub(crate) async fn wait_in_backend<T>(
    refs: &[ObjectRef<T>],
    num_returns: usize,
    timeout: Option<Duration>,
) -> Result<Option<Vec<bool>>> {
    let mut ready: Vec<bool> = refs.iter().map(|r| r.cell.is_complete()).collect();
    let complete = ready.iter().filter(|&&r| r).count();
    if complete >= num_returns {
        return Ok(None);
    }
    let pending: Vec<usize> = (0..refs.len()).filter(|&i| !ready[i]).collect();
    let Some(objects) = pending
        .iter()
        .map(|&i| refs[i].cell.remote().cloned())
        .collect::<Option<Vec<_>>>()
    else {
        return Ok(None);
    };
    let rt = crate::context::with_current(None, |ctx| ctx.rt.clone())?;
    let backend = backend_of(&rt)?;
    let blocking = rt.inner.handle.clone();
    let need = num_returns - complete;
    let deadline = timeout.map(|t| std::time::Instant::now() + t);
    // In slices, so a shutdown never waits on the backend.
    let wait = move || -> Result<Vec<bool>> {
        let objects: Vec<&dyn RemoteObject> = objects.iter().map(|o| &**o).collect();
        loop {
            if rt.is_shut_down() {
                return Err(RustyRayError::RuntimeShutDown);
            }
            let left = deadline.map(|d| d.saturating_duration_since(std::time::Instant::now()));
            let slice = left.map_or(FETCH_SLICE, |l| l.min(FETCH_SLICE));
            let flags = backend.wait(&objects, need, Some(slice))?;
            let done = flags.iter().filter(|&&f| f).count() >= need;
            if done || left.is_some_and(|l| l <= slice) {
                return Ok(flags);
            }
        }
    };
    // On a worker's task thread it waits there, where Ray sees the task blocked.
    let flags = if is_worker_task_thread() {
        wait()?
    } else {
        crate::control::blocked(blocking.spawn_blocking(wait))
            .await?
            .map_err(|e| RustyRayError::Cluster(format!("the wait was abandoned: {e}")))??
    };
    for (k, &i) in pending.iter().enumerate() {
        ready[i] = flags.get(k).copied().unwrap_or(false);
    }
    Ok(Some(ready))
}

/// An object of this runtime standing for the backend's object: filled with its value once
/// someone reads or waits for it (a blocking-pool thread waits in slices, so shutdown never
/// waits on the backend), and passed to other cluster calls by reference meanwhile.
pub(crate) fn fetch_into_object<T: Send + Sync + 'static>(
    rt: &Runtime,
    backend: Arc<dyn Backend>,
    remote: Arc<dyn RemoteObject>,
    task_id: TaskId,
    function: &'static str,
    decode: Decoder<T>,
) -> Result<ObjectRef<T>> {
    let id = ray_common::ObjectId::from_index(&task_id, 1)
        .map_err(|e| RustyRayError::InvalidArgument(e.to_string()))?;
    let object = Arc::clone(&remote);
    let fetch: Fetch<T> = Box::new(move || {
        Some(match backend.get(&*object, Some(FETCH_SLICE)) {
            Err(e) if e.kind == BackendErrorKind::Timeout => return None,
            Ok(bytes) => {
                VALUES_FETCHED.fetch_add(1, Ordering::Relaxed);
                decode(&bytes).map_err(RustyRayError::Cluster)
            }
            Err(e) if e.kind == BackendErrorKind::TaskFailed => Err(RustyRayError::TaskFailed {
                task_id,
                function,
                cause: TaskCause::new(e),
            }),
            Err(e) => Err(e.into()),
        })
    });
    let blocking = rt.inner.handle.clone();
    let cell = rt
        .inner
        .store
        .create_remote::<T>(id, remote, fetch, blocking)?;
    Ok(ObjectRef { cell })
}

/// The name an actor type is created under on a cluster: its path inside its crate, as
/// for functions ([`cluster_name`]).
pub fn cluster_actor_name(spec: &ActorSpec) -> String {
    path_in_crate(spec.module_path, spec.name)
}

/// Builds an actor's state from its constructor's encoded arguments: the worker side.
pub type WorkerActorNew =
    Box<dyn Fn(&[u8]) -> std::result::Result<Box<dyn Any + Send>, String> + Send + Sync>;
/// Runs a method on an actor's state and encoded arguments: the worker side.
pub type WorkerMethodCall =
    Box<dyn Fn(&mut (dyn Any + Send), &[u8]) -> std::result::Result<Vec<u8>, String> + Send + Sync>;
/// Runs a `&self` method on a shared actor state, beside other such calls: the worker side
/// of an actor with `max_concurrency` above 1. Only made for `Sync` actor types.
pub type WorkerSharedCall =
    Box<dyn Fn(&(dyn Any + Send), &[u8]) -> std::result::Result<Vec<u8>, String> + Send + Sync>;

/// The constructor of a `#[rustyray::actor]` type, for workers (generated).
#[doc(hidden)]
pub struct ClusterActorEntry {
    pub type_id: fn() -> std::any::TypeId,
    pub new: fn() -> std::result::Result<WorkerActorNew, String>,
}

/// A method of a `#[rustyray::actor]` type, for workers (generated).
#[doc(hidden)]
pub struct ClusterMethodEntry {
    pub type_id: fn() -> std::any::TypeId,
    pub name: &'static str,
    pub call: fn() -> std::result::Result<WorkerMethodCall, String>,
    /// The shared form of a `&self` method of a `Sync` actor type.
    pub shared: fn() -> Option<WorkerSharedCall>,
}

inventory::collect!(ClusterActorEntry);
inventory::collect!(ClusterMethodEntry);

/// A `#[rustyray::actor]` type ready to run in a worker: its constructor and its methods
/// by name (those that cannot run on a cluster give their reason when called).
pub struct WorkerActor {
    /// The name it was created under ([`cluster_actor_name`]).
    pub name: String,
    /// Its constructor.
    pub new: WorkerActorNew,
    /// Its methods.
    pub methods: Vec<WorkerMethod>,
}

/// A method of a [`WorkerActor`].
pub struct WorkerMethod {
    /// Its name.
    pub name: &'static str,
    /// The call, with the state to itself; `Err`: why it cannot run on a cluster.
    pub call: std::result::Result<WorkerMethodCall, String>,
    /// For a `&self` method of a `Sync` type, the call that shares the state with other
    /// such calls.
    pub shared: Option<WorkerSharedCall>,
}

/// The `#[rustyray::actor]` type created as `name` ([`cluster_actor_name`]; a plain type
/// name works when only one type has it); `None` if there is none, `Some(Err(..))` if it
/// cannot run on a cluster.
pub fn find_cluster_actor(name: &str) -> Option<std::result::Result<WorkerActor, String>> {
    let actors = || inventory::iter::<crate::registry::ActorEntry>.into_iter();
    let entry = actors()
        .find(|e| cluster_actor_name(e.spec) == name)
        .or_else(|| {
            let mut plain = actors().filter(|e| e.spec.name == name);
            let first = plain.next()?;
            plain.next().is_none().then_some(first)
        })?;
    let type_id = (entry.type_id)();
    let ctor = inventory::iter::<ClusterActorEntry>
        .into_iter()
        .find(|c| (c.type_id)() == type_id)?;
    let new = match (ctor.new)() {
        Ok(new) => new,
        Err(why) => return Some(Err(why)),
    };
    let methods = inventory::iter::<ClusterMethodEntry>
        .into_iter()
        .filter(|m| (m.type_id)() == type_id)
        .map(|m| WorkerMethod {
            name: m.name,
            call: (m.call)(),
            shared: (m.shared)(),
        })
        .collect();
    Some(Ok(WorkerActor {
        name: cluster_actor_name(entry.spec),
        new,
        methods,
    }))
}

/// The probe of an actor's state `S`, a constructor's or method's argument tuple `A` and a
/// method's result `R`, for the worker side (serde types or not, as [`SerdeProbe`]).
#[doc(hidden)]
pub struct ActorProbe<S, A, R>(PhantomData<ProbeOf<S, A, R>>);

/// What an [`ActorProbe`] stands for, without owning any of it.
type ProbeOf<S, A, R> = fn() -> (S, A, R);

impl<S, A, R> ActorProbe<S, A, R> {
    #[doc(hidden)]
    pub const fn new() -> Self {
        ActorProbe(PhantomData)
    }
}

impl<S, A, R> Default for ActorProbe<S, A, R> {
    fn default() -> Self {
        Self::new()
    }
}

#[doc(hidden)]
pub trait ActorViaSerde<S, A, R> {
    fn actor_new(
        &self,
        body: fn(A) -> std::result::Result<S, TaskCause>,
    ) -> std::result::Result<WorkerActorNew, String>;
    fn method(
        &self,
        body: fn(&mut S, A) -> std::result::Result<R, TaskCause>,
    ) -> std::result::Result<WorkerMethodCall, String>;
}

impl<S, A, R> ActorViaSerde<S, A, R> for ActorProbe<S, A, R>
where
    S: Send + 'static,
    A: DeserializeOwned + 'static,
    R: Serialize + 'static,
{
    fn actor_new(
        &self,
        body: fn(A) -> std::result::Result<S, TaskCause>,
    ) -> std::result::Result<WorkerActorNew, String> {
        Ok(Box::new(move |bytes: &[u8]| {
            let args = decode_args::<A>(bytes)?;
            let state = body(args).map_err(|cause| cause.to_string())?;
            Ok(Box::new(state) as Box<dyn Any + Send>)
        }))
    }

    fn method(
        &self,
        body: fn(&mut S, A) -> std::result::Result<R, TaskCause>,
    ) -> std::result::Result<WorkerMethodCall, String> {
        Ok(Box::new(
            move |state: &mut (dyn Any + Send), bytes: &[u8]| {
                let state = state.downcast_mut::<S>().ok_or_else(not_the_state::<S>)?;
                call_encoded(bytes, |args| body(state, args))
            },
        ))
    }
}

fn not_the_state<S>() -> String {
    format!("the actor's state is not a {}", std::any::type_name::<S>())
}

/// A method's worker side past the state: its arguments decoded, `call`ed, the result
/// encoded, the user's error as its text.
fn call_encoded<A: DeserializeOwned, R: Serialize>(
    bytes: &[u8],
    call: impl FnOnce(A) -> std::result::Result<R, TaskCause>,
) -> std::result::Result<Vec<u8>, String> {
    let args = decode_args::<A>(bytes)?;
    let value = call(args).map_err(|cause| cause.to_string())?;
    encode(&value)
}

#[doc(hidden)]
pub trait ActorViaNoSerde<S, A, R> {
    fn actor_new(
        &self,
        _body: fn(A) -> std::result::Result<S, TaskCause>,
    ) -> std::result::Result<WorkerActorNew, String> {
        Err(format!(
            "its constructor's parameters `{}` are not serde types",
            std::any::type_name::<A>()
        ))
    }
    fn method(
        &self,
        _body: fn(&mut S, A) -> std::result::Result<R, TaskCause>,
    ) -> std::result::Result<WorkerMethodCall, String> {
        Err(format!(
            "its parameters `{}` or result `{}` are not serde types",
            std::any::type_name::<A>(),
            std::any::type_name::<R>()
        ))
    }
}

impl<S, A, R> ActorViaNoSerde<S, A, R> for &ActorProbe<S, A, R> {}

/// Chosen for a `&self` method of a `Sync` actor type with serde parameters and result.
#[doc(hidden)]
pub trait SharedViaSync<S, A, R> {
    fn shared_method(
        &self,
        body: fn(&S, A) -> std::result::Result<R, TaskCause>,
    ) -> Option<WorkerSharedCall>;
}

impl<S, A, R> SharedViaSync<S, A, R> for ActorProbe<S, A, R>
where
    S: Send + Sync + 'static,
    A: DeserializeOwned + 'static,
    R: Serialize + 'static,
{
    fn shared_method(
        &self,
        body: fn(&S, A) -> std::result::Result<R, TaskCause>,
    ) -> Option<WorkerSharedCall> {
        Some(Box::new(move |state: &(dyn Any + Send), bytes: &[u8]| {
            let state = state.downcast_ref::<S>().ok_or_else(not_the_state::<S>)?;
            call_encoded(bytes, |args| body(state, args))
        }))
    }
}

/// Chosen otherwise: the method's calls take the state one at a time.
#[doc(hidden)]
pub trait SharedViaNotSync<S, A, R> {
    fn shared_method(
        &self,
        _body: fn(&S, A) -> std::result::Result<R, TaskCause>,
    ) -> Option<WorkerSharedCall> {
        None
    }
}

impl<S, A, R> SharedViaNotSync<S, A, R> for &ActorProbe<S, A, R> {}

/// Picks, by method resolution on a concrete type, the serde implementation of a
/// parameter or result ([`ViaSerde`]) or the one that reports it unsupported
/// ([`ViaNoSerde`]), so `#[rustyray::remote]` needs no serde bound on its types.
#[doc(hidden)]
pub struct SerdeProbe<T>(PhantomData<fn() -> T>);

impl<T> SerdeProbe<T> {
    #[doc(hidden)]
    pub const fn new() -> Self {
        SerdeProbe(PhantomData)
    }
}

impl<T> Default for SerdeProbe<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The probe of a function's argument tuple and result, for the worker side.
#[doc(hidden)]
pub struct WorkerProbe<A, R>(PhantomData<fn() -> (A, R)>);

impl<A, R> WorkerProbe<A, R> {
    #[doc(hidden)]
    pub const fn new() -> Self {
        WorkerProbe(PhantomData)
    }
}

impl<A, R> Default for WorkerProbe<A, R> {
    fn default() -> Self {
        Self::new()
    }
}

#[doc(hidden)]
pub trait ViaSerde<T> {
    fn encode_arg(&self, arg: Arg<T>) -> std::result::Result<EncodedArg, String>;
    fn decoder(&self) -> Option<Decoder<T>>;
}

impl<T: Serialize + DeserializeOwned + Send + 'static> ViaSerde<T> for SerdeProbe<T> {
    fn encode_arg(&self, arg: Arg<T>) -> std::result::Result<EncodedArg, String> {
        arg.encode_for_cluster(|v| encode(v))
    }

    fn decoder(&self) -> Option<Decoder<T>> {
        Some(decode::<T>)
    }
}

#[doc(hidden)]
pub trait ViaNoSerde<T> {
    fn encode_arg(&self, _arg: Arg<T>) -> std::result::Result<EncodedArg, String> {
        Err(format!(
            "its parameter type `{}` is not a serde type (Serialize + DeserializeOwned)",
            std::any::type_name::<T>()
        ))
    }

    fn decoder(&self) -> Option<Decoder<T>> {
        None
    }
}

impl<T> ViaNoSerde<T> for &SerdeProbe<T> {}

#[doc(hidden)]
pub trait WorkerViaSerde<A, R> {
    fn worker(
        &self,
        body: fn(A) -> std::result::Result<R, TaskCause>,
    ) -> std::result::Result<WorkerCall, String>;
}

impl<A: DeserializeOwned + 'static, R: Serialize + 'static> WorkerViaSerde<A, R>
    for WorkerProbe<A, R>
{
    fn worker(
        &self,
        body: fn(A) -> std::result::Result<R, TaskCause>,
    ) -> std::result::Result<WorkerCall, String> {
        Ok(Box::new(move |bytes: &[u8]| {
            let args = decode_args::<A>(bytes)?;
            let value = body(args).map_err(|cause| cause.to_string())?;
            encode(&value)
        }))
    }
}

#[doc(hidden)]
pub trait WorkerViaNoSerde<A, R> {
    fn worker(
        &self,
        _body: fn(A) -> std::result::Result<R, TaskCause>,
    ) -> std::result::Result<WorkerCall, String> {
        Err(format!(
            "its parameters `{}` or result `{}` are not serde types",
            std::any::type_name::<A>(),
            std::any::type_name::<R>()
        ))
    }
}

impl<A, R> WorkerViaNoSerde<A, R> for &WorkerProbe<A, R> {}

/// Runs `task`, the body of a task (or actor call) a cluster worker took, on this thread:
/// a `get` in it waits in the backend's own call on this thread (so the backend knows the
/// task is blocked: Ray lends its CPU meanwhile) instead of through a fetcher thread.
pub fn run_worker_task<R>(task: impl FnOnce() -> R) -> R {
    on_worker_task(task)
}

/// Runs an async remote function's body to its end on the worker thread that took the task,
/// on a current-thread tokio runtime of that thread (timers and I/O on, kept for its later
/// tasks): the body stays on the task's thread, where a `get` tells the backend the task is
/// blocked.
#[doc(hidden)]
pub fn block_on_worker<R>(
    body: impl std::future::Future<Output = std::result::Result<R, TaskCause>>,
) -> std::result::Result<R, TaskCause> {
    thread_local! {
        static WORKER_RUNTIME: std::cell::OnceCell<tokio::runtime::Runtime> =
            const { std::cell::OnceCell::new() };
    }
    WORKER_RUNTIME.with(|cell| {
        if cell.get().is_none() {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| TaskCause::new(format!("cannot start the worker's runtime: {e}")))?;
            let _ = cell.set(rt);
        }
        match cell.get() {
            Some(rt) => rt.block_on(body),
            None => Err(TaskCause::new("the worker's runtime is missing")),
        }
    })
}

/// Decodes a MessagePack argument array as the tuple `A`; zero arguments arrive as an
/// empty array, which serde's `()` would not accept.
fn decode_args<A: DeserializeOwned>(bytes: &[u8]) -> std::result::Result<A, String> {
    if std::mem::size_of::<A>() == 0 && std::any::type_name::<A>() == "()" {
        let empty: Vec<serde::de::IgnoredAny> = decode(bytes)?;
        if !empty.is_empty() {
            return Err(format!("expected no arguments, got {}", empty.len()));
        }
        return decode(&encode(&())?);
    }
    decode(bytes).map_err(|e| format!("arguments: {e}"))
}
