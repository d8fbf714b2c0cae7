//! Resource accounting: CPUs, GPUs and custom resources in fixed-point units.
//!
//! One lock guards the free amounts of every kind, so a request takes all of its kinds at
//! once or waits holding none of them (a task holding a CPU while it waits for a GPU could
//! deadlock with the GPU's holder). Waiters are queued per shape of request, as Ray queues
//! tasks per scheduling class: when resources come back, the first waiter of each shape
//! that fits is granted, so a large request at the head of its queue does not block small
//! ones of another shape. Free amounts may go negative: a task that was blocked in `get`
//! takes its CPU back at once even when another task got it meanwhile (as Ray does), and
//! nothing new starts until the total is back in bounds.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use parking_lot::Mutex;

use crate::error::{Result, RustyRayError};

/// Resources are counted in 1/10000 units, as Ray does.
const UNIT: f64 = 10_000.0;

/// Largest amount in units that an `f64` holds exactly (2^53).
const MAX_EXACT_UNITS: f64 = 9_007_199_254_740_992.0;

/// Index of the CPU in the amount vectors; the GPU is next, custom resources follow.
const CPU: usize = 0;
const GPU: usize = 1;

fn to_units(name: &str, amount: f64) -> Result<i64> {
    if !amount.is_finite() || amount < 0.0 {
        return Err(RustyRayError::InvalidArgument(format!(
            "resource {name} must be a non-negative number, got {amount}"
        )));
    }
    let units = (amount * UNIT).round();
    // The CPU's free amount can go below zero by what blocked tasks take back, so it
    // stays far from i64's range; other kinds never do, and `memory` counts bytes.
    let max = if name == "CPU" {
        f64::from(u32::MAX)
    } else {
        MAX_EXACT_UNITS
    };
    if units > max {
        return Err(RustyRayError::InvalidArgument(format!(
            "resource {name} is too large: {amount}"
        )));
    }
    Ok(units as i64)
}

/// (resource index, units) pairs. Up to two stay inline, so the usual demands (CPU, or
/// CPU and GPU) cost no allocation per task.
#[derive(Clone, Debug, Default)]
struct Parts {
    inline: [(usize, i64); 2],
    len: usize,
    spill: Vec<(usize, i64)>,
}

impl Parts {
    fn push(&mut self, part: (usize, i64)) {
        if self.spill.is_empty() && self.len < self.inline.len() {
            self.inline[self.len] = part;
            self.len += 1;
            return;
        }
        if self.spill.is_empty() {
            self.spill.extend_from_slice(&self.inline[..self.len]);
        }
        self.spill.push(part);
    }
}

impl std::ops::Deref for Parts {
    type Target = [(usize, i64)];

    fn deref(&self) -> &Self::Target {
        if self.spill.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }
}

impl std::ops::DerefMut for Parts {
    fn deref_mut(&mut self) -> &mut Self::Target {
        if self.spill.is_empty() {
            &mut self.inline[..self.len]
        } else {
            &mut self.spill
        }
    }
}

impl PartialEq for Parts {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Parts {}

/// What one task or actor asks for: units per resource index, non-zero entries only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Demand {
    parts: Parts,
}

impl Demand {
    fn fits(&self, available: &[i64]) -> bool {
        self.parts.iter().all(|&(i, u)| available[i] >= u)
    }

    fn cpu(&self) -> i64 {
        self.parts
            .iter()
            .find(|(i, _)| *i == CPU)
            .map_or(0, |(_, u)| *u)
    }
}

/// A queued request; `granted` is set (under the pool lock) when its resources are taken.
struct WaitSlot {
    granted: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

/// Wakers to call once the pool lock is released. Granting one waiter is the common
/// case, so the first is kept inline: a release costs no allocation.
#[derive(Default)]
struct Wakeups {
    first: Option<Waker>,
    rest: Vec<Waker>,
}

impl Wakeups {
    fn push(&mut self, waker: Waker) {
        if self.first.is_none() {
            self.first = Some(waker);
        } else {
            self.rest.push(waker);
        }
    }

