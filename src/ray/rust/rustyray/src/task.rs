//! Task arguments, submission and execution.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use futures::FutureExt;
use ray_common::TaskId;

use crate::backend::{EncodedArg, LocalObject, RemoteObject, StoredCopy};
use crate::context::{self, TaskContext};
use crate::control::{ControlRef, Output};
use crate::error::{panic_message, Result, RustyRayError, TaskCause};
use crate::node::Runtime;
use crate::object::{ObjectCell, ObjectRef};
use crate::options::{FunctionSpec, TaskOptions};
use crate::resources::{Demand, Grant};
use crate::retry::RetryExceptions;
use crate::returns::{NewReturns, Returns};

/// An argument of a remote call: a value, or a reference resolved before the call runs.
pub struct Arg<T>(ArgInner<T>);

enum ArgInner<T> {
    Value(T),
    Ref(Arc<dyn RefArg<T>>),
}

/// A referenced argument, type-erased so `Arg<T>` is `Send` for any `Send` `T`.
trait RefArg<T>: Send + Sync {
    fn is_ready(&self) -> bool;
    fn take(&self) -> Result<T>;
    fn wait(&self) -> BoxFuture<'_, ()>;
    fn remote(&self) -> Option<Arc<dyn RemoteObject>>;
    fn stored_copy(self: Arc<Self>) -> Arc<dyn StoredCopy>;
}

impl<T: Clone + Send + Sync + 'static> RefArg<T> for ObjectCell<T> {
    fn is_ready(&self) -> bool {
        self.is_complete()
    }

    fn take(&self) -> Result<T> {
        match self.peek() {
            Some(r) => r.clone(),
            None => Err(RustyRayError::ObjectLost(self.id())),
        }
    }

    fn wait(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            self.ready().await;
        })
    }

    fn remote(&self) -> Option<Arc<dyn RemoteObject>> {
        ObjectCell::remote(self).cloned()
    }

    fn stored_copy(self: Arc<Self>) -> Arc<dyn StoredCopy> {
        self
    }
}

impl<T> Arg<T> {
    /// An argument passed by value.
    pub fn value(value: T) -> Self {
        Arg(ArgInner::Value(value))
    }

    /// The argument for a cluster task: a cluster object by reference, a value encoded, an
    /// in-process object (once it is ready) encoded to be stored in the backend, or by
    /// reference to the copy stored there by an earlier call.
    pub(crate) fn encode_for_cluster(
        self,
        encode: impl FnOnce(&T) -> std::result::Result<Vec<u8>, String>,
    ) -> std::result::Result<EncodedArg, String> {
        match self.0 {
            ArgInner::Value(v) => encode(&v).map(EncodedArg::Value),
            ArgInner::Ref(r) => {
                if let Some(remote) = r.remote() {
                    return Ok(EncodedArg::Object(remote));
                }
                if !r.is_ready() {
                    return Err("an in-process object that is not ready yet cannot be \
                                passed to a cluster task"
                        .to_owned());
                }
                let object = Arc::clone(&r).stored_copy();
                if let Some(stored) = object.stored() {
                    return Ok(EncodedArg::Object(stored));
                }
                let value = r.take().map_err(|e| e.to_string())?;
                encode(&value).map(|bytes| EncodedArg::Local(LocalObject::new(bytes, object)))
            }
        }
    }

    pub(crate) fn is_ready(&self) -> bool {
        match &self.0 {
            ArgInner::Value(_) => true,
            ArgInner::Ref(r) => r.is_ready(),
        }
    }

    pub(crate) fn take_ready(self) -> Result<T> {
        match self.0 {
            ArgInner::Value(v) => Ok(v),
            ArgInner::Ref(r) => r.take(),
        }
    }

    pub(crate) async fn resolve(self) -> Result<T> {
        if let ArgInner::Ref(r) = &self.0 {
            if !r.is_ready() {
                r.wait().await;
            }
        }
        self.take_ready()
    }
}

/// Conversion of a call-site argument into the parameter type `T` of a remote function:
/// `T` itself, or an `ObjectRef<T>` (or `&ObjectRef<T>`) whose value is passed.
#[diagnostic::on_unimplemented(
    message = "a remote call expects `{T}` (or `ObjectRef<{T}>`) here, found `{Self}`",
    label = "expected `{T}` or `ObjectRef<{T}>`"
)]
pub trait IntoArg<T> {
    /// Converts the argument.
    fn into_arg(self) -> Arg<T>;
}

impl<T> IntoArg<T> for T {
    fn into_arg(self) -> Arg<T> {
        Arg(ArgInner::Value(self))
    }
}

