//! Actors: a mailbox task per actor runs its calls in order.

use std::any::Any;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::AssertUnwindSafe;
use std::pin::pin;
use std::sync::atomic::{AtomicU32, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures::future::BoxFuture;
use futures::FutureExt;
use ray_common::{ActorId, RayId, TaskId};
use tokio::sync::{mpsc, Notify, RwLock, Semaphore};
use tokio::task::JoinSet;

use crate::backend::RemoteActor;
use crate::context::{self, TaskContext};
use crate::error::{panic_message, Result, RustyRayError, TaskCause};
use crate::names::{ActorName, NamedActor, Registered};
use crate::node::{Runtime, WeakRuntime};
use crate::object::{Abandon, DeathCause};
use crate::options::{ActorOptions, ActorSpec};
use crate::resources::Demand;
use crate::returns::{NewReturns, Returns};
use crate::task::{ResolveArgs, Submitted};

/// A type made into an actor by `#[rustyray::actor]`.
pub trait Actor: Send + 'static {
    /// The actor's static description (from the attribute).
    fn spec() -> &'static ActorSpec;
}

/// The generated typed handle of an actor (`CounterHandle` for `Counter`).
pub trait TypedActorHandle: Sized {
    /// The actor type.
    type Actor: Actor;
    /// Wraps an untyped handle.
    fn from_handle(handle: ActorHandle<Self::Actor>) -> Self;
}

const ALIVE: u8 = 0;
const KILL: u8 = 1;
const RESTART: u8 = 2;
const DEAD: u8 = 3;

/// State shared by an actor's handles, its mailbox and its pending results.
pub(crate) struct ActorShared {
    actor_id: ActorId,
    class: &'static str,
    state: AtomicU8,
    wake: Notify,
    reason: OnceLock<String>,
    restarts: AtomicU32,
}

impl ActorShared {
    pub(crate) fn died(&self) -> RustyRayError {
        RustyRayError::ActorDied {
            actor_id: self.actor_id,
            class: self.class,
            reason: self
                .reason
                .get()
                .cloned()
                .unwrap_or_else(|| "the actor stopped before the call completed".to_owned()),
        }
    }

    fn state(&self) -> u8 {
        self.state.load(Ordering::SeqCst)
    }
}

impl DeathCause for ActorShared {
    fn error(&self) -> RustyRayError {
        self.died()
    }
}

/// What the runtime's name table holds of an actor: no reference to the runtime, which
/// owns the table (a handle adds the runtime).
struct ActorCore<A> {
    shared: Arc<ActorShared>,
    tx: mpsc::UnboundedSender<Msg<A>>,
    name: Option<ActorName>,
    /// Names of the declared concurrency groups; a call's group is its index here plus
    /// one (0 is the default group).
    groups: Arc<[String]>,
    /// The actor, when it lives on the runtime's cluster backend instead of here.
    remote: Option<Arc<dyn RemoteActor>>,
}

impl<A: Actor> NamedActor for ActorCore<A> {
    fn actor_id(&self) -> ActorId {
        self.shared.actor_id
    }

    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}

/// An untyped-by-method handle to an actor of type `A`; the generated `AHandle` types
/// dereference to it. Cheap to clone; the actor stops when the last handle is dropped
/// (named actors live until killed or the runtime shuts down).
pub struct ActorHandle<A> {
    core: Arc<ActorCore<A>>,
    rt: Runtime,
    /// Concurrency group of the calls made through this handle, overriding the
    /// methods' own (see `with_concurrency_group` of the generated handles).
    group: Option<Arc<str>>,
}

impl<A> Clone for ActorHandle<A> {
    fn clone(&self) -> Self {
        ActorHandle {
            core: Arc::clone(&self.core),
            rt: self.rt.clone(),
            group: self.group.clone(),
        }
    }
}

impl<A> fmt::Debug for ActorHandle<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActorHandle")
            .field("class", &self.core.shared.class)
            .field("id", &self.core.shared.actor_id)
            .field("name", &self.core.name)
            .finish()
    }
}

impl<A> ActorHandle<A> {
    /// The actor's ID (`ActorId::of(job, parent task, counter)`).
    pub fn id(&self) -> ActorId {
        self.core.shared.actor_id
    }

    /// The name it was registered under, if any.
    pub fn name(&self) -> Option<&str> {
        self.core.name.as_ref().map(|n| n.name.as_str())
    }

    /// The namespace of its name, if it has one.
    pub fn namespace(&self) -> Option<&str> {
        self.core.name.as_ref().map(|n| n.namespace.as_str())
    }

    /// The runtime the actor lives on.
    pub fn runtime(&self) -> &Runtime {
        &self.rt
    }

    /// A copy of this handle whose calls run in the concurrency group `group` instead
    /// of their method's (Ray's `actor.method.options(concurrency_group=..)`). Calls
    /// through it fail with `RustyRayError::InvalidArgument` if the actor declares no
    /// such group.
    pub fn in_concurrency_group(&self, group: &str) -> Self {
        ActorHandle {
            group: Some(Arc::from(group)),
            ..self.clone()
        }
    }

    /// The concurrency groups the actor declares.
    pub fn concurrency_groups(&self) -> &[String] {
        &self.core.groups
    }

    /// The index of a call's group: 0 for the default group, else one past the group's
    /// position in the declaration.
    fn group_index(&self, method_group: Option<&'static str>) -> Result<usize> {
        let Some(name) = self.group.as_deref().or(method_group) else {
            return Ok(0);
        };
        match self.core.groups.iter().position(|g| g == name) {
            Some(i) => Ok(i + 1),
            None => Err(RustyRayError::InvalidArgument(format!(
                "actor {} has no concurrency group {name:?} (declared: {})",
                self.core.shared.class,
                if self.core.groups.is_empty() {
                    "none".to_owned()
                } else {
                    self.core.groups.join(", ")
                }
            ))),
        }
    }

    /// The actor on the runtime's cluster backend, if it lives there (for the generated
    /// handle methods).
    #[doc(hidden)]
    #[inline]
    pub fn __cluster(&self) -> Option<&Arc<dyn RemoteActor>> {
        self.core.remote.as_ref()
    }

    /// True until the actor is killed or dies.
    pub fn is_alive(&self) -> bool {
        matches!(self.core.shared.state(), ALIVE | RESTART)
    }

    /// How often the actor was restarted.
    pub fn num_restarts(&self) -> u32 {
        self.core.shared.restarts.load(Ordering::SeqCst)
    }

    /// Stops the actor now (Ray's `ray.kill`): the running call is interrupted at its next
    /// await point, queued and later calls fail with `RustyRayError::ActorDied`, and the
    /// name is released. No restart happens.
    pub fn kill(&self) -> Result<()> {
        if let Some(remote) = &self.core.remote {
            return self.kill_remote(remote, true);
        }
        self.signal(KILL);
        Ok(())
    }

    /// Kills the actor and lets it restart if `max_restarts` allows (Ray's
    /// `ray.kill(actor, no_restart=False)`); queued calls then run on the new instance.
    pub fn kill_and_restart(&self) -> Result<()> {
        if let Some(remote) = &self.core.remote {
            return self.kill_remote(remote, false);
        }
        self.signal(RESTART);
        Ok(())
    }