    fn wake(self) {
        if let Some(w) = self.first {
            w.wake();
        }
        self.rest.into_iter().for_each(Waker::wake);
    }
}

/// Classes kept while empty, so a shape that comes and goes does not reallocate its
/// queue each time; beyond this many, empty ones are dropped.
const IDLE_CLASSES: usize = 8;

/// The waiters of one shape of request, in arrival order.
struct Class {
    demand: Demand,
    waiters: VecDeque<Arc<WaitSlot>>,
}

struct State {
    available: Vec<i64>,
    classes: Vec<Class>,
}

impl State {
    fn take(&mut self, demand: &Demand) {
        for &(i, u) in demand.parts.iter() {
            self.available[i] -= u;
        }
    }

    fn give(&mut self, index: usize, units: i64, wake: &mut Wakeups) {
        self.available[index] += units;
        self.dispatch(wake);
    }

    /// Grants the head of every class while it fits.
    fn dispatch(&mut self, wake: &mut Wakeups) {
        let State { available, classes } = self;
        let mut i = 0;
        while i < classes.len() {
            let class = &mut classes[i];
            while !class.waiters.is_empty() && class.demand.fits(available) {
                for &(r, u) in class.demand.parts.iter() {
                    available[r] -= u;
                }
                if let Some(head) = class.waiters.pop_front() {
                    head.granted.store(true, Ordering::Release);
                    let waker = head.waker.lock().take();
                    if let Some(waker) = waker {
                        wake.push(waker);
                    }
                }
            }
            if class.waiters.is_empty() && classes.len() > IDLE_CLASSES {
                classes.swap_remove(i);
            } else {
                i += 1;
            }
        }
    }
}

struct Pools {
    names: Vec<String>,
    totals: Vec<i64>,
    /// The default request of a task (one CPU), checked once; `None` if infeasible.
    one_cpu: Option<Demand>,
    state: Mutex<State>,
}

impl Pools {
    fn release(&self, parts: &[(usize, i64)]) {
        if parts.is_empty() {
            return;
        }
        let mut wake = Wakeups::default();
        {
            let mut state = self.state.lock();
            for &(i, u) in parts {
                state.available[i] += u;
            }
            state.dispatch(&mut wake);
        }
        wake.wake();
    }
}

/// The resources of one runtime. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Resources {
    pools: Arc<Pools>,
}

/// Resources held by a running task or actor; given back when dropped.
pub(crate) struct Grant {
    pools: Arc<Pools>,
    demand: Demand,
    /// CPU units given back while the task is blocked (see [`Grant::lend_cpu`]).
    lent_cpu: i64,
}

impl Grant {
    /// Gives the CPU share back while the task blocks; true if there was one.
    pub(crate) fn lend_cpu(&mut self) -> bool {
        let cpu = self.demand.cpu();
        if cpu == 0 || self.lent_cpu != 0 {
            return false;
        }
        self.lent_cpu = cpu;
        let mut wake = Wakeups::default();
        self.pools.state.lock().give(CPU, cpu, &mut wake);
        wake.wake();
        true
    }

    /// Takes the lent CPU back at once, even if that over-subscribes the CPUs: the task
    /// runs on, and no new task starts until enough CPU is free again.
    pub(crate) fn retake_cpu(&mut self) {
        if self.lent_cpu == 0 {
            return;
        }
        self.pools.state.lock().available[CPU] -= self.lent_cpu;
        self.lent_cpu = 0;
    }
}

impl Drop for Grant {
    fn drop(&mut self) {
        if self.demand.parts.is_empty() {
            return;
        }
        let mut wake = Wakeups::default();
        {
            let mut state = self.pools.state.lock();
            for &(i, u) in self.demand.parts.iter() {
                let held = if i == CPU { u - self.lent_cpu } else { u };
                state.available[i] += held;
            }
            if !state.classes.is_empty() {
                state.dispatch(&mut wake);
            }
        }
        wake.wake();
    }
}

/// Waits for a demand; dropping it while queued leaves the queue (or gives back
/// resources granted in the meantime).
pub(crate) struct Acquire {
    pools: Arc<Pools>,
    demand: Option<Demand>,
    slot: Option<Arc<WaitSlot>>,
}