impl<T: Clone + Send + Sync + 'static> IntoArg<T> for ObjectRef<T> {
    fn into_arg(self) -> Arg<T> {
        Arg(ArgInner::Ref(self.cell))
    }
}

impl<T: Clone + Send + Sync + 'static> IntoArg<T> for &ObjectRef<T> {
    fn into_arg(self) -> Arg<T> {
        Arg(ArgInner::Ref(self.cell.clone()))
    }
}

/// A tuple of [`Arg`]s that resolves to the tuple of their values.
pub trait ResolveArgs: Send + 'static {
    /// The resolved values.
    type Output: Send + 'static;
    /// True when every argument is available now.
    fn ready(&self) -> bool;
    /// The values, if [`ready`](Self::ready).
    fn take_ready(self) -> Result<Self::Output>;
    /// Waits for the referenced objects and returns the values.
    fn resolve(self) -> impl Future<Output = Result<Self::Output>> + Send;
}

macro_rules! resolve_tuple {
    ($($t:ident $v:ident),*) => {
        impl<$($t: Send + 'static),*> ResolveArgs for ($(Arg<$t>,)*) {
            type Output = ($($t,)*);

            #[allow(unused_variables)]
            fn ready(&self) -> bool {
                let ($($v,)*) = self;
                true $(&& $v.is_ready())*
            }

            fn take_ready(self) -> Result<Self::Output> {
                let ($($v,)*) = self;
                Ok(($($v.take_ready()?,)*))
            }

            #[allow(clippy::manual_async_fn)]
            fn resolve(self) -> impl Future<Output = Result<Self::Output>> + Send {
                async move {
                    let ($($v,)*) = self;
                    Ok(($($v.resolve().await?,)*))
                }
            }
        }
    };
}

resolve_tuple!();
resolve_tuple!(A a);
resolve_tuple!(A a, B b);
resolve_tuple!(A a, B b, C c);
resolve_tuple!(A a, B b, C c, D d);
resolve_tuple!(A a, B b, C c, D d, E e);
resolve_tuple!(A a, B b, C c, D d, E e, F f);
resolve_tuple!(A a, B b, C c, D d, E e, F f, G g);
resolve_tuple!(A a, B b, C c, D d, E e, F f, G g, H h);
resolve_tuple!(A a, B b, C c, D d, E e, F f, G g, H h, I i);
resolve_tuple!(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j);
resolve_tuple!(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k);
resolve_tuple!(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k, L l);

/// A submitted call: already running (or queued); awaiting it yields the handle or the
/// submission error without waiting for the task.
#[must_use = "the task is submitted; await this to get its ObjectRef or the submission error"]
#[derive(Debug)]
pub struct Submitted<T>(Option<Result<T>>);

impl<T> Unpin for Submitted<T> {}

impl<T> Submitted<T> {
    pub(crate) fn new(result: Result<T>) -> Self {
        Submitted(Some(result))
    }

    /// Converts the submitted value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Submitted<U> {
        Submitted(self.0.map(|r| r.map(f)))
    }

    /// The submission's outcome, without awaiting.
    pub fn into_result(self) -> Result<T> {
        self.0.unwrap_or_else(|| {
            Err(RustyRayError::InvalidArgument(
                "submission already consumed".to_owned(),
            ))
        })
    }
}

impl<T> Future for Submitted<T> {
    type Output = Result<T>;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Result<T>> {
        Poll::Ready(self.0.take().unwrap_or_else(|| {
            Err(RustyRayError::InvalidArgument(
                "submission polled after completion".to_owned(),
            ))
        }))
    }
}

/// How a call runs: whether and how often it may be retried.
#[derive(Clone)]
pub(crate) struct Attempts {
    pub(crate) task_id: TaskId,
    pub(crate) function: &'static str,
    /// Retries left after the first attempt (Ray's `max_retries`).
    pub(crate) retries: u32,
    /// Which failures deserve one (Ray's `retry_exceptions`).
    pub(crate) retry_on: RetryExceptions,
}

/// How an attempt failed: the user's error, or a panic's message.
type Failure = std::result::Result<TaskCause, String>;

impl Attempts {
    fn failure(&self, outcome: Failure) -> RustyRayError {
        match outcome {
            Ok(cause) => RustyRayError::TaskFailed {
                task_id: self.task_id,
                function: self.function,
                cause,
            },
            Err(message) => RustyRayError::TaskPanicked {
                task_id: self.task_id,
                function: self.function,
                message,
            },
        }
    }

