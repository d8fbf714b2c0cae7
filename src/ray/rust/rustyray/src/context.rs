//! The task being executed: its runtime, its ID, its child counters and its control
//! block; and [`RuntimeContext`], what user code can ask about it.

use std::any::Any;
use std::future::Future;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use ray_common::{ActorId, JobId, ObjectId, TaskId};

use crate::control::{self, ControlRef};
use crate::error::{Result, RustyRayError};
use crate::node::{self, Runtime};
use crate::object::ObjectRef;

tokio::task_local! {
    static CURRENT: TaskContext;
}

/// State of the running task (or of the driver).
pub(crate) struct TaskContext {
    pub(crate) rt: Runtime,
    pub(crate) task_id: TaskId,
    driver: bool,
    task_counter: AtomicU64,
    put_counter: AtomicU32,
    num_returns: u32,
    control: Option<ControlRef>,
    actor_id: Option<ActorId>,
    /// The concurrency group of an actor call (0: the default group).
    group: u32,
    /// The producer's end of a streaming call, type-erased (see `generator`).
    stream: Option<Arc<dyn Any + Send + Sync>>,
}

impl TaskContext {
    /// The driver of `rt`; its counters live in the runtime, shared by all driver threads.
    pub(crate) fn driver(rt: Runtime) -> Self {
        let task_id = rt.driver_task_id();
        TaskContext {
            rt,
            task_id,
            driver: true,
            task_counter: AtomicU64::new(0),
            put_counter: AtomicU32::new(0),
            num_returns: 0,
            control: None,
            actor_id: None,
            group: 0,
            stream: None,
        }
    }

    /// A task; normal tasks have a control block, actor calls do not.
    #[inline]
    pub(crate) fn task(rt: Runtime, task_id: TaskId, control: Option<ControlRef>) -> Self {
        TaskContext {
            rt,
            task_id,
            driver: false,
            task_counter: AtomicU64::new(0),
            put_counter: AtomicU32::new(0),
            num_returns: 1,
            control,
            actor_id: None,
            group: 0,
            stream: None,
        }
    }

    /// Marks the task as a call (or the creation) of `actor`.
    #[inline]
    pub(crate) fn of_actor(mut self, actor: ActorId) -> Self {
        self.actor_id = Some(actor);
        self
    }
    /// Marks an actor call as one of concurrency group `group`.
    #[inline]
    pub(crate) fn in_group(mut self, group: u32) -> Self {
        self.group = group;
        self
    }

    /// Sets how many objects the task returns (`put` indexes follow them).
    #[inline]
    pub(crate) fn with_num_returns(mut self, n: u32) -> Self {
        self.num_returns = n;
        self
    }

    /// Makes `stream` the running call's output stream.
    #[inline]
    pub(crate) fn with_stream(mut self, stream: Option<Arc<dyn Any + Send + Sync>>) -> Self {
        self.stream = stream;
        self
    }

    /// Index of the next child task (1-based, as Ray's task counter).
    pub(crate) fn next_task_index(&self) -> u64 {
        if self.driver {
            self.rt
                .inner
                .driver_task_counter
                .fetch_add(1, Ordering::Relaxed)
                + 1
        } else {
            self.task_counter.fetch_add(1, Ordering::Relaxed) + 1
        }
    }

    /// Object index of the next `put`: after the task's return values, as in Ray.
    pub(crate) fn next_put_index(&self) -> u32 {
        let n = if self.driver {
            self.rt
                .inner
                .driver_put_counter
                .fetch_add(1, Ordering::Relaxed)
        } else {
            self.put_counter.fetch_add(1, Ordering::Relaxed)
        };
        self.num_returns.saturating_add(n).saturating_add(1)
    }

    /// Stores `value` as the next `put` of this task.
    pub(crate) fn put<T: Send + Sync + 'static>(&self, value: T) -> Result<ObjectRef<T>> {
        let index = self.next_put_index();
        let id = ObjectId::from_index(&self.task_id, index)
            .map_err(|e| RustyRayError::InvalidArgument(e.to_string()))?;
        let cell = self.rt.inner.store.create_ready(id, value)?;
        Ok(ObjectRef { cell })
    }

    pub(crate) async fn scope<F: Future>(self, f: F) -> F::Output {
        control::install_lookup(current_control);
        CURRENT.scope(self, f).await
    }

    pub(crate) fn sync_scope<R>(self, f: impl FnOnce() -> R) -> R {
        control::install_lookup(current_control);
        CURRENT.sync_scope(self, f)
    }
}

/// The control block of the running task (none for the driver and actor calls).
fn current_control() -> Option<ControlRef> {
    CURRENT.try_with(|ctx| ctx.control.clone()).ok().flatten()
}

