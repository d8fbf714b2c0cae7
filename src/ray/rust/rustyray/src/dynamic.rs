//! Remote functions and actors defined at run time, without the macros: the API of
//! language bindings (the Python package is built on it).
//!
//! Every value has one type `T` (for a binding: a handle to a serialized object), a call's
//! arguments are a `Vec` of [`DynArg`]s (a value, or a reference resolved before the call
//! runs), and bodies are closures. Bodies run on the runtime's blocking pool, inside the
//! task's context: `rustyray::put`, nested submissions and waits behave as in a task
//! written with `#[rustyray::remote]`, and a body waiting on other objects gives its CPU
//! back meanwhile.
//!
//! ```
//! use rustyray::dynamic::{self, DynArg};
//! use rustyray::{TaskCause, TaskOptions};
//!
//! # fn main() -> rustyray::Result<()> {
//! let rt = rustyray::Runtime::builder().num_cpus(2.0).build()?;
//! let sum = |v: Vec<i64>| -> Result<Vec<i64>, TaskCause> { Ok(vec![v.iter().sum::<i64>()]) };
//! let options = TaskOptions::default();
//! let a = dynamic::submit(Some(&rt), "sum", &options, 1, vec![DynArg::Value(1), DynArg::Value(2)], sum)?;
//! let b = dynamic::submit(Some(&rt), "sum", &options, 1, vec![DynArg::Ref(a[0].clone()), DynArg::Value(10)], sum)?;
//! assert_eq!(b[0].get_blocking()?, 13);
//!
//! let counter = dynamic::create_actor(Some(&rt), &Default::default(), vec![DynArg::Value(5)], |v: Vec<i64>| {
//!     Ok(std::sync::Arc::new(std::sync::atomic::AtomicI64::new(v[0])))
//! })?;
//! let r = dynamic::call(&counter, "incr", vec![DynArg::Value(2)], |state: &std::sync::Arc<std::sync::atomic::AtomicI64>, v: Vec<i64>| {
//!     Ok(state.fetch_add(v[0], std::sync::atomic::Ordering::SeqCst) + v[0])
//! })?;
//! assert_eq!(r.get_blocking()?, 7);
//! rt.shutdown();
//! # Ok(())
//! # }
//! ```

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, LazyLock};

use futures::future::BoxFuture;
use parking_lot::Mutex;
use ray_common::{ActorId, ObjectId, TaskId};

use crate::actor::{self, Actor, ActorHandle, Constructor, MethodBody, TypedActorHandle};
use crate::context::{self, TaskContext};
use crate::error::{caught, panic_message, Result, RustyRayError, TaskCause};
use crate::generator::{current_yielder, ObjectRefGenerator, Streaming, Yielder};
use crate::node::Runtime;
use crate::object::{Abandon, ObjectRef, ObjectWriter};
use crate::options::{ActorOptions, ActorSpec, TaskOptions};
use crate::pool::ThreadPool;
use crate::resources::Grant;
use crate::returns::{NewReturns, One, Returns};
use crate::task::{self, control_for, Arg, Attempts, IntoArg, ResolveArgs};

/// An argument of a dynamic call: a value, or a reference whose value is passed once the
/// object is ready (a failed object fails the call with the object's error).
pub enum DynArg<T> {
    /// Passed as is.
    Value(T),
    /// Resolved before the call runs.
    Ref(ObjectRef<T>),
}

impl<T: Clone + Send + Sync + 'static> DynArg<T> {
    fn into_arg(self) -> Arg<T> {
        match self {
            DynArg::Value(v) => Arg::value(v),
            DynArg::Ref(r) => r.into_arg(),
        }
    }
}

fn to_args<T: Clone + Send + Sync + 'static>(args: Vec<DynArg<T>>) -> Vec<Arg<T>> {
    args.into_iter().map(DynArg::into_arg).collect()
}

/// A call's arguments with a piece of code travelling along (the body of the call).
struct WithBody<B, T> {
    body: B,
    args: Vec<Arg<T>>,
}

fn all_ready<T>(args: &[Arg<T>]) -> bool {
    args.iter().all(Arg::is_ready)
}

fn take_all<T>(args: Vec<Arg<T>>) -> Result<Vec<T>> {
    args.into_iter().map(Arg::take_ready).collect()
}

async fn resolve_all<T>(args: Vec<Arg<T>>) -> Result<Vec<T>> {
    let mut values = Vec::with_capacity(args.len());
    for a in args {
        values.push(a.resolve().await?);
    }
    Ok(values)
}

impl<B: Send + 'static, T: Send + 'static> ResolveArgs for WithBody<B, T> {
    type Output = (B, Vec<T>);

    fn ready(&self) -> bool {
        all_ready(&self.args)
    }

    fn take_ready(self) -> Result<Self::Output> {
        Ok((self.body, take_all(self.args)?))
    }

    #[allow(clippy::manual_async_fn)]
    fn resolve(self) -> impl Future<Output = Result<Self::Output>> + Send {
        async move { Ok((self.body, resolve_all(self.args).await?)) }
    }
}