    /// Kills an actor on the cluster backend. Its later calls fail there (asynchronously:
    /// calls made at once may still run, as in Ray).
    fn kill_remote(&self, remote: &Arc<dyn RemoteActor>, no_restart: bool) -> Result<()> {
        crate::backend::backend_of(&self.rt)?.kill_actor(&**remote, no_restart)?;
        if no_restart {
            let _ = self.core.shared.reason.set("killed by kill()".to_owned());
            self.core.shared.state.store(DEAD, Ordering::SeqCst);
        }
        Ok(())
    }

    fn signal(&self, signal: u8) {
        let shared = &self.core.shared;
        if signal == KILL {
            let _ = shared.reason.set("killed by kill()".to_owned());
        }
        let mut current = shared.state();
        loop {
            if current == DEAD || current == KILL || current == signal {
                break;
            }
            match shared
                .state
                .compare_exchange(current, signal, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => break,
                Err(now) => current = now,
            }
        }
        shared.wake.notify_waiters();
        let _ = self.core.tx.send(Msg::Wake);
        if signal == KILL {
            if let Some(name) = &self.core.name {
                unregister(&self.rt, name, shared.actor_id);
            }
        }
    }
}

/// A handle to an actor that lives on `rt`'s cluster backend: its ID is the backend's
/// (when it has an actor ID's length), its calls go to the backend (see
/// `cluster_actor::call_cluster_actor`), and it has no mailbox here.
pub(crate) fn remote_handle<A: Actor>(rt: Runtime, remote: Arc<dyn RemoteActor>) -> ActorHandle<A> {
    let actor_id = <[u8; <ActorId as RayId>::SIZE]>::try_from(remote.id())
        .map(ActorId::from_bytes)
        .unwrap_or_else(|_| <ActorId as RayId>::nil());
    let (tx, _) = mpsc::unbounded_channel();
    let core = Arc::new(ActorCore {
        shared: Arc::new(ActorShared {
            actor_id,
            class: A::spec().name,
            state: AtomicU8::new(ALIVE),
            wake: Notify::new(),
            reason: OnceLock::new(),
            restarts: AtomicU32::new(0),
        }),
        tx,
        name: None,
        groups: Arc::from(Vec::new()),
        remote: Some(remote),
    });
    ActorHandle {
        core,
        rt,
        group: None,
    }
}

fn unregister(rt: &Runtime, name: &ActorName, actor_id: ActorId) {
    rt.inner
        .named_actors
        .unregister(&name.namespace, &name.name, actor_id);
}

/// Finds a named actor in the current namespace of the current runtime (Ray's
/// `ray.get_actor(name)`).
///
/// Fails with `RustyRayError::ActorNotFound` when no live actor has that name there or it
/// is of another type.
pub fn get_actor<H: TypedActorHandle>(name: &str) -> Result<H> {
    let rt = crate::runtime::runtime()?;
    get_actor_on(&rt, name)
}

/// Finds a named actor in `namespace` (Ray's `ray.get_actor(name, namespace=..)`).
pub fn get_actor_in<H: TypedActorHandle>(name: &str, namespace: &str) -> Result<H> {
    let rt = crate::runtime::runtime()?;
    get_actor_in_on(&rt, name, namespace)
}

/// [`get_actor`] on an explicit runtime (in its namespace). On a runtime with a cluster
/// backend the name is looked up on the cluster (the actor's type is not checked there:
/// the handle's calls fail if it is another type's).
pub fn get_actor_on<H: TypedActorHandle>(rt: &Runtime, name: &str) -> Result<H> {
    if rt.inner.backend.is_some() {
        return get_cluster_actor(rt, name, None);
    }
    get_actor_in_on(rt, name, rt.namespace())
}

/// The actor named `name` in `namespace` (`None`: the job's) on `rt`'s cluster backend.
fn get_cluster_actor<H: TypedActorHandle>(
    rt: &Runtime,
    name: &str,
    namespace: Option<&str>,
) -> Result<H> {
    let backend = crate::backend::backend_of(rt)?;
    let remote = backend
        .get_actor(name, namespace)?
        .ok_or_else(|| RustyRayError::ActorNotFound(name.to_owned()))?;
    Ok(H::from_handle(remote_handle(rt.clone(), remote)))
}

/// [`get_actor_in`] on an explicit runtime.
pub fn get_actor_in_on<H: TypedActorHandle>(
    rt: &Runtime,
    name: &str,
    namespace: &str,
) -> Result<H> {
    if rt.inner.backend.is_some() {
        return get_cluster_actor(rt, name, Some(namespace));
    }
    let core = rt
        .inner
        .named_actors
        .get(namespace, name)
        .and_then(|a| a.into_any().downcast::<ActorCore<H::Actor>>().ok())
        .ok_or_else(|| RustyRayError::ActorNotFound(name.to_owned()))?;
    Ok(H::from_handle(ActorHandle {
        core,
        rt: rt.clone(),
        group: None,
    }))
}

enum Msg<A> {
    Call(Box<dyn Call<A>>),
    Wake,
}

/// The code of an actor method, by receiver and asyncness.
#[doc(hidden)]
pub enum MethodBody<A, I, R> {
    /// `fn m(&mut self, ..)`.
    SyncMut(fn(&mut A, I) -> std::result::Result<R, TaskCause>),
    /// `fn m(&self, ..)`.
    SyncRef(fn(&A, I) -> std::result::Result<R, TaskCause>),
    /// `async fn m(&mut self, ..)`.
    AsyncMut(for<'a> fn(&'a mut A, I) -> BoxFuture<'a, std::result::Result<R, TaskCause>>),
    /// `async fn m(&self, ..)`.
    AsyncRef(for<'a> fn(&'a A, I) -> BoxFuture<'a, std::result::Result<R, TaskCause>>),
}

impl<A, I, R> Clone for MethodBody<A, I, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A, I, R> Copy for MethodBody<A, I, R> {}

trait Call<A>: Send {
    fn cancelled(&self) -> bool;
    /// Who submitted it ([`caller_key`]).
    fn caller(&self) -> u32;
    /// The call's concurrency group (0: the default group).
    fn group(&self) -> usize;
    /// A copy of the call for another attempt on a restarted instance, if
    /// `max_task_retries` (Ray's meaning: -1 is unbounded) leaves one and the arguments
    /// are `Clone`. The copy completes the same objects; while it exists, the objects do
    /// not fail when this attempt is interrupted.
    fn retry_copy(&mut self, max_task_retries: i32) -> Option<Box<dyn Call<A>>>;
    fn needs_mut(&self) -> bool;
    /// A synchronous method: it runs on the blocking pool.
    fn is_sync(&self) -> bool;
    /// Its arguments are available without waiting.
    fn args_ready(&self) -> bool;
    /// Resolves referenced arguments; `Some` when that needs waiting.
    fn prepare(&mut self) -> Option<BoxFuture<'_, ()>>;
    fn run_mut<'a>(self: Box<Self>, actor: &'a mut A, site: Site) -> Option<BoxFuture<'a, ()>>;
    fn run_ref<'a>(self: Box<Self>, actor: &'a A, site: Site) -> Option<BoxFuture<'a, ()>>;
}

/// Where a call runs: its actor, and its runtime (`None` once that is gone). The mailbox
/// supplies it, so a queued call does not carry it: glibc serves blocks of up to 128
/// bytes from its fast bins, and a call allocated by one thread and freed by another
/// costs markedly more above that size.
pub(crate) struct Site {
    rt: Option<Runtime>,
    actor_id: ActorId,
}