    /// Retries left, or 0 when no failure would be retried (then the arguments are not
    /// copied before each attempt).
    fn budget(&self) -> u32 {
        if self.retry_on.is_enabled() {
            self.retries
        } else {
            0
        }
    }

    fn covers(&self, outcome: &Failure) -> bool {
        match outcome {
            Ok(cause) => self.retry_on.retries_error(&**cause),
            Err(_) => self.retry_on.retries_panics(),
        }
    }

    fn split<I>(retries_left: u32, args: I, clone_args: fn(&I) -> Option<I>) -> (I, Option<I>) {
        if retries_left > 0 {
            if let Some(copy) = clone_args(&args) {
                return (copy, Some(args));
            }
        }
        (args, None)
    }

    pub(crate) async fn run_async<I, R, F, Fut>(
        &self,
        args: I,
        body: F,
        clone_args: fn(&I) -> Option<I>,
    ) -> Result<R>
    where
        F: Fn(I) -> Fut,
        Fut: Future<Output = std::result::Result<R, TaskCause>>,
    {
        let mut args = args;
        let mut left = self.budget();
        loop {
            let (this, spare) = Self::split(left, args, clone_args);
            let outcome = match AssertUnwindSafe(body(this)).catch_unwind().await {
                Ok(Ok(v)) => return Ok(v),
                Ok(Err(cause)) => Ok(cause),
                Err(payload) => Err(panic_message(&*payload)),
            };
            match spare {
                Some(a) if self.covers(&outcome) => {
                    left -= 1;
                    args = a;
                }
                _ => return Err(self.failure(outcome)),
            }
        }
    }

    pub(crate) fn run_sync<I, R, F>(
        &self,
        args: I,
        body: F,
        clone_args: fn(&I) -> Option<I>,
    ) -> Result<R>
    where
        F: Fn(I) -> std::result::Result<R, TaskCause>,
    {
        let mut args = args;
        let mut left = self.budget();
        loop {
            let (this, spare) = Self::split(left, args, clone_args);
            let outcome = match std::panic::catch_unwind(AssertUnwindSafe(|| body(this))) {
                Ok(Ok(v)) => return Ok(v),
                Ok(Err(cause)) => Ok(cause),
                Err(payload) => Err(panic_message(&*payload)),
            };
            match spare {
                Some(a) if self.covers(&outcome) => {
                    left -= 1;
                    args = a;
                }
                _ => return Err(self.failure(outcome)),
            }
        }
    }
}

struct Prepared<Ret: Returns> {
    rt: Runtime,
    attempts: Attempts,
    demand: Demand,
    writers: Ret::Writers,
    refs: Ret::Refs,
    control: ControlRef,
}

/// A control block for a task whose outputs are `cells`, registered with them (for
/// `cancel`) and with the submitting task (for recursive cancellation).
pub(crate) fn control_for<R: Send + Sync + 'static>(
    task_id: TaskId,
    cells: &[&Arc<ObjectCell<R>>],
) -> ControlRef {
    let outputs = cells
        .iter()
        .map(|c| Arc::downgrade(*c) as std::sync::Weak<dyn Output>)
        .collect();
    ControlRef::producing(task_id, outputs)
}

/// The runtime a new normal task goes to (`rt`, else the caller's) and the task's ID,
/// derived from the submitting task; fails once that runtime has shut down.
pub(crate) fn next_normal_task(rt: Option<&Runtime>) -> Result<(Runtime, TaskId)> {
    let (rt, task_id) = context::with_current(rt, |ctx| {
        let index = ctx.next_task_index();
        let rt = ctx.rt.clone();
        let task_id = TaskId::for_normal_task(&rt.inner.job_id, &ctx.task_id, index);
        (rt, task_id)
    })?;
    if rt.is_shut_down() {
        return Err(RustyRayError::RuntimeShutDown);
    }
    Ok((rt, task_id))
}

fn prepare<Ret: Returns>(
    rt: Option<&Runtime>,
    spec: &'static FunctionSpec,
    options: Option<&TaskOptions>,
) -> Result<Prepared<Ret>> {
    let (rt, task_id) = next_normal_task(rt)?;
    let resources = &rt.inner.resources;
    let (demand, max_retries, retry_exceptions) = match options {
        Some(o) => (
            o.demand(resources)?,
            o.max_retries,
            o.retry_exceptions.clone(),
        ),
        None => (
            resources.demand(spec.num_cpus, spec.num_gpus, spec.resources)?,
            spec.max_retries,
            spec.retry_exceptions.clone(),
        ),
    };
    let mut new = NewReturns::of_normal_task(&rt.inner.store, task_id);
    let (writers, refs) = Ret::create(&mut new)?;
    let control = new.into_control();
    Ok(Prepared {
        control,
        attempts: Attempts {
            task_id,
            function: spec.name,
            retries: if Ret::STREAMING { 0 } else { max_retries },
            retry_on: retry_exceptions,
        },
        demand,
        writers,
        refs,
        rt,
    })
}