/// A `&'static` copy of `name`, made once per distinct name (task and method names of
/// errors are static strings).
pub fn intern(name: &str) -> &'static str {
    static NAMES: LazyLock<Mutex<HashSet<&'static str>>> =
        LazyLock::new(|| Mutex::new(HashSet::new()));
    let mut names = NAMES.lock();
    if let Some(known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// Runs `f` on the current thread as the task `parent` (when there is one).
fn in_task<R>(parent: Parent, f: impl FnOnce() -> R) -> R {
    match parent {
        Some((rt, task_id, Some(actor))) => TaskContext::task(rt, task_id, None)
            .of_actor(actor)
            .sync_scope(f),
        Some((rt, task_id, None)) => TaskContext::task(rt, task_id, None).sync_scope(f),
        None => f(),
    }
}

/// The running task, its runtime and actor: what a body moved to another thread runs as.
type Parent = Option<(Runtime, TaskId, Option<ActorId>)>;

fn complete_all<R>(
    writers: &[ObjectWriter<R>],
    result: Result<Vec<R>>,
    task_id: TaskId,
    function: &'static str,
) {
    match result {
        Ok(values) if values.len() == writers.len() => {
            for (w, v) in writers.iter().zip(values) {
                w.complete(Ok(v));
            }
        }
        Ok(values) => {
            let e = RustyRayError::TaskFailed {
                task_id,
                function,
                cause: TaskCause::new(format!(
                    "the task returned {} values, {} were expected",
                    values.len(),
                    writers.len()
                )),
            };
            for w in writers {
                w.complete(Err(e.clone()));
            }
        }
        Err(e) => {
            for w in writers {
                w.complete(Err(e.clone()));
            }
        }
    }
}

/// Submits a call of `body` named `function` with `options`, returning `num_returns`
/// references (at `ObjectId::from_index(task, 1..=num_returns)`).
///
/// The body receives the argument values in order and returns exactly `num_returns`
/// values (other counts fail the task); an `Err` fails every returned object with
/// `RustyRayError::TaskFailed`. The task holds `options`' resources while it runs and is
/// retried as `options` says. `rt` is the runtime to use when not called from a task
/// (default: the global runtime).
pub fn submit<T, R, F>(
    rt: Option<&Runtime>,
    function: &str,
    options: &TaskOptions,
    num_returns: u32,
    args: Vec<DynArg<T>>,
    body: F,
) -> Result<Vec<ObjectRef<R>>>
where
    T: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
    F: Fn(Vec<T>) -> std::result::Result<Vec<R>, TaskCause> + Send + 'static,
{
    if num_returns == 0 {
        return Err(RustyRayError::InvalidArgument(
            "num_returns must be at least 1".to_owned(),
        ));
    }
    let (rt, task_id) = task::next_normal_task(rt)?;
    let demand = options.demand(&rt.inner.resources)?;
    let mut refs = Vec::with_capacity(num_returns as usize);
    for index in 1..=num_returns {
        let id = ObjectId::from_index(&task_id, index)
            .map_err(|e| RustyRayError::InvalidArgument(e.to_string()))?;
        refs.push(ObjectRef {
            cell: rt.inner.store.create::<R>(id)?,
        });
    }
    let writers: Vec<ObjectWriter<R>> = refs
        .iter()
        .map(|r| ObjectWriter::new(r.cell.clone(), Abandon::Task(task_id)))
        .collect();
    let cells: Vec<_> = refs.iter().map(|r| &r.cell).collect();
    let control = control_for(task_id, &cells);
    let abort = control.clone();
    let function = intern(function);
    let attempts = Attempts {
        task_id,
        function,
        retries: options.max_retries,
        retry_on: options.retry_exceptions.clone(),
    };
    let args = to_args(args);
    let run = move |rt: Runtime, grant: Grant, values: Vec<T>, writers: Vec<ObjectWriter<R>>| {
        if rt.is_shut_down() || writers.iter().any(ObjectWriter::is_complete) {
            return;
        }
        let Some(running) = control.start(grant) else {
            return;
        };
        let ctx =
            TaskContext::task(rt, task_id, Some(control.clone())).with_num_returns(num_returns);
        let result = ctx.sync_scope(|| attempts.run_sync(values, &body, |v| Some(v.clone())));
        drop(running);
        complete_all(&writers, result, task_id, function);
    };
    let handle = rt.inner.handle.clone();
    if all_ready(&args) {
        if let Some(grant) = rt.inner.resources.try_acquire(&demand) {
            match take_all(args) {
                Ok(values) => {
                    let join = handle.spawn_blocking(move || run(rt, grant, values, writers));
                    abort.set_abort(join.abort_handle());
                }
                Err(e) => complete_all(&writers, Err(e), task_id, function),
            }
            return Ok(refs);
        }
    }
    let blocking = handle.clone();
    let task = async move {
        if writers.iter().any(ObjectWriter::is_complete) {
            return;
        }
        let values = match resolve_all(args).await {
            Ok(v) => v,
            Err(e) => return complete_all(&writers, Err(e), task_id, function),
        };
        let grant = rt.inner.resources.acquire(demand).await;
        let _ = blocking
            .spawn_blocking(move || run(rt, grant, values, writers))
            .await;
    };
    let join = handle.spawn(task);
    abort.set_abort(join.abort_handle());
    Ok(refs)
}

/// Submits a streaming call of `body` named `function` (Ray's `num_returns="streaming"`):
/// the body sends its items through the [`Yielder`] it gets, each becoming an object at
/// once, and the caller reads their references from the returned generator while the
/// call runs. An `Err` of the body reaches the reader after the items sent before it.
/// Streaming calls are not retried. Runs on the blocking pool, holding `options`'
/// resources, as [`submit`] does.
pub fn submit_streaming<T, R, F>(
    rt: Option<&Runtime>,
    function: &str,
    options: &TaskOptions,
    args: Vec<DynArg<T>>,
    body: F,
) -> Result<ObjectRefGenerator<R>>
where
    T: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
    F: FnOnce(Vec<T>, Yielder<R>) -> std::result::Result<(), TaskCause> + Send + 'static,
{
    let (rt, task_id) = task::next_normal_task(rt)?;
    let demand = options.demand(&rt.inner.resources)?;
    let mut new = NewReturns::of_normal_task(&rt.inner.store, task_id);
    let (writers, reader) = Streaming::<R>::create(&mut new)?;
    let control = new.into_control();
    let abort = control.clone();
    let attempts = Attempts {
        task_id,
        function: intern(function),
        retries: 0,
        retry_on: options.retry_exceptions.clone(),
    };
    let args = to_args(args);
    let failing = Arc::clone(&writers);
    let run = move |rt: Runtime, grant: Grant, values: Vec<T>| {
        if rt.is_shut_down() || Streaming::<R>::is_complete(&writers) {
            return;
        }
        let Some(running) = control.start(grant) else {
            return;
        };
        let ctx = TaskContext::task(rt, task_id, Some(control))
            .with_num_returns(Streaming::<R>::COUNT)
            .with_stream(Streaming::<R>::stream(&writers));
        // The body runs once (no retries), so it may be a one-shot closure.
        let body = Mutex::new(Some(body));
        let result = ctx.sync_scope(|| {
            attempts.run_sync(
                values,
                |values| match body.lock().take() {
                    Some(body) => body(values, current_yielder::<R>().map_err(TaskCause::new)?),
                    None => Err(TaskCause::new("a streaming call runs once")),
                },
                |_| None,
            )
        });
        drop(running);
        Streaming::<R>::complete(&writers, result);
    };
    let handle = rt.inner.handle.clone();
    let blocking = handle.clone();
    let task = async move {
        let values = match resolve_all(args).await {
            Ok(v) => v,
            Err(e) => return Streaming::<R>::complete(&failing, Err(e)),
        };
        let grant = rt.inner.resources.acquire(demand).await;
        let _ = blocking
            .spawn_blocking(move || run(rt, grant, values))
            .await;
    };
    let join = handle.spawn(task);
    abort.set_abort(join.abort_handle());
    Ok(reader)
}

/// The actor type behind every dynamic actor: the state its constructor built, or the
/// constructor's error, which every call then fails with.
pub struct DynamicActor<S> {
    state: std::result::Result<S, TaskCause>,
    /// Where its synchronous code runs (see [`create_pinned_actor`]).
    threads: Threads,
}

/// Where a dynamic actor's synchronous code runs.
#[derive(Clone)]
enum Threads {
    /// The runtime's blocking pool.
    Shared,
    /// The thread its mailbox runs on, its own.
    Own,
    /// Pools of its own: the default group's of `max_concurrency` threads, then one per
    /// concurrency group, of its limit.
    Pools(Arc<[ThreadPool]>),
}

impl<S> DynamicActor<S> {
    /// Runs synchronous code of the actor where it runs: the blocking pool, the actor's
    /// own thread (right here: the mailbox runs there) or its own pool.
    async fn run_sync<R: Send + 'static>(
        &self,
        f: impl FnOnce() -> std::result::Result<R, TaskCause> + Send + 'static,
    ) -> std::result::Result<R, TaskCause> {
        match &self.threads {
            Threads::Own => caught(f),
            Threads::Pools(pools) => {
                let group = context::current_group() as usize;
                match pools.get(group).or_else(|| pools.first()) {
                    Some(pool) => pool.run(f).await,
                    None => Err(TaskCause::new("the actor has no threads")),
                }
            }
            Threads::Shared => tokio::task::spawn_blocking(f)
                .await
                .unwrap_or_else(|e| Err(join_failure(e))),
        }
    }
}