struct CallMeta<A, I, Ret: Returns> {
    body: MethodBody<A, I, Ret::Value>,
    /// Shared with the copy kept for a retry, so an interrupted attempt does not fail the
    /// objects while a retry is pending.
    writers: CallWriters<Ret::Writers>,
    task_id: TaskId,
    /// Who submitted the call ([`caller_key`]): calls are ordered per caller.
    caller: u32,
    method: &'static str,
    /// Attempts before this one (retries after restarts).
    /// (Saturates: `max_task_retries` above `u16::MAX` counts as that many.) The
    /// narrow fields keep a queued call within glibc's 128-byte fast bins.
    attempt: u16,
    /// Concurrency group (see [`ActorHandle::group_index`]).
    group: u16,
}

/// A call's writers: its own until a retry copy needs them too (`max_task_retries`),
/// then shared with it; calls without retries pay no extra allocation.
enum CallWriters<W> {
    Own(W),
    Shared(Arc<W>),
    /// Only while `share` moves the writers into an `Arc`.
    Moving,
}

impl<W> CallWriters<W> {
    fn get(&self) -> Option<&W> {
        match self {
            CallWriters::Own(w) => Some(w),
            CallWriters::Shared(w) => Some(w),
            CallWriters::Moving => None,
        }
    }

    /// The writers as shared with a retry copy.
    fn share(&mut self) -> Option<Arc<W>> {
        let shared = match std::mem::replace(self, CallWriters::Moving) {
            CallWriters::Own(w) => Arc::new(w),
            CallWriters::Shared(w) => w,
            CallWriters::Moving => return None,
        };
        *self = CallWriters::Shared(Arc::clone(&shared));
        Some(shared)
    }
}

/// Completes a call's objects.
fn complete<Ret: Returns>(writers: &CallWriters<Ret::Writers>, result: Result<Ret::Value>) {
    if let Some(w) = writers.get() {
        Ret::complete(w, result);
    }
}

enum CallArgs<Args: ResolveArgs> {
    Pending(Args),
    Ready(Args::Output),
    Failed,
}

struct CallImpl<A, Args: ResolveArgs, Ret: Returns> {
    args: CallArgs<Args>,
    meta: CallMeta<A, Args::Output, Ret>,
    clone_args: fn(&Args::Output) -> Option<Args::Output>,
}

enum Receiver<'a, A> {
    Mut(&'a mut A),
    Ref(&'a A),
}

impl<A, Args, Ret> CallImpl<A, Args, Ret>
where
    A: Send + 'static,
    Args: ResolveArgs,
    Ret: Returns,
{
    fn run<'a>(self, actor: Receiver<'a, A>, site: Site) -> Option<BoxFuture<'a, ()>> {
        let CallImpl { args, meta, .. } = self;
        let values = match args {
            CallArgs::Ready(v) => v,
            CallArgs::Pending(args) => match args.take_ready() {
                Ok(v) => v,
                Err(e) => {
                    complete::<Ret>(&meta.writers, Err(e));
                    return None;
                }
            },
            CallArgs::Failed => return None,
        };
        meta.execute(actor, values, site)
    }
}

impl<A, I, Ret> CallMeta<A, I, Ret>
where
    A: Send + 'static,
    I: Send + 'static,
    Ret: Returns,
{
    fn execute<'a>(
        self,
        actor: Receiver<'a, A>,
        values: I,
        site: Site,
    ) -> Option<BoxFuture<'a, ()>> {
        let Some(rt) = site.rt else {
            complete::<Ret>(&self.writers, Err(RustyRayError::RuntimeShutDown));
            return None;
        };
        let ctx = TaskContext::task(rt, self.task_id, None)
            .of_actor(site.actor_id)
            .in_group(u32::from(self.group))
            .with_num_returns(Ret::COUNT)
            .with_stream(self.writers.get().and_then(Ret::stream));
        let fut = match (&self.body, actor) {
            (MethodBody::SyncMut(f), Receiver::Mut(a)) => {
                let out =
                    ctx.sync_scope(|| std::panic::catch_unwind(AssertUnwindSafe(|| f(a, values))));
                self.finish(out);
                return None;
            }
            (MethodBody::SyncRef(f), Receiver::Mut(a)) => {
                let out =
                    ctx.sync_scope(|| std::panic::catch_unwind(AssertUnwindSafe(|| f(a, values))));
                self.finish(out);
                return None;
            }
            (MethodBody::SyncRef(f), Receiver::Ref(a)) => {
                let out =
                    ctx.sync_scope(|| std::panic::catch_unwind(AssertUnwindSafe(|| f(a, values))));
                self.finish(out);
                return None;
            }
            (MethodBody::AsyncMut(f), Receiver::Mut(a)) => f(a, values),
            (MethodBody::AsyncRef(f), Receiver::Mut(a)) => f(a, values),
            (MethodBody::AsyncRef(f), Receiver::Ref(a)) => f(a, values),
            (MethodBody::SyncMut(_) | MethodBody::AsyncMut(_), Receiver::Ref(_)) => {
                complete::<Ret>(
                    &self.writers,
                    Err(RustyRayError::InvalidArgument(
                        "a &mut self method was run with shared access".to_owned(),
                    )),
                );
                return None;
            }
        };
        Some(Box::pin(async move {
            let out = ctx.scope(AssertUnwindSafe(fut).catch_unwind()).await;
            self.finish(out);
        }))
    }

    fn finish(&self, outcome: std::thread::Result<std::result::Result<Ret::Value, TaskCause>>) {
        let result = match outcome {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(cause)) => Err(RustyRayError::TaskFailed {
                task_id: self.task_id,
                function: self.method,
                cause,
            }),
            Err(payload) => Err(RustyRayError::TaskPanicked {
                task_id: self.task_id,
                function: self.method,
                message: panic_message(&*payload),
            }),
        };
        complete::<Ret>(&self.writers, result);
    }
}

impl<A, Args, Ret> Call<A> for CallImpl<A, Args, Ret>
where
    A: Send + 'static,
    Args: ResolveArgs,
    Ret: Returns,
{
    fn cancelled(&self) -> bool {
        self.meta.writers.get().is_none_or(Ret::is_complete)
    }

    fn caller(&self) -> u32 {
        self.meta.caller
    }

    fn group(&self) -> usize {
        self.meta.group as usize
    }

    fn retry_copy(&mut self, max_task_retries: i32) -> Option<Box<dyn Call<A>>> {
        let allowed = match u32::try_from(max_task_retries) {
            Ok(max) => u32::from(self.meta.attempt) < max.min(u32::from(u16::MAX)),
            Err(_) => true,
        };
        if !allowed || Ret::STREAMING {
            return None;
        }
        if let CallArgs::Pending(_) = &self.args {
            let CallArgs::Pending(args) = std::mem::replace(&mut self.args, CallArgs::Failed)
            else {
                return None;
            };
            match args.take_ready() {
                Ok(values) => self.args = CallArgs::Ready(values),
                Err(e) => {
                    complete::<Ret>(&self.meta.writers, Err(e));
                    return None;
                }
            }
        }
        let CallArgs::Ready(values) = &self.args else {
            return None;
        };
        let copy = (self.clone_args)(values)?;
        let shared = self.meta.writers.share()?;
        let meta = &self.meta;
        Some(Box::new(CallImpl::<A, Args, Ret> {
            args: CallArgs::Ready(copy),
            meta: CallMeta {
                body: meta.body,
                writers: CallWriters::Shared(shared),
                task_id: meta.task_id,
                caller: meta.caller,
                method: meta.method,
                attempt: meta.attempt.saturating_add(1),
                group: meta.group,
            },
            clone_args: self.clone_args,
        }))
    }

    fn needs_mut(&self) -> bool {
        matches!(
            self.meta.body,
            MethodBody::SyncMut(_) | MethodBody::AsyncMut(_)
        )
    }

    fn is_sync(&self) -> bool {
        matches!(
            self.meta.body,
            MethodBody::SyncMut(_) | MethodBody::SyncRef(_)
        )
    }

    fn args_ready(&self) -> bool {
        match &self.args {
            CallArgs::Pending(args) => args.ready(),
            CallArgs::Ready(_) | CallArgs::Failed => true,
        }
    }

    fn prepare(&mut self) -> Option<BoxFuture<'_, ()>> {
        match &self.args {
            CallArgs::Pending(args) if !args.ready() => {}
            _ => return None,
        }
        Some(Box::pin(async move {
            let CallArgs::Pending(args) = std::mem::replace(&mut self.args, CallArgs::Failed)
            else {
                return;
            };
            match args.resolve().await {
                Ok(values) => self.args = CallArgs::Ready(values),
                Err(e) => complete::<Ret>(&self.meta.writers, Err(e)),
            }
        }))
    }

    fn run_mut<'a>(self: Box<Self>, actor: &'a mut A, site: Site) -> Option<BoxFuture<'a, ()>> {
        (*self).run(Receiver::Mut(actor), site)
    }

    fn run_ref<'a>(self: Box<Self>, actor: &'a A, site: Site) -> Option<BoxFuture<'a, ()>> {
        (*self).run(Receiver::Ref(actor), site)
    }
}