impl Future for Acquire {
    type Output = Grant;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Grant> {
        let this = &mut *self;
        if let Some(slot) = &this.slot {
            if !slot.granted.load(Ordering::Acquire) {
                *slot.waker.lock() = Some(cx.waker().clone());
                if !slot.granted.load(Ordering::Acquire) {
                    return Poll::Pending;
                }
            }
            this.slot = None;
            let demand = this.demand.take().unwrap_or_default();
            return Poll::Ready(Grant {
                pools: Arc::clone(&this.pools),
                demand,
                lent_cpu: 0,
            });
        }
        let demand = this.demand.take().unwrap_or_default();
        let mut state = this.pools.state.lock();
        if demand.fits(&state.available) {
            state.take(&demand);
            drop(state);
            return Poll::Ready(Grant {
                pools: Arc::clone(&this.pools),
                demand,
                lent_cpu: 0,
            });
        }
        let slot = Arc::new(WaitSlot {
            granted: AtomicBool::new(false),
            waker: Mutex::new(Some(cx.waker().clone())),
        });
        match state.classes.iter_mut().find(|c| c.demand == demand) {
            Some(class) => class.waiters.push_back(Arc::clone(&slot)),
            None => state.classes.push(Class {
                demand: demand.clone(),
                waiters: VecDeque::from([Arc::clone(&slot)]),
            }),
        }
        drop(state);
        this.demand = Some(demand);
        this.slot = Some(slot);
        Poll::Pending
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        let Some(slot) = self.slot.take() else {
            return;
        };
        let demand = self.demand.take().unwrap_or_default();
        let mut state = self.pools.state.lock();
        if slot.granted.load(Ordering::Acquire) {
            drop(state);
            self.pools.release(&demand.parts);
            return;
        }
        for class in &mut state.classes {
            if class.demand == demand {
                class.waiters.retain(|w| !Arc::ptr_eq(w, &slot));
            }
        }
        if state.classes.len() > IDLE_CLASSES {
            state.classes.retain(|c| !c.waiters.is_empty());
        }
    }
}

impl Resources {
    pub(crate) fn new(num_cpus: f64, num_gpus: f64, custom: &[(String, f64)]) -> Result<Self> {
        let mut names = vec!["CPU".to_owned(), "GPU".to_owned()];
        let mut totals = vec![to_units("CPU", num_cpus)?, to_units("GPU", num_gpus)?];
        for (name, amount) in custom {
            let units = to_units(name, *amount)?;
            match names.iter().position(|n| n == name) {
                Some(i) => totals[i] = units,
                None => {
                    names.push(name.clone());
                    totals.push(units);
                }
            }
        }
        let mut one_cpu = Parts::default();
        one_cpu.push((CPU, to_units("CPU", 1.0)?));
        let one_cpu = (totals[CPU] >= one_cpu[0].1).then_some(Demand { parts: one_cpu });
        Ok(Resources {
            pools: Arc::new(Pools {
                state: Mutex::new(State {
                    available: totals.clone(),
                    classes: Vec::new(),
                }),
                names,
                totals,
                one_cpu,
            }),
        })
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.pools.names.iter().position(|n| n == name)
    }

    /// Checks a request against the totals; an infeasible one is an error, as it could
    /// never run.
    pub(crate) fn demand<S: AsRef<str>>(
        &self,
        cpus: f64,
        gpus: f64,
        custom: &[(S, f64)],
    ) -> Result<Demand> {
        if cpus == 1.0 && gpus == 0.0 && custom.is_empty() {
            if let Some(d) = &self.pools.one_cpu {
                return Ok(d.clone());
            }
        }
        let mut parts = Parts::default();
        // CPU and GPU have fixed indices: the usual request needs no lookup by name.
        self.add_part(&mut parts, "CPU", CPU, cpus)?;
        self.add_part(&mut parts, "GPU", GPU, gpus)?;
        for (name, amount) in custom {
            let name = name.as_ref();
            if to_units(name, *amount)? == 0 {
                continue;
            }
            let index = self.index(name).ok_or_else(|| {
                RustyRayError::Infeasible(format!("resource {name:?} is not defined"))
            })?;
            self.add_part(&mut parts, name, index, *amount)?;
        }
        if parts.len() > 1 {
            parts.sort_unstable();
        }
        Ok(Demand { parts })
    }