impl<S: Send + 'static> Actor for DynamicActor<S> {
    fn spec() -> &'static ActorSpec {
        static SPEC: ActorSpec = ActorSpec {
            name: "DynamicActor",
            module_path: module_path!(),
            num_cpus: 0.0,
            num_gpus: 0.0,
            resources: &[],
            max_restarts: 0,
            max_concurrency: 1,
            max_task_retries: 0,
            concurrency_groups: &[],
        };
        &SPEC
    }
}

/// A handle to a dynamic actor with state `S`; dereferences to [`ActorHandle`] (`id`,
/// `kill`, `kill_and_restart`, `is_alive`, ...).
pub struct DynActorHandle<S> {
    handle: ActorHandle<DynamicActor<S>>,
}

impl<S> Clone for DynActorHandle<S> {
    fn clone(&self) -> Self {
        DynActorHandle {
            handle: self.handle.clone(),
        }
    }
}

impl<S> std::fmt::Debug for DynActorHandle<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.handle, f)
    }
}

impl<S> std::ops::Deref for DynActorHandle<S> {
    type Target = ActorHandle<DynamicActor<S>>;

    fn deref(&self) -> &Self::Target {
        &self.handle
    }
}

impl<S: Send + 'static> TypedActorHandle for DynActorHandle<S> {
    type Actor = DynamicActor<S>;

    fn from_handle(handle: ActorHandle<DynamicActor<S>>) -> Self {
        DynActorHandle { handle }
    }
}

type CtorFn<S, T> = dyn Fn(Vec<T>) -> std::result::Result<S, TaskCause> + Send + Sync;

/// What builds a dynamic actor: its constructor and where its code is to run.
struct Ctor<S, T> {
    f: Arc<CtorFn<S, T>>,
    threads: Threads,
}