/// Submits a method call to an actor.
#[doc(hidden)]
pub fn call_actor<A, Args, Ret>(
    handle: &ActorHandle<A>,
    method: &'static str,
    args: Args,
    body: MethodBody<A, Args::Output, Ret::Value>,
    clone_args: fn(&Args::Output) -> Option<Args::Output>,
    group: Option<&'static str>,
) -> Submitted<Ret::Refs>
where
    A: Actor,
    Args: ResolveArgs,
    Ret: Returns,
{
    Submitted::new(call_actor_inner::<A, Args, Ret>(
        handle, method, args, body, clone_args, group,
    ))
}

fn call_actor_inner<A, Args, Ret>(
    handle: &ActorHandle<A>,
    method: &'static str,
    args: Args,
    body: MethodBody<A, Args::Output, Ret::Value>,
    clone_args: fn(&Args::Output) -> Option<Args::Output>,
    group: Option<&'static str>,
) -> Result<Ret::Refs>
where
    A: Actor,
    Args: ResolveArgs,
    Ret: Returns,
{
    let group = u16::try_from(handle.group_index(group)?)
        .map_err(|_| RustyRayError::InvalidArgument("too many concurrency groups".to_owned()))?;
    let core = &handle.core;
    let shared = &core.shared;
    let rt = &handle.rt;
    let (task_id, caller) = context::with_current(Some(rt), |ctx| {
        let index = ctx.next_task_index();
        let task_id =
            TaskId::for_actor_task(&ctx.rt.inner.job_id, &ctx.task_id, index, &shared.actor_id);
        (task_id, caller_key(&ctx.task_id))
    })?;
    let mut new = NewReturns::new(
        &rt.inner.store,
        task_id,
        Abandon::Actor(Arc::clone(shared) as Arc<dyn DeathCause>),
    );
    let (writers, refs) = Ret::create(&mut new)?;
    if matches!(shared.state(), KILL | DEAD) {
        Ret::complete(&writers, Err(shared.died()));
        return Ok(refs);
    }
    let call: CallImpl<A, Args, Ret> = CallImpl {
        args: CallArgs::Pending(args),
        meta: CallMeta {
            body,
            writers: CallWriters::Own(writers),
            task_id,
            caller,
            method,
            attempt: 0,
            group,
        },
        clone_args,
    };
    let _ = core.tx.send(Msg::Call(Box::new(call)));
    Ok(refs)
}

/// A caller's key: the leading bytes of its task's id, which Ray derives from a hash of the
/// task's parent and index, so distinct tasks differ there (two keys that met would only
/// order those two callers' calls together, as every call was ordered before).
fn caller_key(task_id: &TaskId) -> u32 {
    let bytes = task_id.to_bytes();
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// Calls held back from the mailbox: Ray orders an actor's calls per caller, so a call
/// still waiting for an argument holds back its own caller's later calls, not other
/// callers'. Each caller with a waiting call has a queue here, in submission order;
/// waiting calls resolve their arguments on tasks of their own and come back through
/// `resolved`.
struct Held<A> {
    /// Per caller, in submission order.
    queues: HashMap<u32, VecDeque<Slot<A>>>,
    /// Calls let through, in order, for the mailbox to run next.
    released: VecDeque<Box<dyn Call<A>>>,
    resolved_tx: mpsc::UnboundedSender<Resolved<A>>,
    resolved_rx: mpsc::UnboundedReceiver<Resolved<A>>,
    /// Calls resolving their arguments now.
    resolving: usize,
    next_seq: u64,
}

/// A held call's place in its caller's queue: its sequence number, and the call once its
/// arguments are there.
type Slot<A> = (u64, Option<Box<dyn Call<A>>>);

/// A held call whose arguments are now there.
struct Resolved<A> {
    caller: u32,
    seq: u64,
    call: Box<dyn Call<A>>,
}

impl<A: Send + 'static> Held<A> {
    fn new() -> Self {
        let (resolved_tx, resolved_rx) = mpsc::unbounded_channel();
        Held {
            queues: HashMap::new(),
            released: VecDeque::new(),
            resolved_tx,
            resolved_rx,
            resolving: 0,
            next_seq: 0,
        }
    }

    /// Takes a call from the channel: `Some` when it can run now (its arguments are there
    /// and no earlier call of its caller is held), otherwise it is held.
    fn admit(&mut self, call: Box<dyn Call<A>>, rt: &WeakRuntime) -> Option<Box<dyn Call<A>>> {
        // The common case first: nothing held, arguments there.
        if self.queues.is_empty() && call.args_ready() {
            return Some(call);
        }
        let caller = call.caller();
        if !self.queues.contains_key(&caller) && call.args_ready() {
            return Some(call);
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = if call.args_ready() {
            Some(call)
        } else {
            let Some(rt) = rt.upgrade() else {
                // The runtime is gone: the call is dropped, which fails its objects.
                return None;
            };
            let tx = self.resolved_tx.clone();
            self.resolving += 1;
            let mut call = call;
            rt.inner.handle.spawn(async move {
                if let Some(resolve) = call.prepare() {
                    resolve.await;
                }
                let _ = tx.send(Resolved { caller, seq, call });
            });
            None
        };
        self.queues
            .entry(caller)
            .or_default()
            .push_back((seq, slot));
        None
    }

    /// A call whose arguments resolved: it, and the ready calls behind it, are released
    /// once every earlier call of the caller is.
    fn resolved(&mut self, Resolved { caller, seq, call }: Resolved<A>) {
        self.resolving -= 1;
        let Some(queue) = self.queues.get_mut(&caller) else {
            return;
        };
        if let Some(slot) = queue.iter_mut().find(|(s, _)| *s == seq) {
            slot.1 = Some(call);
        }
        while queue.front().is_some_and(|(_, call)| call.is_some()) {
            if let Some((_, Some(call))) = queue.pop_front() {
                self.released.push_back(call);
            }
        }
        if queue.is_empty() {
            self.queues.remove(&caller);
        }
    }

    fn clear(&mut self) {
        self.queues.clear();
        self.released.clear();
    }
}

/// Builds (and rebuilds) an actor's state from its constructor arguments.
trait Factory<A>: Send {
    fn build(&mut self) -> BoxFuture<'_, Option<std::result::Result<A, String>>>;
}

/// An actor constructor: `fn new(..) -> Self` or `async fn new(..) -> Self`.
#[doc(hidden)]
pub enum Constructor<I, A> {
    /// A synchronous constructor.
    Sync(fn(I) -> A),
    /// An `async` constructor.
    Async(fn(I) -> BoxFuture<'static, A>),
}

struct FactoryImpl<Args: ResolveArgs, A> {
    args: Option<Args>,
    spare: Option<Args::Output>,
    new: Constructor<Args::Output, A>,
    clone_args: fn(&Args::Output) -> Option<Args::Output>,
    keep: bool,
    rt: WeakRuntime,
    actor_id: ActorId,
}

impl<Args: ResolveArgs, A: Send + 'static> Factory<A> for FactoryImpl<Args, A> {
    fn build(&mut self) -> BoxFuture<'_, Option<std::result::Result<A, String>>> {
        Box::pin(async move {
            let values = match self.args.take() {
                Some(args) => match args.resolve().await {
                    Ok(v) => v,
                    Err(e) => return Some(Err(format!("a constructor argument failed: {e}"))),
                },
                None => self.spare.take()?,
            };
            if self.keep {
                self.spare = (self.clone_args)(&values);
            }
            let rt = self.rt.upgrade()?;
            let creation = TaskId::for_actor_creation_task(&self.actor_id);
            let ctx = TaskContext::task(rt, creation, None).of_actor(self.actor_id);
            let out = match self.new {
                Constructor::Sync(f) => {
                    ctx.sync_scope(|| std::panic::catch_unwind(AssertUnwindSafe(|| f(values))))
                }
                Constructor::Async(f) => {
                    ctx.scope(AssertUnwindSafe(f(values)).catch_unwind()).await
                }
            };
            Some(out.map_err(|p| format!("the constructor panicked: {}", panic_message(&*p))))
        })
    }
}