    /// Adds `amount` of resource `index` to `parts`, failing if the sum exceeds the total.
    fn add_part(&self, parts: &mut Parts, name: &str, index: usize, amount: f64) -> Result<()> {
        if amount == 0.0 {
            return Ok(());
        }
        let units = to_units(name, amount)?;
        if units == 0 {
            return Ok(());
        }
        let asked = match parts.iter_mut().find(|(i, _)| *i == index) {
            Some(part) => {
                part.1 += units;
                part.1
            }
            None => {
                parts.push((index, units));
                units
            }
        };
        let total = self.pools.totals[index];
        if asked > total {
            return Err(RustyRayError::Infeasible(format!(
                "{} {name} requested, the runtime has {}",
                asked as f64 / UNIT,
                total as f64 / UNIT
            )));
        }
        Ok(())
    }

    /// Takes the resources now if they are all free.
    pub(crate) fn try_acquire(&self, demand: &Demand) -> Option<Grant> {
        let mut state = self.pools.state.lock();
        if !demand.fits(&state.available) {
            return None;
        }
        state.take(demand);
        drop(state);
        Some(Grant {
            pools: Arc::clone(&self.pools),
            demand: demand.clone(),
            lent_cpu: 0,
        })
    }

    /// Waits until every resource of `demand` is free and takes them together.
    pub(crate) fn acquire(&self, demand: Demand) -> Acquire {
        Acquire {
            pools: Arc::clone(&self.pools),
            demand: Some(demand),
            slot: None,
        }
    }

    /// Free amount of a resource ("CPU", "GPU" or a custom name); negative while a task
    /// that took its CPU back after a `get` over-subscribes.
    pub(crate) fn available(&self, name: &str) -> Option<f64> {
        let i = self.index(name)?;
        Some(self.pools.state.lock().available[i] as f64 / UNIT)
    }

    /// Total amount of a resource.
    pub(crate) fn total(&self, name: &str) -> Option<f64> {
        let i = self.index(name)?;
        Some(self.pools.totals[i] as f64 / UNIT)
    }