impl<S, T> Clone for Ctor<S, T> {
    fn clone(&self) -> Self {
        Ctor {
            f: Arc::clone(&self.f),
            threads: self.threads.clone(),
        }
    }
}

type MethodFn<S, T, R> = Box<dyn FnOnce(&S, Vec<T>) -> std::result::Result<R, TaskCause> + Send>;

/// Runs a method call's body on the actor (`run_method` or `run_method_inline`).
type MethodRunner<S, T, R> = for<'a> fn(
    &'a DynamicActor<S>,
    (MethodFn<S, T, R>, Vec<T>),
) -> BoxFuture<'a, std::result::Result<R, TaskCause>>;

/// Fails a call that would start after its runtime shut down.
fn check_running(parent: &Parent) -> std::result::Result<(), TaskCause> {
    match parent {
        Some((rt, _, _)) if rt.is_shut_down() => {
            Err(TaskCause::new(RustyRayError::RuntimeShutDown))
        }
        _ => Ok(()),
    }
}

fn join_failure(e: tokio::task::JoinError) -> TaskCause {
    if e.is_panic() {
        TaskCause::new(format!("panicked: {}", panic_message(&*e.into_panic())))
    } else {
        TaskCause::new("the call was cancelled")
    }
}

fn construct<S, T>((ctor, values): (Ctor<S, T>, Vec<T>)) -> BoxFuture<'static, DynamicActor<S>>
where
    S: Send + 'static,
    T: Send + 'static,
{
    Box::pin(async move {
        let parent = context::current_task_of_actor();
        let Ctor { f, threads } = ctor;
        let built = tokio::task::spawn_blocking(move || in_task(parent, || f(values))).await;
        DynamicActor {
            state: built.unwrap_or_else(|e| Err(join_failure(e))),
            threads,
        }
    })
}

fn construct_pinned<S, T>(
    (ctor, values): (Ctor<S, T>, Vec<T>),
) -> BoxFuture<'static, DynamicActor<S>>
where
    S: Send + 'static,
    T: Send + 'static,
{
    // Already on the actor's own thread, inside its creation task's context.
    Box::pin(async move {
        DynamicActor {
            state: caught(|| (ctor.f)(values)),
            threads: Threads::Own,
        }
    })
}

fn keep_ctor_args<S, T: Clone>(args: &(Ctor<S, T>, Vec<T>)) -> Option<(Ctor<S, T>, Vec<T>)> {
    Some((args.0.clone(), args.1.clone()))
}

/// Creates an actor whose state `constructor` builds from the arguments, on the blocking
/// pool, before any call runs (again at each restart, with the same arguments).
///
/// The options are those of the macros' actors: resources held for the actor's life,
/// `max_concurrency` (calls running at once; they start in submission order),
/// `max_restarts` (for `kill_and_restart`), `name` (see [`get_actor`]) and
/// `get_if_exists`. A constructor error does not kill the actor: every call fails with
/// that error as a `RustyRayError::TaskFailed`.
pub fn create_actor<S, T, C>(
    rt: Option<&Runtime>,
    options: &ActorOptions,
    args: Vec<DynArg<T>>,
    constructor: C,
) -> Result<DynActorHandle<S>>
where
    S: Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    C: Fn(Vec<T>) -> std::result::Result<S, TaskCause> + Send + Sync + 'static,
{
    create(rt, options, args, Arc::new(constructor), false)
}

/// [`create_actor`] for an actor whose code runs on threads of its own, as in a Ray
/// worker, so thread-local state lasts between calls:
/// * a sequential actor (`max_concurrency` 1) has one thread, where its mailbox runs:
///   its constructor and every call (through [`call`], [`call_inline`] or
///   [`call_streaming`]) run there, in order;
/// * a threaded actor (`max_concurrency` n > 1) runs its calls on a pool of up to n
///   threads of its own, as Ray's threaded actors do, and with concurrency groups each
///   group has a pool of its own, of the group's limit (as in Ray).
///
/// The threads end with the actor (a restart keeps them).
pub fn create_pinned_actor<S, T, C>(
    rt: Option<&Runtime>,
    options: &ActorOptions,
    args: Vec<DynArg<T>>,
    constructor: C,
) -> Result<DynActorHandle<S>>
where
    S: Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    C: Fn(Vec<T>) -> std::result::Result<S, TaskCause> + Send + Sync + 'static,
{
    create(rt, options, args, Arc::new(constructor), true)
}

fn create<S, T>(
    rt: Option<&Runtime>,
    options: &ActorOptions,
    args: Vec<DynArg<T>>,
    f: Arc<CtorFn<S, T>>,
    pinned: bool,
) -> Result<DynActorHandle<S>>
where
    S: Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    let sequential = options.max_concurrency == 1 && options.concurrency_groups.is_empty();
    let threads = if pinned && !sequential {
        let limits = std::iter::once(options.max_concurrency)
            .chain(options.concurrency_groups.iter().map(|(_, max)| *max));
        Threads::Pools(limits.map(ThreadPool::new).collect())
    } else {
        Threads::Shared
    };
    let args = WithBody {
        body: Ctor { f, threads },
        args: to_args(args),
    };
    let handle = if pinned && sequential {
        actor::create_pinned_actor(
            rt,
            options,
            args,
            Constructor::Async(construct_pinned::<S, T>),
            keep_ctor_args::<S, T>,
        )?
    } else {
        actor::create_actor(
            rt,
            Some(options),
            args,
            Constructor::Async(construct::<S, T>),
            keep_ctor_args::<S, T>,
            actor::concurrent_runner::<DynamicActor<S>>(),
        )
        .into_result()?
    };
    Ok(DynActorHandle { handle })
}