type Runner<A> = fn(Mailbox<A>) -> BoxFuture<'static, ()>;

/// Everything the mailbox task owns.
#[doc(hidden)]
pub struct Mailbox<A> {
    rx: mpsc::UnboundedReceiver<Msg<A>>,
    shared: Arc<ActorShared>,
    factory: Box<dyn Factory<A>>,
    rt: WeakRuntime,
    name: Option<ActorName>,
    max_restarts: u32,
    max_concurrency: usize,
    /// Most calls running at once in each declared concurrency group, in order.
    group_limits: Vec<usize>,
    max_task_retries: i32,
    demand: Demand,
    stash: Option<Box<dyn Call<A>>>,
    /// Calls interrupted by a restart, to run again first, in their original order.
    retries: VecDeque<Box<dyn Call<A>>>,
    held: Held<A>,
}

enum Next<A> {
    Call(Box<dyn Call<A>>),
    Kill,
    Restart,
    Closed,
}

impl<A: Send + 'static> Mailbox<A> {
    fn die(&mut self, reason: impl Into<String>) {
        let _ = self.shared.reason.set(reason.into());
        self.shared.state.store(DEAD, Ordering::SeqCst);
        if let (Some(name), Some(rt)) = (&self.name, self.rt.upgrade()) {
            unregister(&rt, name, self.shared.actor_id);
        }
        self.rx.close();
        while self.rx.try_recv().is_ok() {}
        self.retries.clear();
        self.stash = None;
        self.held.clear();
    }

    /// A copy of `call` to run again if a restart interrupts it.
    fn keep_for_retry(&self, call: &mut Box<dyn Call<A>>) -> Option<Box<dyn Call<A>>> {
        if self.max_task_retries == 0 {
            return None;
        }
        call.retry_copy(self.max_task_retries)
    }

    /// What is due before the next message: a kill or restart, then calls to retry, then
    /// a call set aside while the actor was not alive.
    fn due(&mut self) -> Option<Next<A>> {
        match self.shared.state() {
            KILL => return Some(Next::Kill),
            RESTART => return Some(Next::Restart),
            _ => {}
        }
        while let Some(call) = self.retries.pop_front() {
            if !call.cancelled() {
                return Some(Next::Call(call));
            }
        }
        if let Some(call) = self.stash.take() {
            return Some(Next::Call(call));
        }
        while let Some(call) = self.held.released.pop_front() {
            if !call.cancelled() {
                return Some(Next::Call(call));
            }
        }
        None
    }

    /// What a received message (`None`: the channel closed) means; `None` to read on.
    fn accept(&mut self, msg: Option<Msg<A>>) -> Option<Next<A>> {
        match msg {
            None => Some(Next::Closed),
            Some(Msg::Wake) => None,
            Some(Msg::Call(call)) if call.cancelled() => None,
            Some(Msg::Call(call)) if self.shared.state() != ALIVE => {
                // Seen again after the kill or restart that `due` reports first.
                self.stash = Some(call);
                None
            }
            Some(Msg::Call(call)) => self.held.admit(call, &self.rt).map(Next::Call),
        }
    }

    async fn next(&mut self) -> Next<A> {
        loop {
            if let Some(next) = self.due() {
                return next;
            }
            let msg = if self.held.resolving == 0 {
                self.rx.recv().await
            } else {
                tokio::select! {
                    msg = self.rx.recv() => msg,
                    Some(resolved) = self.held.resolved_rx.recv() => {
                        self.held.resolved(resolved);
                        continue;
                    }
                }
            };
            if let Some(next) = self.accept(msg) {
                return next;
            }
        }
    }

    /// [`next`](Self::next) without waiting: `None` when nothing is there yet.
    fn try_next(&mut self) -> Option<Next<A>> {
        loop {
            while self.held.resolving > 0 {
                match self.held.resolved_rx.try_recv() {
                    Ok(resolved) => self.held.resolved(resolved),
                    Err(_) => break,
                }
            }
            if let Some(next) = self.due() {
                return Some(next);
            }
            let msg = match self.rx.try_recv() {
                Ok(msg) => Some(msg),
                Err(mpsc::error::TryRecvError::Empty) => return None,
                Err(mpsc::error::TryRecvError::Disconnected) => None,
            };
            if let Some(next) = self.accept(msg) {
                return Some(next);
            }
        }
    }

    /// Builds the state, restarting on constructor panics while restarts remain.
    async fn construct(&mut self, restarts_left: &mut u32) -> Option<A> {
        loop {
            match self.factory.build().await {
                Some(Ok(actor)) => return Some(actor),
                Some(Err(reason)) if *restarts_left == 0 => {
                    self.die(reason);
                    return None;
                }
                Some(Err(_)) => {
                    *restarts_left -= 1;
                    self.shared.restarts.fetch_add(1, Ordering::SeqCst);
                }
                None => {
                    self.die("cannot restart: the constructor arguments are not Clone");
                    return None;
                }
            }
        }
    }

    /// Handles a restart request; false when the actor must die instead.
    fn restart(&mut self, restarts_left: &mut u32) -> bool {
        if *restarts_left == 0 {
            self.die("killed, and no restarts are left");
            return false;
        }
        *restarts_left -= 1;
        self.shared.restarts.fetch_add(1, Ordering::SeqCst);
        let _ =
            self.shared
                .state
                .compare_exchange(RESTART, ALIVE, Ordering::SeqCst, Ordering::SeqCst);
        true
    }

    /// Where the next call runs.
    fn site(&self) -> Site {
        Site {
            rt: self.rt.upgrade(),
            actor_id: self.shared.actor_id,
        }
    }

    /// Waits for the actor's resources; `None` once the runtime is gone.
    fn acquire(&self) -> Option<crate::resources::Acquire> {
        Some(
            self.rt
                .upgrade()?
                .inner
                .resources
                .acquire(self.demand.clone()),
        )
    }

    async fn run_sequential(self) {
        let mut mb = self;
        let Some(acquire) = mb.acquire() else {
            return;
        };
        let _held = acquire.await;
        let mut restarts_left = mb.max_restarts;
        'life: loop {
            let Some(mut actor) = mb.construct(&mut restarts_left).await else {
                return;
            };
            loop {
                match mb.next().await {
                    Next::Call(mut call) => {
                        if let Some(fut) = call.prepare() {
                            if !interruptible(&mb.shared, fut).await {
                                continue;
                            }
                        }
                        if call.is_sync() {
                            let batch = tokio::task::spawn_blocking(move || {
                                mb.run_sync_calls(&mut actor, call);
                                (mb, actor)
                            });
                            match batch.await {
                                Ok((m, a)) => (mb, actor) = (m, a),
                                Err(_) => return,
                            }
                            continue;
                        }
                        let retry = mb.keep_for_retry(&mut call);
                        if let Some(fut) = call.run_mut(&mut actor, mb.site()) {
                            if !interruptible(&mb.shared, fut).await {
                                mb.retries.extend(retry);
                            }
                        }
                    }
                    Next::Kill => {
                        drop(actor);
                        mb.die("killed by kill()");
                        return;
                    }
                    Next::Restart => {
                        drop(actor);
                        if !mb.restart(&mut restarts_left) {
                            return;
                        }
                        continue 'life;
                    }
                    Next::Closed => {
                        drop(actor);
                        mb.die("all handles were dropped");
                        return;
                    }
                }
            }
        }
    }

    /// Runs synchronous calls on the current (blocking-pool) thread, starting with
    /// `call`: the actor stays here while further synchronous calls with ready arguments
    /// arrive within a short linger, so a stream of calls pays for one hop to the
    /// blocking pool rather than one per call. Calls already queued are taken without
    /// entering the runtime, and for a few microseconds the thread polls for the next one
    /// before it parks: a caller awaiting each reply sends its next call within that
    /// time, and waking a parked thread costs more than the polling. Anything else goes
    /// back to the mailbox.
    fn run_sync_calls(&mut self, actor: &mut A, call: Box<dyn Call<A>>) {
        const LINGER: Duration = Duration::from_millis(2);
        const POLL: Duration = Duration::from_micros(50);
        let handle = tokio::runtime::Handle::current();
        let mut call = call;
        loop {
            let retry = self.keep_for_retry(&mut call);
            if let Some(fut) = call.run_mut(actor, self.site()) {
                if !handle.block_on(interruptible(&self.shared, fut)) {
                    self.retries.extend(retry);
                }
            }
            let next = match self.poll_next(POLL) {
                Some(next) => next,
                None => match handle.block_on(tokio::time::timeout(LINGER, self.next())) {
                    Ok(next) => next,
                    Err(_) => return,
                },
            };
            match next {
                Next::Call(next) if next.is_sync() && next.args_ready() => call = next,
                Next::Call(next) => {
                    self.stash = Some(next);
                    return;
                }
                // Kill, restart and close are seen again by the mailbox's `next`.
                Next::Kill | Next::Restart | Next::Closed => return,
            }
        }
    }

    /// [`try_next`](Self::try_next) repeated for up to `period`, yielding the CPU between
    /// tries.
    fn poll_next(&mut self, period: Duration) -> Option<Next<A>> {
        let start = std::time::Instant::now();
        loop {
            if let Some(next) = self.try_next() {
                return Some(next);
            }
            if start.elapsed() >= period {
                return None;
            }
            std::thread::yield_now();
        }
    }

    async fn run_concurrent(mut self)
    where
        A: Sync,
    {
        let Some(acquire) = self.acquire() else {
            return;
        };
        let _held = acquire.await;
        let mut groups = Groups::new(self.max_concurrency, &self.group_limits);
        let mut running = JoinSet::new();
        // Copies of the running calls for a retry, by start order; a call removes its
        // copy when it ends, so what is left after a restart was interrupted.
        let in_flight: InFlight<A> = Arc::default();
        let mut launcher = Launcher {
            running: &mut running,
            in_flight: &in_flight,
            started: 0,
        };
        let mut restarts_left = self.max_restarts;
        'life: loop {
            let Some(actor) = self.construct(&mut restarts_left).await else {
                return;
            };
            let state = Arc::new(RwLock::new(actor));
            loop {
                while launcher.running.try_join_next().is_some() {}
                while let Some((call, slot)) = groups.next_ready() {
                    if !launcher.launch(&mut self, call, slot, &state).await {
                        break;
                    }
                }
                let next = tokio::select! {
                    biased;
                    () = groups.freed.notified(), if groups.any_waiting() => continue,
                    next = self.next() => next,
                };
                match next {
                    Next::Call(mut call) => {
                        if let Some(fut) = call.prepare() {
                            if !interruptible(&self.shared, fut).await {
                                continue;
                            }
                        }
                        groups.push(call);
                    }
                    Next::Kill => {
                        launcher.running.shutdown().await;
                        in_flight.lock().clear();
                        drop(groups.take_waiting());
                        drop(state);
                        self.die("killed by kill()");
                        return;
                    }
                    Next::Restart => {
                        launcher.running.shutdown().await;
                        let interrupted = std::mem::take(&mut *in_flight.lock());
                        self.retries.extend(interrupted.into_values());
                        self.retries.extend(groups.take_waiting());
                        drop(state);
                        if !self.restart(&mut restarts_left) {
                            return;
                        }
                        continue 'life;
                    }
                    Next::Closed => {
                        // Calls still waiting for their group run before the actor stops.
                        while groups.any_waiting() {
                            if launcher.running.join_next().await.is_none() {
                                break;
                            }
                            while let Some((call, slot)) = groups.next_ready() {
                                if !launcher.launch(&mut self, call, slot, &state).await {
                                    break;
                                }
                            }
                        }
                        while launcher.running.join_next().await.is_some() {}
                        in_flight.lock().clear();
                        drop(state);
                        self.die("all handles were dropped");
                        return;
                    }
                }
            }
        }
    }
}

