//! Ray's module-level functions: `put`, `get`, `wait`, `cancel`, `kill`.

use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};

use crate::actor::ActorHandle;
use crate::context;
use crate::control;
use crate::error::{Result, RustyRayError};
use crate::object::ObjectRef;

/// Stores `value` in the current runtime's object store (Ray's `ray.put`).
///
/// The object's ID is `ObjectId::from_index(current task, index)` with the index after
/// the task's return value, as in Ray.
pub fn put<T: Send + Sync + 'static>(value: T) -> Result<ObjectRef<T>> {
    context::with_current(None, |ctx| ctx.put(value))?
}

/// Waits for all `refs` and returns their values in order, or the first error among
/// them (Ray's `ray.get` on a list). Inside a task, the CPU is released while waiting.
///
/// ```
/// # fn main() -> rustyray::Result<()> {
/// let rt = rustyray::Runtime::builder().build()?;
/// let all = rt.block_on(async {
///     let refs = [rustyray::put(1)?, rustyray::put(2)?];
///     rustyray::get(&refs).await
/// })?;
/// assert_eq!(all, vec![1, 2]);
/// # Ok(())
/// # }
/// ```
pub async fn get<T: Clone + Send + Sync + 'static>(refs: &[ObjectRef<T>]) -> Result<Vec<T>> {
    if refs.iter().any(|r| !r.is_ready()) {
        refs.iter().rev().for_each(|r| r.cell.fetch_here());
        // Last first: calls of an actor, and tasks mostly, finish in submission order,
        // so one wake-up covers the whole list instead of one per object.
        control::blocked(async {
            for r in refs.iter().rev() {
                r.cell.ready().await;
            }
        })
        .await?;
    }
    refs.iter()
        .map(|r| match r.cell.peek() {
            Some(v) => v.clone(),
            None => Err(RustyRayError::ObjectLost(r.id())),
        })
        .collect()
}

/// [`get`] with a deadline; `RustyRayError::Timeout` when it passes.
pub async fn get_timeout<T: Clone + Send + Sync + 'static>(
    refs: &[ObjectRef<T>],
    timeout: Duration,
) -> Result<Vec<T>> {
    match tokio::time::timeout(timeout, get(refs)).await {
        Ok(r) => r,
        Err(_) => Err(RustyRayError::Timeout(timeout)),
    }
}

/// Waits until `num_returns` of `refs` are ready or `timeout` passes, and returns
/// `(ready, not_ready)`, each in the order of `refs` (Ray's `ray.wait`). At most
/// `num_returns` refs are reported ready. Failed objects count as ready.
pub async fn wait<T>(
    refs: &[ObjectRef<T>],
    num_returns: usize,
    timeout: Option<Duration>,
) -> Result<(Vec<ObjectRef<T>>, Vec<ObjectRef<T>>)> {
    if num_returns > refs.len() {
        return Err(RustyRayError::InvalidArgument(format!(
            "num_returns ({num_returns}) is larger than the number of refs ({})",
            refs.len()
        )));
    }
    if let Some(flags) = crate::backend::wait_in_backend(refs, num_returns, timeout).await? {
        return Ok(split_ready(refs, num_returns, |i| flags[i]));
    }
    let enough = async {
        let mut ready = refs.iter().filter(|r| r.is_ready()).count();
        if ready >= num_returns {
            return;
        }
        let mut pending: FuturesUnordered<_> = refs
            .iter()
            .filter(|r| !r.is_ready())
            .map(|r| r.cell.ready())
            .collect();
        while ready < num_returns && pending.next().await.is_some() {
            ready += 1;
        }
    };
    let blocked = control::blocked(enough);
    match timeout {
        Some(t) => {
            if let Ok(Err(cancelled)) = tokio::time::timeout(t, blocked).await {
                return Err(cancelled);
            }
        }
        None => blocked.await?,
    }
    Ok(split_ready(refs, num_returns, |i| refs[i].is_ready()))
}

/// `refs` split into the first `num_returns` ready ones and the rest, each in order.
fn split_ready<T>(
    refs: &[ObjectRef<T>],
    num_returns: usize,
    is_ready: impl Fn(usize) -> bool,
) -> (Vec<ObjectRef<T>>, Vec<ObjectRef<T>>) {
    let mut ready = Vec::new();
    let mut not_ready = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        if ready.len() < num_returns && is_ready(i) {
            ready.push(r.clone());
        } else {
            not_ready.push(r.clone());
        }
    }
    (ready, not_ready)
}

/// Cancels the task producing `object` and the tasks it submitted (Ray's `ray.cancel`
/// with `recursive=True`); see [`ObjectRef::cancel_with`] for what cancellation can stop.
pub fn cancel<T>(object: &ObjectRef<T>) -> bool {
    object.cancel()
}

/// Kills an actor (Ray's `ray.kill`); see [`ActorHandle::kill`].
pub fn kill<A>(actor: &ActorHandle<A>) -> Result<()> {
    actor.kill()
}