fn run_method<'a, S, T, R>(
    actor: &'a DynamicActor<S>,
    (body, values): (MethodFn<S, T, R>, Vec<T>),
) -> BoxFuture<'a, std::result::Result<R, TaskCause>>
where
    S: Clone + Send + Sync + 'static,
    T: Send + 'static,
    R: Send + 'static,
{
    let state = actor.state.clone();
    Box::pin(async move {
        let state = state?;
        let parent = context::current_task_of_actor();
        check_running(&parent)?;
        actor
            .run_sync(move || in_task(parent, || body(&state, values)))
            .await
    })
}

/// Calls `body` on the actor's state with the resolved arguments, on the blocking pool;
/// `method` names the call in errors. Calls start in submission order; with
/// `max_concurrency = 1` each runs alone.
pub fn call<S, T, R, F>(
    actor: &DynActorHandle<S>,
    method: &str,
    args: Vec<DynArg<T>>,
    body: F,
) -> Result<ObjectRef<R>>
where
    S: Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
    F: FnOnce(&S, Vec<T>) -> std::result::Result<R, TaskCause> + Send + 'static,
{
    submit_method(actor, method, args, Box::new(body), run_method::<S, T, R>)
}

/// Submits one method call whose body `runner` runs (on the blocking pool or inline).
fn submit_method<S, T, R>(
    actor: &DynActorHandle<S>,
    method: &str,
    args: Vec<DynArg<T>>,
    body: MethodFn<S, T, R>,
    runner: MethodRunner<S, T, R>,
) -> Result<ObjectRef<R>>
where
    S: Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
{
    actor::call_actor::<_, _, One<R>>(
        &actor.handle,
        intern(method),
        WithBody {
            body,
            args: to_args(args),
        },
        MethodBody::AsyncRef(runner),
        // The body is a one-shot closure: dynamic calls are not retried after restarts.
        |_| None,
        None,
    )
    .into_result()
}

fn run_method_inline<'a, S, T, R>(
    actor: &'a DynamicActor<S>,
    (body, values): (MethodFn<S, T, R>, Vec<T>),
) -> BoxFuture<'a, std::result::Result<R, TaskCause>>
where
    S: Clone + Send + Sync + 'static,
    T: Send + 'static,
    R: Send + 'static,
{
    Box::pin(async move {
        let state = actor.state.as_ref().map_err(Clone::clone)?;
        check_running(&context::current_task_of_actor())?;
        body(state, values)
    })
}

/// [`call`], with the body run on the actor's own task (a runtime worker thread) instead
/// of the blocking pool, as the synchronous methods of `#[rustyray::actor]` types run:
/// one thread hand-off less per call. For bodies that return quickly; one that waits
/// for long should do it inside `tokio::task::block_in_place`.
pub fn call_inline<S, T, R, F>(
    actor: &DynActorHandle<S>,
    method: &str,
    args: Vec<DynArg<T>>,
    body: F,
) -> Result<ObjectRef<R>>
where
    S: Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
    F: FnOnce(&S, Vec<T>) -> std::result::Result<R, TaskCause> + Send + 'static,
{
    submit_method(
        actor,
        method,
        args,
        Box::new(body),
        run_method_inline::<S, T, R>,
    )
}

type AsyncMethodFn<S, T, R> =
    Box<dyn FnOnce(&S, Vec<T>) -> BoxFuture<'static, std::result::Result<R, TaskCause>> + Send>;

fn run_method_async<'a, S, T, R>(
    actor: &'a DynamicActor<S>,
    (body, values): (AsyncMethodFn<S, T, R>, Vec<T>),
) -> BoxFuture<'a, std::result::Result<R, TaskCause>>
where
    S: Clone + Send + Sync + 'static,
    T: Send + 'static,
    R: Send + 'static,
{
    Box::pin(async move {
        let state = actor.state.as_ref().map_err(Clone::clone)?;
        check_running(&context::current_task_of_actor())?;
        body(state, values).await
    })
}

/// [`call`] for bodies that start work elsewhere and await it (an event loop of the
/// binding's language, say): `body` runs on the actor's own task and returns a future
/// that the call awaits without holding a thread. The call counts against
/// `max_concurrency` until that future completes.
pub fn call_async<S, T, R, F, Fut>(
    actor: &DynActorHandle<S>,
    method: &str,
    args: Vec<DynArg<T>>,
    body: F,
) -> Result<ObjectRef<R>>
where
    S: Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
    F: FnOnce(&S, Vec<T>) -> Fut + Send + 'static,
    Fut: Future<Output = std::result::Result<R, TaskCause>> + Send + 'static,
{
    let body: AsyncMethodFn<S, T, R> = Box::new(move |state, values| Box::pin(body(state, values)));
    actor::call_actor::<_, _, One<R>>(
        &actor.handle,
        intern(method),
        WithBody {
            body,
            args: to_args(args),
        },
        MethodBody::AsyncRef(run_method_async::<S, T, R>),
        |_| None,
        None,
    )
    .into_result()
}

/// The running streaming call's producer end (set by the actor's machinery).
fn yielder<R: Send + Sync + 'static>() -> std::result::Result<Yielder<R>, TaskCause> {
    current_yielder::<R>().map_err(TaskCause::new)
}

type StreamMethodFn<S, T, R> =
    Box<dyn FnOnce(&S, Vec<T>, Yielder<R>) -> std::result::Result<(), TaskCause> + Send>;