/// Starts the calls of a concurrent actor on tasks of their own.
struct Launcher<'r, A> {
    running: &'r mut JoinSet<()>,
    in_flight: &'r InFlight<A>,
    started: u64,
}

impl<A: Send + Sync + 'static> Launcher<'_, A> {
    /// Starts `call` holding `slot`, once it has the access it needs (shared, or alone
    /// for `&mut self`); false if a kill or restart came first (the call is then put
    /// back for the mailbox to see after the signal).
    async fn launch(
        &mut self,
        mb: &mut Mailbox<A>,
        mut call: Box<dyn Call<A>>,
        slot: GroupSlot,
        state: &Arc<RwLock<A>>,
    ) -> bool {
        self.started += 1;
        let ticket = Ticket::new(self.in_flight, self.started, mb.keep_for_retry(&mut call));
        if call.needs_mut() {
            let guard = Arc::clone(state).write_owned();
            let Some(mut guard) = until_signal(&mb.shared, guard).await else {
                ticket.finish();
                mb.stash = Some(call);
                return false;
            };
            let site = mb.site();
            if call.is_sync() {
                self.running.spawn_blocking(move || {
                    if let Some(fut) = call.run_mut(&mut guard, site) {
                        tokio::runtime::Handle::current().block_on(fut);
                    }
                    ticket.finish();
                    drop(slot);
                });
            } else {
                self.running.spawn(async move {
                    if let Some(fut) = call.run_mut(&mut guard, site) {
                        fut.await;
                    }
                    ticket.finish();
                    drop(slot);
                });
            }
        } else {
            let guard = Arc::clone(state).read_owned();
            let Some(guard) = until_signal(&mb.shared, guard).await else {
                ticket.finish();
                mb.stash = Some(call);
                return false;
            };
            let site = mb.site();
            if call.is_sync() {
                self.running.spawn_blocking(move || {
                    if let Some(fut) = call.run_ref(&guard, site) {
                        tokio::runtime::Handle::current().block_on(fut);
                    }
                    ticket.finish();
                    drop(slot);
                });
            } else {
                self.running.spawn(async move {
                    if let Some(fut) = call.run_ref(&guard, site) {
                        fut.await;
                    }
                    ticket.finish();
                    drop(slot);
                });
            }
        }
        true
    }
}

