//! The task being executed: its runtime, its ID, its child counters and its CPU.

use std::future::Future;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use parking_lot::Mutex;
use ray_common::{ObjectId, TaskId};

use crate::error::{Result, RustyRayError};
use crate::object::ObjectRef;
use crate::resources::CpuPermit;
use crate::runtime::{self, Runtime};

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
    cpu: Mutex<Option<CpuPermit>>,
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
            cpu: Mutex::new(None),
        }
    }

    pub(crate) fn task(rt: Runtime, task_id: TaskId, cpu: Option<CpuPermit>) -> Self {
        TaskContext {
            rt,
            task_id,
            driver: false,
            task_counter: AtomicU64::new(0),
            put_counter: AtomicU32::new(0),
            num_returns: 1,
            cpu: Mutex::new(cpu),
        }
    }

    /// Sets how many objects the task returns (`put` indexes follow them).
    pub(crate) fn with_num_returns(mut self, n: u32) -> Self {
        self.num_returns = n;
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
        CURRENT.scope(self, f).await
    }

    pub(crate) fn sync_scope<R>(self, f: impl FnOnce() -> R) -> R {
        CURRENT.sync_scope(self, f)
    }
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
        None => runtime::global()?,
    };
    Ok(f(&TaskContext::driver(rt)))
}

/// The runtime and ID of the running task, if any.
pub(crate) fn current_task() -> Option<(Runtime, TaskId)> {
    CURRENT.try_with(|ctx| (ctx.rt.clone(), ctx.task_id)).ok()
}

/// The runtime of the running task, if any.
pub(crate) fn current_runtime() -> Option<Runtime> {
    CURRENT.try_with(|ctx| ctx.rt.clone()).ok()
}

/// Awaits `f` with the current task's CPU given back, then takes the CPU again, so a task
/// blocked on other tasks does not starve them.
pub(crate) async fn while_blocked<F: Future>(f: F) -> F::Output {
    let loan = CURRENT
        .try_with(|ctx| ctx.cpu.lock().take().map(CpuPermit::lend))
        .ok()
        .flatten();
    let out = f.await;
    if let Some(loan) = loan {
        let permit = loan.repay().await;
        let _ = CURRENT.try_with(|ctx| *ctx.cpu.lock() = permit);
    }
    out
}