fn run_streaming_method<'a, S, T, R>(
    actor: &'a DynamicActor<S>,
    (body, values): (StreamMethodFn<S, T, R>, Vec<T>),
) -> BoxFuture<'a, std::result::Result<(), TaskCause>>
where
    S: Clone + Send + Sync + 'static,
    T: Send + 'static,
    R: Send + Sync + 'static,
{
    let state = actor.state.clone();
    Box::pin(async move {
        let state = state?;
        let out = yielder::<R>()?;
        let parent = context::current_task_of_actor();
        check_running(&parent)?;
        actor
            .run_sync(move || in_task(parent, || body(&state, values, out)))
            .await
    })
}

/// A streaming method call (Ray's `num_returns="streaming"` on an actor method): `body`
/// runs on the blocking pool, as in [`call`], and sends its items through the
/// [`Yielder`] it gets; see [`submit_streaming`].
pub fn call_streaming<S, T, R, F>(
    actor: &DynActorHandle<S>,
    method: &str,
    args: Vec<DynArg<T>>,
    body: F,
) -> Result<ObjectRefGenerator<R>>
where
    S: Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
    F: FnOnce(&S, Vec<T>, Yielder<R>) -> std::result::Result<(), TaskCause> + Send + 'static,
{
    let body: StreamMethodFn<S, T, R> = Box::new(body);
    actor::call_actor::<_, _, Streaming<R>>(
        &actor.handle,
        intern(method),
        WithBody {
            body,
            args: to_args(args),
        },
        MethodBody::AsyncRef(run_streaming_method::<S, T, R>),
        |_| None,
        None,
    )
    .into_result()
}

type AsyncStreamMethodFn<S, T, R> = Box<
    dyn FnOnce(&S, Vec<T>, Yielder<R>) -> BoxFuture<'static, std::result::Result<(), TaskCause>>
        + Send,
>;

fn run_streaming_method_async<'a, S, T, R>(
    actor: &'a DynamicActor<S>,
    (body, values): (AsyncStreamMethodFn<S, T, R>, Vec<T>),
) -> BoxFuture<'a, std::result::Result<(), TaskCause>>
where
    S: Clone + Send + Sync + 'static,
    T: Send + 'static,
    R: Send + Sync + 'static,
{
    Box::pin(async move {
        let state = actor.state.as_ref().map_err(Clone::clone)?;
        let out = yielder::<R>()?;
        check_running(&context::current_task_of_actor())?;
        body(state, values, out).await
    })
}

/// [`call_streaming`] with a body that starts the work and returns a future, as in
/// [`call_async`].
pub fn call_streaming_async<S, T, R, F, Fut>(
    actor: &DynActorHandle<S>,
    method: &str,
    args: Vec<DynArg<T>>,
    body: F,
) -> Result<ObjectRefGenerator<R>>
where
    S: Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    R: Send + Sync + 'static,
    F: FnOnce(&S, Vec<T>, Yielder<R>) -> Fut + Send + 'static,
    Fut: Future<Output = std::result::Result<(), TaskCause>> + Send + 'static,
{
    let body: AsyncStreamMethodFn<S, T, R> =
        Box::new(move |state, values, out| Box::pin(body(state, values, out)));
    actor::call_actor::<_, _, Streaming<R>>(
        &actor.handle,
        intern(method),
        WithBody {
            body,
            args: to_args(args),
        },
        MethodBody::AsyncRef(run_streaming_method_async::<S, T, R>),
        |_| None,
        None,
    )
    .into_result()
}