/// The concurrency groups of an actor: the default group (index 0, `max_concurrency`)
/// and the declared ones, each with its slots and its calls waiting for one, in order.
struct Groups<A> {
    slots: Vec<Arc<Semaphore>>,
    waiting: Vec<VecDeque<Box<dyn Call<A>>>>,
    /// Signalled whenever a call gives its slot back.
    freed: Arc<Notify>,
}

impl<A> Groups<A> {
    fn new(max_concurrency: usize, limits: &[usize]) -> Self {
        let slots: Vec<_> = std::iter::once(max_concurrency)
            .chain(limits.iter().copied())
            .map(|n| Arc::new(Semaphore::new(n.min(Semaphore::MAX_PERMITS))))
            .collect();
        Groups {
            waiting: slots.iter().map(|_| VecDeque::new()).collect(),
            slots,
            freed: Arc::new(Notify::new()),
        }
    }

    fn push(&mut self, call: Box<dyn Call<A>>) {
        let group = call.group().min(self.waiting.len() - 1);
        self.waiting[group].push_back(call);
    }

    fn any_waiting(&self) -> bool {
        self.waiting.iter().any(|q| !q.is_empty())
    }

    /// The first waiting call of a group with a free slot, with the slot.
    fn next_ready(&mut self) -> Option<(Box<dyn Call<A>>, GroupSlot)> {
        for (queue, slots) in self.waiting.iter_mut().zip(&self.slots) {
            while queue.front().is_some_and(|c| c.cancelled()) {
                queue.pop_front();
            }
            if queue.is_empty() {
                continue;
            }
            if let Ok(permit) = Arc::clone(slots).try_acquire_owned() {
                let call = queue.pop_front()?;
                let slot = GroupSlot {
                    permit: Some(permit),
                    freed: Arc::clone(&self.freed),
                };
                return Some((call, slot));
            }
        }
        None
    }

    /// Every waiting call, group by group.
    fn take_waiting(&mut self) -> Vec<Box<dyn Call<A>>> {
        self.waiting.iter_mut().flat_map(std::mem::take).collect()
    }
}

/// A running call's place in its group; given back (and announced) when dropped.
struct GroupSlot {
    permit: Option<tokio::sync::OwnedSemaphorePermit>,
    freed: Arc<Notify>,
}

impl Drop for GroupSlot {
    fn drop(&mut self) {
        // Release first, so the woken mailbox finds the slot free.
        drop(self.permit.take());
        self.freed.notify_one();
    }
}

/// Retry copies of the calls running on a concurrent actor, by start order.
type InFlight<A> = Arc<parking_lot::Mutex<BTreeMap<u64, Box<dyn Call<A>>>>>;

/// A running call's entry in [`InFlight`]: removed when the call ends or does not start
/// after all; left behind when a restart aborts the call (dropping the ticket unused).
struct Ticket<A> {
    entry: Option<(InFlight<A>, u64)>,
}

impl<A> Ticket<A> {
    fn new(in_flight: &InFlight<A>, seq: u64, retry: Option<Box<dyn Call<A>>>) -> Self {
        let entry = retry.map(|copy| {
            in_flight.lock().insert(seq, copy);
            (Arc::clone(in_flight), seq)
        });
        Ticket { entry }
    }

    /// The call ended (or was put back unstarted): its retry copy is not needed.
    fn finish(self) {
        if let Some((in_flight, seq)) = self.entry {
            let copy = in_flight.lock().remove(&seq);
            drop(copy);
        }
    }
}

/// Awaits `fut` unless the actor is killed or restarted first; false when interrupted.
async fn interruptible(shared: &ActorShared, fut: BoxFuture<'_, ()>) -> bool {
    until_signal(shared, fut).await.is_some()
}

/// The output of `fut`, or `None` if the actor is killed or restarted first.
async fn until_signal<F: Future>(shared: &ActorShared, fut: F) -> Option<F::Output> {
    let mut signal = pin!(shared.wake.notified());
    signal.as_mut().enable();
    if shared.state() != ALIVE {
        return None;
    }
    tokio::select! {
        biased;
        out = fut => Some(out),
        () = &mut signal => None,
    }
}

/// Picks the concurrent mailbox for `Sync` actors (see `__private::SyncProbe`).
#[doc(hidden)]
pub fn concurrent_runner<A: Send + Sync + 'static>() -> Option<Runner<A>> {
    Some(|mb| Box::pin(mb.run_concurrent()))
}

/// Probe choosing [`concurrent_runner`] when the actor type is `Sync`.
#[doc(hidden)]
pub struct SyncProbe<A>(PhantomData<fn() -> A>);

impl<A> SyncProbe<A> {
    /// A probe for `A`.
    pub fn new() -> Self {
        SyncProbe(PhantomData)
    }
}

impl<A> Default for SyncProbe<A> {
    fn default() -> Self {
        Self::new()
    }
}

/// Chosen when the actor is `Sync`.
#[doc(hidden)]
pub trait ViaSync<A> {
    /// The concurrent mailbox, if the actor allows one.
    fn concurrent_runner(&self) -> Option<Runner<A>>;
}

impl<A: Send + Sync + 'static> ViaSync<A> for SyncProbe<A> {
    fn concurrent_runner(&self) -> Option<Runner<A>> {
        concurrent_runner::<A>()
    }
}

/// Chosen when the actor is not `Sync`.
#[doc(hidden)]
pub trait ViaNotSync<A> {
    /// The concurrent mailbox, if the actor allows one.
    fn concurrent_runner(&self) -> Option<Runner<A>>;
}

impl<A> ViaNotSync<A> for &SyncProbe<A> {
    fn concurrent_runner(&self) -> Option<Runner<A>> {
        None
    }
}

