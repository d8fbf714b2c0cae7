//! The control block of a task: the resources it holds, whether it is blocked in a
//! `get`/`wait`, whether it was cancelled, and the tasks it submitted.
//!
//! This is the layer below objects and contexts: it knows resources and errors only, so
//! the object store can consult the current task (to lend its CPU while a `get` waits, and
//! to stop waiting when the task is cancelled) without depending on the runtime.
//!
//! A task with one return object keeps its control block inside that object's allocation
//! (a [`ControlHost`]): one allocation per task fewer, made by the submitting thread and
//! often freed by another, which glibc's allocator makes the costlier part of a block.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, Weak};

use parking_lot::Mutex;
use ray_common::TaskId;
use tokio::sync::Notify;
use tokio::task::AbortHandle;

use crate::error::{Result, RustyRayError};
use crate::resources::Grant;

/// How the running task's control block is found. The task context, a layer above,
/// holds it and installs this lookup when it first runs a task; a second task-local for
/// the control block alone would cost every poll of every task.
static LOOKUP: OnceLock<fn() -> Option<ControlRef>> = OnceLock::new();

/// Installs the lookup of the running task's control block (once; later calls are no-ops).
pub(crate) fn install_lookup(lookup: fn() -> Option<ControlRef>) {
    if LOOKUP.get().is_none() {
        let _ = LOOKUP.set(lookup);
    }
}

/// An output object of a task, as its control block sees it: something to fail when the
/// task is cancelled.
pub(crate) trait Output: Send + Sync {
    /// Completes the object with `error` unless it is complete; true if it was not.
    fn fail(&self, error: RustyRayError) -> bool;
    /// Records `control` as the object's producer, for cancellation through the object.
    fn set_control(&self, control: ControlRef);
}

/// What holds a control block: the block itself, or the single output object of its task.
pub(crate) trait ControlHost: Send + Sync {
    /// The block held.
    fn control(&self) -> &TaskControl;
    /// Fails the host itself when it is the task's output; true if it was pending.
    fn fail_host(&self, error: &RustyRayError) -> bool;
}

impl ControlHost for TaskControl {
    fn control(&self) -> &TaskControl {
        self
    }

    fn fail_host(&self, _: &RustyRayError) -> bool {
        false
    }
}

/// A control block of no task: what a host without one answers (never reached: a host
/// hands out a [`ControlRef`] only for the block it keeps).
pub(crate) fn inert() -> &'static TaskControl {
    static INERT: std::sync::LazyLock<TaskControl> = std::sync::LazyLock::new(|| {
        TaskControl::bare(<TaskId as ray_common::RayId>::nil(), Outputs::None)
    });
    &INERT
}

/// A shared reference to a task's control block, wherever it is kept.
#[derive(Clone)]
pub(crate) struct ControlRef(Arc<dyn ControlHost>);

impl std::ops::Deref for ControlRef {
    type Target = TaskControl;

    fn deref(&self) -> &TaskControl {
        self.0.control()
    }
}

impl ControlRef {
    /// A new control block producing `outputs`, registered with each of them (for
    /// `cancel` through any) and with the submitting task (for recursive cancellation).
    pub(crate) fn producing(task_id: TaskId, outputs: Outputs) -> Self {
        let control = ControlRef::hosted(Arc::new(TaskControl::bare(task_id, outputs)));
        for o in control.outputs.iter().filter_map(Weak::upgrade) {
            o.set_control(control.clone());
        }
        control
    }

    /// The control block kept by `host`.
    pub(crate) fn of(host: Arc<dyn ControlHost>) -> Self {
        ControlRef(host)
    }

    /// The control block kept by `host`, registered with the submitting task (for
    /// recursive cancellation).
    pub(crate) fn hosted(host: Arc<dyn ControlHost>) -> Self {
        let control = ControlRef(host);
        if let Some(parent) = current() {
            parent.adopt(&control);
        }
        control
    }

    /// Starts running with `grant`; `None` (and the grant given back) if the task was
    /// cancelled meanwhile. The returned guard gives the resources back when the task
    /// ends or its future is dropped.
    pub(crate) fn start(&self, grant: Grant) -> Option<Running> {
        let mut state = self.state.lock();
        if self.is_cancelled() {
            drop(state);
            drop(grant);
            return None;
        }
        state.grant = Some(grant);
        Some(Running(self.clone()))
    }

    /// Cancels the task: its outputs fail with `Cancelled`, its resources are given back
    /// at once, its async code is dropped at its next await point, waits inside it return
    /// `Cancelled`, and with `recursive` the tasks it submitted are cancelled too.
    /// Synchronous code runs on until it returns or checks
    /// `rustyray::context().is_cancelled()`. True if an output was still pending.
    pub(crate) fn cancel(&self, recursive: bool) -> bool {
        let error = RustyRayError::Cancelled {
            task_id: self.task_id,
        };
        let mut failed = self.0.fail_host(&error);
        for output in self.outputs.iter() {
            if let Some(o) = output.upgrade() {
                failed |= o.fail(error.clone());
            }
        }
        if self.cancelled.swap(true, Ordering::SeqCst) {
            return failed;
        }
        let (grant, children, abort) = {
            let mut state = self.state.lock();
            let children = if recursive {
                std::mem::take(&mut state.children)
            } else {
                Vec::new()
            };
            (state.grant.take(), children, state.abort.take())
        };
        drop(grant);
        self.on_cancel.notify_waiters();
        if let Some(h) = abort {
            h.abort();
        }
        for child in children.iter().filter_map(Weak::upgrade) {
            ControlRef(child).cancel(true);
        }
        failed
    }
}