    /// Whether every resource is free (nothing held, nothing over-subscribed).
    #[cfg(test)]
    pub(crate) fn all_free(&self) -> bool {
        self.pools.state.lock().available == self.pools.totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demands_are_checked_against_totals() {
        let r = Resources::new(2.0, 0.0, &[("disk".to_owned(), 1.0)]).expect("resources");
        assert!(r.demand::<&str>(2.0, 0.0, &[]).is_ok());
        assert!(matches!(
            r.demand::<&str>(3.0, 0.0, &[]),
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            r.demand::<&str>(1.0, 1.0, &[]),
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            r.demand(1.0, 0.0, &[("tape".to_owned(), 1.0)]),
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            r.demand(0.0, 0.0, &[("disk", 0.6), ("disk", 0.6)]),
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            r.demand::<&str>(-1.0, 0.0, &[]),
            Err(RustyRayError::InvalidArgument(_))
        ));
    }

    #[test]
    fn byte_counts_fit_custom_resources_but_cpus_stay_bounded() {
        // 64 GiB of `memory`, counted to the byte: far beyond the CPU's bound.
        let bytes = 64.0 * 1024.0 * 1024.0 * 1024.0;
        let r = Resources::new(2.0, 0.0, &[("memory".to_owned(), bytes)]).expect("resources");
        assert_eq!(r.total("memory"), Some(bytes));
        let d = r
            .demand(1.0, 0.0, &[("memory", bytes - 1.0)])
            .expect("fits");
        let grant = r.try_acquire(&d).expect("free");
        assert_eq!(r.available("memory"), Some(1.0));
        drop(grant);
        assert_eq!(r.available("memory"), Some(bytes));
        assert!(matches!(
            r.demand(0.0, 0.0, &[("memory", bytes + 1.0)]),
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            Resources::new(1e6, 0.0, &[]),
            Err(RustyRayError::InvalidArgument(_))
        ));
        assert!(matches!(
            Resources::new(1.0, 0.0, &[("memory".to_owned(), 1e12)]),
            Err(RustyRayError::InvalidArgument(_))
        ));
    }

    #[test]
    fn the_default_request_is_checked_like_any_other() {
        let half = Resources::new(0.5, 0.0, &[]).expect("resources");
        assert!(matches!(
            half.demand::<&str>(1.0, 0.0, &[]),
            Err(RustyRayError::Infeasible(_))
        ));
        let two = Resources::new(2.0, 0.0, &[]).expect("resources");
        let fast = two.demand::<&str>(1.0, 0.0, &[]).expect("one CPU");
        let general = two.demand(1.0, 0.0, &[("CPU", 0.0)]).expect("one CPU");
        assert_eq!(fast, general);
        assert_eq!(fast.cpu(), 10_000);
    }

    #[test]
    fn grants_hold_lend_and_release_resources() {
        let r = Resources::new(1.5, 0.0, &[("disk".to_owned(), 1.0)]).expect("resources");
        let d = r
            .demand(1.0, 0.0, &[("disk".to_owned(), 0.5)])
            .expect("demand");
        let mut g = r.try_acquire(&d).expect("free");
        assert_eq!(r.available("CPU"), Some(0.5));
        assert_eq!(r.available("disk"), Some(0.5));
        assert!(r.try_acquire(&d).is_none());
        assert!(g.lend_cpu());
        assert!(!g.lend_cpu(), "lent once");
        assert_eq!(r.available("CPU"), Some(1.5));
        let other = r.try_acquire(&r.demand::<&str>(1.5, 0.0, &[]).expect("d"));
        assert!(other.is_some());
        g.retake_cpu();
        assert_eq!(r.available("CPU"), Some(-1.0), "over-subscribed");
        drop(other);
        drop(g);
        assert!(r.all_free());
        assert_eq!(r.total("CPU"), Some(1.5));
        assert_eq!(r.total("nope"), None);
    }

    #[test]
    fn requests_take_all_kinds_or_none() {
        let r = Resources::new(1.0, 1.0, &[]).expect("resources");
        let gpu = r.try_acquire(&r.demand::<&str>(0.0, 1.0, &[]).expect("d"));
        let both = r.demand::<&str>(1.0, 1.0, &[]).expect("d");
        let mut waiting = Box::pin(r.acquire(both));
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        assert!(waiting.as_mut().poll(&mut cx).is_pending());
        assert_eq!(r.available("CPU"), Some(1.0), "no CPU held while waiting");
        let cpu = r.try_acquire(&r.demand::<&str>(1.0, 0.0, &[]).expect("d"));
        assert!(
            cpu.is_some(),
            "a CPU-only request passes the queued CPU+GPU one"
        );
        drop(cpu);
        drop(gpu);
        let granted = waiting.as_mut().poll(&mut cx);
        assert!(matches!(granted, Poll::Ready(_)));
        drop(granted);
        assert!(r.all_free());
    }

    #[test]
    fn dropped_waiters_leave_the_queue_or_give_back() {
        let r = Resources::new(1.0, 0.0, &[]).expect("resources");
        let one = r.demand::<&str>(1.0, 0.0, &[]).expect("d");
        let held = r.try_acquire(&one);
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let mut a = Box::pin(r.acquire(one.clone()));
        let mut b = Box::pin(r.acquire(one.clone()));
        assert!(a.as_mut().poll(&mut cx).is_pending());
        assert!(b.as_mut().poll(&mut cx).is_pending());
        drop(a);
        drop(held);
        assert_eq!(r.available("CPU"), Some(0.0), "granted to b");
        drop(b);
        assert!(
            r.all_free(),
            "b's grant came back when b was dropped unpolled"
        );
    }
}