/// Runs `f` with the current task's context, or with the driver context of `explicit`
/// (or of the global runtime) when there is no task or it belongs to another runtime.
pub(crate) fn with_current<R>(
    explicit: Option<&Runtime>,
    f: impl FnOnce(&TaskContext) -> R,
) -> Result<R> {
    let in_task = CURRENT
        .try_with(|ctx| explicit.is_none_or(|rt| rt.same(&ctx.rt)))
        .unwrap_or(false);
    if in_task {
        return CURRENT
            .try_with(f)
            .map_err(|_| RustyRayError::NotInitialised);
    }
    let rt = match explicit {
        Some(rt) => rt.clone(),
        None => match node::of_this_thread() {
            Some(rt) => rt,
            None => node::global()?,
        },
    };
    Ok(f(&TaskContext::driver(rt)))
}

/// The running task with its runtime and, for an actor's call, the actor.
pub(crate) fn current_task_of_actor() -> Option<(Runtime, TaskId, Option<ActorId>)> {
    CURRENT
        .try_with(|ctx| (ctx.rt.clone(), ctx.task_id, ctx.actor_id))
        .ok()
}

/// The concurrency group of the running actor call (0: the default group, or no call).
pub(crate) fn current_group() -> u32 {
    CURRENT.try_with(|ctx| ctx.group).unwrap_or(0)
}

/// The output stream of the running streaming call, if any.
pub(crate) fn current_stream() -> Option<Arc<dyn Any + Send + Sync>> {
    CURRENT.try_with(|ctx| ctx.stream.clone()).ok().flatten()
}

/// The runtime of the running task, if any.
pub(crate) fn current_runtime() -> Option<Runtime> {
    CURRENT.try_with(|ctx| ctx.rt.clone()).ok()
}

/// What the running code can learn about where it runs (Ray's
/// `ray.get_runtime_context()`): its job, its task, its actor, and whether its task was
/// cancelled.
///
/// ```
/// #[rustyray::remote]
/// fn whoami() -> (rustyray::TaskId, bool) {
///     let ctx = rustyray::get_runtime_context();
///     (ctx.get_task_id().expect("in a task"), ctx.is_cancelled())
/// }
///
/// # fn main() -> rustyray::Result<()> {
/// let rt = rustyray::Runtime::builder().num_cpus(1.0).build()?;
/// let r = whoami::remote_on(&rt).into_result()?;
/// assert_eq!(r.get_blocking()?, (r.task_id(), false));
/// let driver = rt.block_on(async { rustyray::get_runtime_context() });
/// assert_eq!(driver.get_job_id(), Some(rt.job_id()));
/// assert_eq!(driver.get_task_id(), None);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct RuntimeContext {
    job_id: Option<JobId>,
    namespace: Option<String>,
    task_id: Option<TaskId>,
    actor_id: Option<ActorId>,
    control: Option<ControlRef>,
}

impl std::fmt::Debug for RuntimeContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeContext")
            .field("job_id", &self.job_id)
            .field("namespace", &self.namespace)
            .field("task_id", &self.task_id)
            .field("actor_id", &self.actor_id)
            .finish()
    }
}

impl RuntimeContext {
    /// The job (one per runtime); `None` outside any runtime.
    pub fn get_job_id(&self) -> Option<JobId> {
        self.job_id
    }

    /// The job's namespace (Ray's `ray.get_runtime_context().namespace`), where actor
    /// names are looked up by default; `None` outside any runtime.
    pub fn get_namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The running task: a normal task, an actor call or an actor's creation; `None`
    /// in the driver.
    pub fn get_task_id(&self) -> Option<TaskId> {
        self.task_id
    }

    /// The actor whose method (or constructor) is running.
    pub fn get_actor_id(&self) -> Option<ActorId> {
        self.actor_id
    }

    /// True once the running normal task was cancelled (or its runtime shut down): the
    /// cancellation point of synchronous code, which cannot be interrupted otherwise.
    pub fn is_cancelled(&self) -> bool {
        self.control.as_ref().is_some_and(|c| c.is_cancelled())
    }
}

/// The context of the running code (Ray's `ray.get_runtime_context()`).
pub fn get_runtime_context() -> RuntimeContext {
    let in_task = CURRENT.try_with(|ctx| RuntimeContext {
        job_id: Some(ctx.rt.job_id()),
        namespace: Some(ctx.rt.namespace().to_owned()),
        task_id: (!ctx.driver).then_some(ctx.task_id),
        actor_id: ctx.actor_id,
        control: ctx.control.clone(),
    });
    match in_task {
        Ok(ctx) => ctx,
        Err(_) => {
            // No task here: the runtime owning this thread, else the global one.
            let rt = node::of_this_thread().or_else(|| node::global().ok());
            RuntimeContext {
                job_id: rt.as_ref().map(Runtime::job_id),
                namespace: rt.as_ref().map(|rt| rt.namespace().to_owned()),
                ..RuntimeContext::default()
            }
        }
    }
}

/// Short for [`get_runtime_context`]: `rustyray::context().is_cancelled()`.
pub fn context() -> RuntimeContext {
    get_runtime_context()
}