/// The outputs of a task. Most tasks have one, kept inline so the control block costs a
/// single allocation.
#[derive(Default)]
pub(crate) enum Outputs {
    #[default]
    None,
    One(Weak<dyn Output>),
    Many(Vec<Weak<dyn Output>>),
}

impl Outputs {
    pub(crate) fn push(&mut self, output: Weak<dyn Output>) {
        *self = match std::mem::take(self) {
            Outputs::None => Outputs::One(output),
            Outputs::One(first) => Outputs::Many(vec![first, output]),
            Outputs::Many(mut all) => {
                all.push(output);
                Outputs::Many(all)
            }
        };
    }

    fn iter(&self) -> std::slice::Iter<'_, Weak<dyn Output>> {
        match self {
            Outputs::None => [].iter(),
            Outputs::One(o) => std::slice::from_ref(o).iter(),
            Outputs::Many(all) => all.iter(),
        }
    }
}

impl FromIterator<Weak<dyn Output>> for Outputs {
    fn from_iter<I: IntoIterator<Item = Weak<dyn Output>>>(iter: I) -> Self {
        let mut out = Outputs::None;
        for o in iter {
            out.push(o);
        }
        out
    }
}

struct State {
    grant: Option<Grant>,
    /// Number of `get`/`wait` futures of this task currently waiting. The CPU is lent
    /// when the first starts waiting and taken back when the last one ends (or is
    /// dropped), so concurrent gets (`join!`) and abandoned ones (timeouts, `select!`)
    /// neither hold the CPU while waiting nor lose it.
    blocked: u32,
    children: Vec<Weak<dyn ControlHost>>,
    /// Prune dead children when the list reaches this length.
    prune_at: usize,
    /// The tokio task running this task, aborted on cancellation.
    abort: Option<AbortHandle>,
}

/// The control block of one normal task.
pub(crate) struct TaskControl {
    task_id: TaskId,
    state: Mutex<State>,
    cancelled: AtomicBool,
    on_cancel: Notify,
    outputs: Outputs,
}

impl TaskControl {
    /// A control block registered nowhere yet: for a [`ControlHost`] to keep.
    pub(crate) fn bare(task_id: TaskId, outputs: Outputs) -> Self {
        TaskControl {
            task_id,
            state: Mutex::new(State {
                grant: None,
                blocked: 0,
                children: Vec::new(),
                prune_at: 8,
                abort: None,
            }),
            cancelled: AtomicBool::new(false),
            on_cancel: Notify::new(),
            outputs,
        }
    }

    fn adopt(&self, child: &ControlRef) {
        let mut state = self.state.lock();
        if state.children.len() >= state.prune_at {
            state.children.retain(|c| c.strong_count() > 0);
            state.prune_at = (state.children.len() * 2).max(8);
        }
        state.children.push(Arc::downgrade(&child.0));
    }

    /// The tokio task running this task, aborted on cancellation.
    pub(crate) fn set_abort(&self, handle: AbortHandle) {
        let mut state = self.state.lock();
        if self.is_cancelled() {
            handle.abort();
        }
        state.abort = Some(handle);
    }

    /// True once the task was cancelled (or its runtime shut down).
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// Awaits `f` as a wait of this task: the CPU is lent meanwhile, and the wait ends
    /// with `Cancelled` if the task is cancelled.
    pub(crate) async fn blocked_on<F: Future>(&self, f: F) -> Result<F::Output> {
        let cancelled = || RustyRayError::Cancelled {
            task_id: self.task_id,
        };
        let mut notified = pin!(self.on_cancel.notified());
        notified.as_mut().enable();
        if self.is_cancelled() {
            return Err(cancelled());
        }
        // What is ready at once does not block the task: it keeps its CPU (as Ray's `get`
        // of a ready object does not release it).
        let mut f = pin!(f);
        if let std::task::Poll::Ready(out) = futures::poll!(f.as_mut()) {
            return Ok(out);
        }
        let _blocked = Blocked::new(self);
        tokio::select! {
            biased;
            out = f => Ok(out),
            () = notified => Err(cancelled()),
        }
    }
}

/// A task's wait; lends the CPU on the first, takes it back after the last.
struct Blocked<'a>(&'a TaskControl);

impl<'a> Blocked<'a> {
    fn new(control: &'a TaskControl) -> Self {
        let mut state = control.state.lock();
        state.blocked += 1;
        if state.blocked == 1 {
            if let Some(grant) = state.grant.as_mut() {
                grant.lend_cpu();
            }
        }
        Blocked(control)
    }
}

impl Drop for Blocked<'_> {
    fn drop(&mut self) {
        let mut state = self.0.state.lock();
        state.blocked = state.blocked.saturating_sub(1);
        if state.blocked == 0 {
            if let Some(grant) = state.grant.as_mut() {
                grant.retake_cpu();
            }
        }
    }
}

/// A running task's hold on its resources; gives them back when dropped.
pub(crate) struct Running(ControlRef);

impl Drop for Running {
    fn drop(&mut self) {
        let grant = self.0.state.lock().grant.take();
        drop(grant);
    }
}

/// The control block of the current task, if it is a normal task.
pub(crate) fn current() -> Option<ControlRef> {
    LOOKUP.get().and_then(|lookup| lookup())
}

/// Awaits `f` as a wait of the current task (see [`TaskControl::blocked_on`]); outside
/// normal tasks, simply awaits it.
pub(crate) async fn blocked<F: Future>(f: F) -> Result<F::Output> {
    match current() {
        Some(control) => control.blocked_on(f).await,
        None => Ok(f.await),
    }
}