/// Submits a call of an `async` remote function.
#[doc(hidden)]
pub fn submit_async<A, Ret, F, Fut>(
    rt: Option<&Runtime>,
    spec: &'static FunctionSpec,
    options: Option<&TaskOptions>,
    args: A,
    body: F,
    clone_args: fn(&A::Output) -> Option<A::Output>,
) -> Submitted<Ret::Refs>
where
    A: ResolveArgs,
    Ret: Returns,
    F: Fn(A::Output) -> Fut + Send + 'static,
    Fut: Future<Output = std::result::Result<Ret::Value, TaskCause>> + Send + 'static,
{
    let p = match prepare::<Ret>(rt, spec, options) {
        Ok(p) => p,
        Err(e) => return Submitted::new(Err(e)),
    };
    let Prepared {
        rt,
        attempts,
        demand,
        writers,
        refs,
        control,
    } = p;
    let handle = rt.inner.handle.clone();
    let abort = control.clone();
    let task = async move {
        if Ret::is_complete(&writers) {
            return;
        }
        let args = match args.resolve().await {
            Ok(a) => a,
            Err(e) => return Ret::complete(&writers, Err(e)),
        };
        let grant = rt.inner.resources.acquire(demand).await;
        let Some(running) = control.start(grant) else {
            return;
        };
        let ctx = TaskContext::task(rt, attempts.task_id, Some(control))
            .with_num_returns(Ret::COUNT)
            .with_stream(Ret::stream(&writers));
        let result = ctx.scope(attempts.run_async(args, body, clone_args)).await;
        // Resources are free by the time the result is visible.
        drop(running);
        Ret::complete(&writers, result);
    };
    let join = handle.spawn(task);
    abort.set_abort(join.abort_handle());
    Submitted::new(Ok(refs))
}

/// Submits a call of a synchronous remote function; it runs on the blocking pool.
#[doc(hidden)]
pub fn submit_blocking<A, Ret, F>(
    rt: Option<&Runtime>,
    spec: &'static FunctionSpec,
    options: Option<&TaskOptions>,
    args: A,
    body: F,
    clone_args: fn(&A::Output) -> Option<A::Output>,
) -> Submitted<Ret::Refs>
where
    A: ResolveArgs,
    Ret: Returns,
    F: Fn(A::Output) -> std::result::Result<Ret::Value, TaskCause> + Send + 'static,
{
    let p = match prepare::<Ret>(rt, spec, options) {
        Ok(p) => p,
        Err(e) => return Submitted::new(Err(e)),
    };
    let Prepared {
        rt,
        attempts,
        demand,
        writers,
        refs,
        control,
    } = p;
    let handle = rt.inner.handle.clone();
    let abort = control.clone();
    let run = move |rt: Runtime, grant: Grant, args: A::Output, writers: Ret::Writers| {
        let Some(running) = control.start(grant) else {
            return;
        };
        let ctx = TaskContext::task(rt, attempts.task_id, Some(control))
            .with_num_returns(Ret::COUNT)
            .with_stream(Ret::stream(&writers));
        let result = ctx.sync_scope(|| attempts.run_sync(args, body, clone_args));
        drop(running);
        Ret::complete(&writers, result);
    };
    if args.ready() {
        if let Some(grant) = rt.inner.resources.try_acquire(&demand) {
            let join = match args.take_ready() {
                Ok(args) => handle.spawn_blocking(move || run(rt, grant, args, writers)),
                Err(e) => {
                    Ret::complete(&writers, Err(e));
                    return Submitted::new(Ok(refs));
                }
            };
            abort.set_abort(join.abort_handle());
            return Submitted::new(Ok(refs));
        }
    }
    let blocking = handle.clone();
    let task = async move {
        if Ret::is_complete(&writers) {
            return;
        }
        let args = match args.resolve().await {
            Ok(a) => a,
            Err(e) => return Ret::complete(&writers, Err(e)),
        };
        let grant = rt.inner.resources.acquire(demand).await;
        let _ = blocking
            .spawn_blocking(move || run(rt, grant, args, writers))
            .await;
    };
    let join = handle.spawn(task);
    abort.set_abort(join.abort_handle());
    Submitted::new(Ok(refs))
}