/// The live dynamic actor with state `S` named `name` on `rt` (default: the current
/// runtime); `RustyRayError::ActorNotFound` otherwise.
pub fn get_actor<S: Send + 'static>(rt: Option<&Runtime>, name: &str) -> Result<DynActorHandle<S>> {
    match rt {
        Some(rt) => actor::get_actor_on(rt, name),
        None => actor::get_actor(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn rt(cpus: f64) -> Runtime {
        Runtime::builder()
            .num_cpus(cpus)
            .worker_threads(2)
            .build()
            .expect("runtime")
    }

    const LIMIT: Duration = Duration::from_secs(30);

    fn wait<T: Clone + Send + Sync + 'static>(rt: &Runtime, r: &ObjectRef<T>) -> Result<T> {
        rt.block_on(r.get_timeout(LIMIT))
    }

    #[test]
    fn a_pinned_actor_runs_its_constructor_and_calls_on_one_thread() -> Result<()> {
        thread_local! {
            static CALLS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
        }
        let rt = Runtime::builder().num_cpus(2.0).build()?;
        let made_on = |_: Vec<i32>| Ok(std::thread::current().id());
        let pinned = create_pinned_actor(Some(&rt), &ActorOptions::default(), vec![], made_on)?;
        let plain = create_actor(Some(&rt), &ActorOptions::default(), vec![], made_on)?;
        let here = |home: &std::thread::ThreadId, _: Vec<i32>| {
            let n = CALLS.with(|c| {
                c.set(c.get() + 1);
                c.get()
            });
            Ok((*home, std::thread::current().id(), n))
        };
        let mut seen = Vec::new();
        for i in 0..40 {
            let r = if i % 2 == 0 {
                call(&pinned, "here", vec![], here)?
            } else {
                call_inline(&pinned, "here", vec![], here)?
            };
            seen.push(wait(&rt, &r)?);
            // Calls spread over time, so a pool would hand them to different threads.
            if i % 10 == 0 {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let home = seen[0].0;
        assert_ne!(home, std::thread::current().id());
        for (i, (made, ran, n)) in seen.iter().enumerate() {
            assert_eq!((*made, *ran), (home, home), "call {i}");
            // The thread-local state of the actor's thread lasts between calls.
            assert_eq!(*n, i as u32 + 1);
        }
        // An unpinned actor's constructor runs on the blocking pool, not on that thread.
        let plain_home = wait(&rt, &call(&plain, "here", vec![], here)?)?.0;
        assert_ne!(plain_home, home);
        rt.shutdown();
        Ok(())
    }

    #[test]
    fn a_pinned_threaded_actor_runs_calls_on_its_own_threads() -> Result<()> {
        let rt = Runtime::builder().num_cpus(2.0).build()?;
        let options = ActorOptions {
            max_concurrency: 2,
            ..ActorOptions::default()
        };
        let barrier = Arc::new(std::sync::Barrier::new(2));
        let actor = create_pinned_actor(Some(&rt), &options, vec![], move |_: Vec<i32>| {
            Ok(Arc::clone(&barrier))
        })?;
        // Two calls meet at a barrier: they run at once, on two threads.
        let meet = |b: &Arc<std::sync::Barrier>, _: Vec<i32>| {
            b.wait();
            Ok(std::thread::current().id())
        };
        let pair = [
            call(&actor, "meet", vec![], meet)?,
            call(&actor, "meet", vec![], meet)?,
        ];
        let a = wait(&rt, &pair[0])?;
        let b = wait(&rt, &pair[1])?;
        assert_ne!(a, b);
        // Later calls run on those two threads only.
        let whoami = |_: &Arc<std::sync::Barrier>, _: Vec<i32>| Ok(std::thread::current().id());
        let refs = (0..30)
            .map(|_| call(&actor, "whoami", vec![], whoami))
            .collect::<Result<Vec<_>>>()?;
        for r in &refs {
            let t = wait(&rt, r)?;
            assert!(t == a || t == b, "a third thread ran a call");
        }
        rt.shutdown();
        Ok(())
    }

    #[test]
    fn each_concurrency_group_of_a_pinned_actor_has_threads_of_its_own() -> Result<()> {
        let rt = Runtime::builder().num_cpus(2.0).build()?;
        let options = ActorOptions {
            max_concurrency: 2,
            concurrency_groups: vec![("io".to_owned(), 1)],
            ..ActorOptions::default()
        };
        let actor = create_pinned_actor(Some(&rt), &options, vec![], |_: Vec<i32>| Ok(()))?;
        let io = DynActorHandle::from_handle(actor.in_concurrency_group("io"));
        let whoami = |_: &(), _: Vec<i32>| Ok(std::thread::current().id());
        let mut default_threads = std::collections::HashSet::new();
        let mut io_threads = std::collections::HashSet::new();
        for _ in 0..20 {
            let d = call(&actor, "whoami", vec![], whoami)?;
            let i = call(&io, "whoami", vec![], whoami)?;
            default_threads.insert(wait(&rt, &d)?);
            io_threads.insert(wait(&rt, &i)?);
        }
        assert_eq!(io_threads.len(), 1, "the io group has one thread");
        assert!(default_threads.len() <= 2);
        assert!(default_threads.is_disjoint(&io_threads));
        rt.shutdown();
        Ok(())
    }

    #[test]
    fn interned_names_are_shared() {
        let a = intern("dynamic-test-name");
        let b = intern(&String::from("dynamic-test-name"));
        assert!(std::ptr::eq(a, b));
    }

    #[test]
    fn tasks_resolve_refs_and_return_several_objects() {
        let rt = rt(2.0);
        let options = TaskOptions::default();
        let split = |v: Vec<i32>| Ok(vec![v[0] / 10, v[0] % 10]);
        let parts = submit(
            Some(&rt),
            "split",
            &options,
            2,
            vec![DynArg::Value(42)],
            split,
        )
        .expect("submit");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].id().object_index(), 2);
        let add = |v: Vec<i32>| Ok(vec![v.iter().sum::<i32>()]);
        let sum = submit(
            Some(&rt),
            "add",
            &options,
            1,
            parts.iter().cloned().map(DynArg::Ref).collect(),
            add,
        )
        .expect("submit");
        assert_eq!(wait(&rt, &sum[0]).expect("sum"), 6);
        rt.shutdown();
    }

    #[test]
    fn failures_reach_every_return_and_dependents() {
        let rt = rt(2.0);
        let options = TaskOptions::default();
        let fail =
            |_: Vec<i32>| -> std::result::Result<Vec<i32>, TaskCause> { Err(TaskCause::new("no")) };
        let bad = submit(Some(&rt), "fail", &options, 2, vec![], fail).expect("submit");
        for r in &bad {
            assert!(matches!(
                wait(&rt, r),
                Err(RustyRayError::TaskFailed {
                    function: "fail",
                    ..
                })
            ));
        }
        let wrong_count = |_: Vec<i32>| Ok(vec![1]);
        let odd = submit(Some(&rt), "odd", &options, 2, vec![], wrong_count).expect("submit");
        assert!(wait(&rt, &odd[0]).is_err());
        let echo = |v: Vec<i32>| Ok(v);
        let dep = submit(
            Some(&rt),
            "echo",
            &options,
            1,
            vec![DynArg::Ref(bad[0].clone())],
            echo,
        )
        .expect("submit");
        assert!(matches!(
            wait(&rt, &dep[0]),
            Err(RustyRayError::TaskFailed {
                function: "fail",
                ..
            })
        ));
        assert!(submit(Some(&rt), "none", &options, 0, vec![], echo).is_err());
        rt.shutdown();
    }

    #[test]
    fn retries_follow_the_options() {
        let rt = rt(1.0);
        let tries = Arc::new(AtomicUsize::new(0));
        let options = TaskOptions {
            max_retries: 2,
            retry_exceptions: crate::RetryExceptions::All,
            ..TaskOptions::default()
        };
        let counter = Arc::clone(&tries);
        let flaky = move |_: Vec<i32>| {
            if counter.fetch_add(1, Ordering::SeqCst) < 2 {
                Err(TaskCause::new("flaky"))
            } else {
                Ok(vec![1])
            }
        };
        let r = submit(Some(&rt), "flaky", &options, 1, vec![], flaky).expect("submit");
        assert_eq!(wait(&rt, &r[0]).expect("third try"), 1);
        assert_eq!(tries.load(Ordering::SeqCst), 3);
        rt.shutdown();
    }

    #[test]
    fn nested_waits_release_the_cpu() {
        let rt = rt(1.0);
        let options = TaskOptions::default();
        let outer = move |_: Vec<i32>| {
            let inner = submit(
                None,
                "inner",
                &TaskOptions::default(),
                1,
                vec![],
                |_: Vec<i32>| Ok(vec![5]),
            )
            .map_err(TaskCause::new)?;
            let v = inner[0].get_blocking().map_err(TaskCause::new)?;
            Ok(vec![v + 1])
        };
        let r = submit(Some(&rt), "outer", &options, 1, vec![], outer).expect("submit");
        assert_eq!(wait(&rt, &r[0]).expect("nested"), 6);
        rt.shutdown();
    }

    #[test]
    fn cancelled_tasks_do_not_run() {
        let rt = rt(1.0);
        let options = TaskOptions::default();
        let ran = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(std::sync::Barrier::new(2));
        let g = Arc::clone(&gate);
        let blocker = submit(
            Some(&rt),
            "block",
            &options,
            1,
            vec![],
            move |_: Vec<i32>| {
                g.wait();
                Ok(vec![0])
            },
        )
        .expect("submit");
        let counter = Arc::clone(&ran);
        let queued = submit(
            Some(&rt),
            "queued",
            &options,
            1,
            vec![],
            move |_: Vec<i32>| {
                counter.fetch_add(1, Ordering::SeqCst);
                Ok(vec![1])
            },
        )
        .expect("submit");
        assert!(queued[0].cancel());
        gate.wait();
        assert_eq!(wait(&rt, &blocker[0]).expect("blocker"), 0);
        assert!(matches!(
            wait(&rt, &queued[0]),
            Err(RustyRayError::Cancelled { .. })
        ));
        assert_eq!(ran.load(Ordering::SeqCst), 0);
        rt.shutdown();
    }

    type Log = Arc<Mutex<Vec<i32>>>;

    #[test]
    fn actors_run_calls_in_order_and_can_be_named() {
        let rt = rt(2.0);
        let options = ActorOptions {
            name: Some("log".to_owned()),
            ..ActorOptions::default()
        };
        let log = create_actor(
            Some(&rt),
            &options,
            vec![DynArg::Value(0)],
            |v: Vec<i32>| Ok(Arc::new(Mutex::new(v))),
        )
        .expect("create");
        let refs: Vec<_> = (1..=50)
            .map(|i| {
                call(
                    &log,
                    "push",
                    vec![DynArg::Value(i)],
                    |s: &Log, v: Vec<i32>| {
                        s.lock().push(v[0]);
                        Ok(s.lock().len())
                    },
                )
                .expect("call")
            })
            .collect();
        assert_eq!(wait(&rt, &refs[49]).expect("last"), 51);
        let found: DynActorHandle<Log> = get_actor(Some(&rt), "log").expect("named");
        let all = call(&found, "all", vec![], |s: &Log, _: Vec<i32>| {
            Ok(s.lock().clone())
        })
        .expect("call");
        assert_eq!(wait(&rt, &all).expect("all"), (0..=50).collect::<Vec<_>>());
        let inline = call_inline(&found, "len", vec![], |s: &Log, _: Vec<i32>| {
            Ok(s.lock().len())
        })
        .expect("call");
        assert_eq!(wait(&rt, &inline).expect("inline"), 51);
        found.kill().expect("kill");
        let dead = call(&log, "all", vec![], |s: &Log, _: Vec<i32>| {
            Ok(s.lock().len())
        })
        .expect("call");
        assert!(matches!(
            wait(&rt, &dead),
            Err(RustyRayError::ActorDied { .. })
        ));
        assert!(get_actor::<Log>(Some(&rt), "log").is_err());
        rt.shutdown();
    }

    #[test]
    fn constructor_errors_fail_every_call() {
        let rt = rt(2.0);
        let broken = create_actor(
            Some(&rt),
            &ActorOptions::default(),
            vec![],
            |_: Vec<i32>| -> std::result::Result<Log, TaskCause> { Err(TaskCause::new("bad")) },
        )
        .expect("create");
        let r = call(&broken, "m", vec![], |_: &Log, _: Vec<i32>| Ok(1)).expect("call");
        match wait(&rt, &r) {
            Err(e) => assert_eq!(e.cause().map(|c| c.to_string()), Some("bad".to_owned())),
            Ok(v) => panic!("expected an error, got {v}"),
        }
        rt.shutdown();
    }
}