/// Checks an actor's `max_concurrency` (in-process and on a cluster): at least 1, and above
/// 1 or with concurrency groups only for a `Sync` actor type, whose calls then run at once
/// (the result).
pub(crate) fn runs_calls_at_once(
    name: &str,
    max_concurrency: usize,
    grouped: bool,
    sync: bool,
) -> Result<bool> {
    if max_concurrency == 0 {
        return Err(RustyRayError::InvalidArgument(
            "max_concurrency must be at least 1".to_owned(),
        ));
    }
    let at_once = max_concurrency > 1 || grouped;
    if at_once && !sync {
        return Err(RustyRayError::InvalidArgument(format!(
            "max_concurrency > 1 and concurrency groups need the actor type {name} to be Sync"
        )));
    }
    Ok(at_once)
}

/// Checks declared concurrency groups: named, distinct, each allowing a call.
fn check_groups(groups: &[(String, usize)]) -> Result<Vec<(String, usize)>> {
    let mut seen: Vec<(String, usize)> = Vec::with_capacity(groups.len());
    for (name, max) in groups {
        if name.is_empty() || *max == 0 {
            return Err(RustyRayError::InvalidArgument(format!(
                "concurrency group {name:?} needs a name and a max_concurrency of at least 1"
            )));
        }
        if seen.iter().any(|(n, _)| n == name) {
            return Err(RustyRayError::InvalidArgument(format!(
                "concurrency group {name:?} is declared twice"
            )));
        }
        seen.push((name.clone(), *max));
    }
    Ok(seen)
}

/// Creates an actor: registers its name, then starts its mailbox task, which takes the
/// actor's resources and runs the constructor before any call.
#[doc(hidden)]
#[allow(clippy::too_many_arguments)]
pub fn create_actor<A, Args>(
    rt: Option<&Runtime>,
    options: Option<&ActorOptions>,
    args: Args,
    new: Constructor<Args::Output, A>,
    clone_args: fn(&Args::Output) -> Option<Args::Output>,
    concurrent: Option<Runner<A>>,
) -> Submitted<ActorHandle<A>>
where
    A: Actor,
    Args: ResolveArgs,
{
    Submitted::new(create_actor_inner(
        rt,
        options,
        args,
        new,
        clone_args,
        concurrent,
        |mb| Box::pin(mb.run_sequential()),
    ))
}

/// [`create_actor`] for a sequential actor whose mailbox runs on a thread of its own
/// rather than on the runtime's workers: its constructor and every call run on that one
/// thread, as Ray runs a sequential actor on its worker's one thread. The thread ends
/// with the mailbox.
pub(crate) fn create_pinned_actor<A, Args>(
    rt: Option<&Runtime>,
    options: &ActorOptions,
    args: Args,
    new: Constructor<Args::Output, A>,
    clone_args: fn(&Args::Output) -> Option<Args::Output>,
) -> Result<ActorHandle<A>>
where
    A: Actor,
    Args: ResolveArgs,
{
    create_actor_inner(rt, Some(options), args, new, clone_args, None, |mb| {
        Box::pin(run_on_own_thread(mb))
    })
}

/// Starts a thread that drives `mb` (through the runtime's handle, so timers, spawns
/// and the task context work as on a worker) until the actor ends.
async fn run_on_own_thread<A: Send + 'static>(mb: Mailbox<A>) {
    let handle = tokio::runtime::Handle::current();
    let started = std::thread::Builder::new()
        .name("rustyray-actor".to_owned())
        .spawn(move || handle.block_on(mb.run_sequential()));
    // Without a thread the mailbox is dropped: its handles see the actor as dead.
    drop(started);
}

#[allow(clippy::too_many_arguments)]
fn create_actor_inner<A, Args>(
    rt: Option<&Runtime>,
    options: Option<&ActorOptions>,
    args: Args,
    new: Constructor<Args::Output, A>,
    clone_args: fn(&Args::Output) -> Option<Args::Output>,
    concurrent: Option<Runner<A>>,
    sequential: Runner<A>,
) -> Result<ActorHandle<A>>
where
    A: Actor,
    Args: ResolveArgs,
{
    let spec = A::spec();
    let defaults;
    let options = match options {
        Some(o) => o,
        None => {
            defaults = spec.options();
            &defaults
        }
    };
    let (rt, actor_id) = context::with_current(rt, |ctx| {
        let index = ctx.next_task_index();
        let rt = ctx.rt.clone();
        let actor_id = ActorId::of(&rt.inner.job_id, &ctx.task_id, index);
        (rt, actor_id)
    })?;
    if rt.is_shut_down() {
        return Err(RustyRayError::RuntimeShutDown);
    }
    if rt.inner.backend.is_some() {
        // #[rustyray::actor] types go to the backend before this (cluster_actor.rs); the
        // actors built at run time (the Python package's) have no worker side there.
        return Err(crate::backend::not_on_cluster(
            format!("actor {}", spec.name),
            "actors defined at run time (the Python package's) run in-process only",
        ));
    }
    let groups = check_groups(&options.concurrency_groups)?;
    let at_once = runs_calls_at_once(
        spec.name,
        options.max_concurrency,
        !groups.is_empty(),
        concurrent.is_some(),
    )?;
    let runner: Runner<A> = match concurrent {
        Some(runner) if at_once => runner,
        _ => sequential,
    };
    let demand =
        rt.inner
            .resources
            .demand(options.num_cpus, options.num_gpus, &options.resources)?;
    let (tx, rx) = mpsc::unbounded_channel();
    let shared = Arc::new(ActorShared {
        actor_id,
        class: spec.name,
        state: AtomicU8::new(ALIVE),
        wake: Notify::new(),
        reason: OnceLock::new(),
        restarts: AtomicU32::new(0),
    });
    let name = options.name.as_ref().map(|name| ActorName {
        namespace: options
            .namespace
            .clone()
            .unwrap_or_else(|| rt.namespace().to_owned()),
        name: name.clone(),
    });
    let core = Arc::new(ActorCore {
        shared: Arc::clone(&shared),
        tx,
        name: name.clone(),
        groups: groups.iter().map(|(n, _)| n.clone()).collect(),
        remote: None,
    });
    if let Some(n) = &name {
        let registered = rt.inner.named_actors.register(
            &n.namespace,
            &n.name,
            Arc::clone(&core) as Arc<dyn NamedActor>,
        );
        if let Registered::Existing(existing) = registered {
            let ActorName { namespace, name } = n;
            if !options.get_if_exists {
                return Err(RustyRayError::InvalidArgument(format!(
                    "an actor named {name:?} already exists in namespace {namespace:?}"
                )));
            }
            let existing = existing
                .into_any()
                .downcast::<ActorCore<A>>()
                .map_err(|_| {
                    RustyRayError::InvalidArgument(format!(
                        "the actor named {name:?} is not a {}",
                        spec.name
                    ))
                })?;
            return Ok(ActorHandle {
                core: existing,
                rt: rt.clone(),
                group: None,
            });
        }
    }
    let mailbox = Mailbox {
        rx,
        shared,
        factory: Box::new(FactoryImpl {
            args: Some(args),
            spare: None,
            new,
            clone_args,
            keep: options.max_restarts > 0,
            rt: rt.downgrade(),
            actor_id,
        }),
        rt: rt.downgrade(),
        name,
        max_restarts: options.max_restarts,
        max_concurrency: options.max_concurrency,
        group_limits: groups.iter().map(|(_, max)| *max).collect(),
        max_task_retries: options.max_task_retries,
        demand,
        stash: None,
        retries: VecDeque::new(),
        held: Held::new(),
    };
    rt.inner.handle.spawn(runner(mailbox));
    Ok(ActorHandle {
        core,
        rt,
        group: None,
    })
}
