//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use rustyray::Runtime;

/// Every wait of the tests is bounded by this.
pub const LIMIT: Duration = Duration::from_secs(30);

/// A runtime with `cpus` CPUs and two async workers.
pub fn runtime(cpus: f64) -> Runtime {
    Runtime::builder()
        .num_cpus(cpus)
        .worker_threads(2)
        .build()
        .expect("runtime")
}

/// Runs `f` as the driver of `rt`, failing the test if it takes longer than [`LIMIT`],
/// then shuts the runtime down.
pub fn drive<F: Future>(rt: &Runtime, f: F) -> F::Output {
    let out = rt.block_on(async {
        tokio::time::timeout(LIMIT, f)
            .await
            .expect("the test timed out (deadlock?)")
    });
    rt.shutdown();
    out
}

/// Counts the tasks running user code, to check that declared resources bound them.
///
/// A task calls [`Gauge::start`] when its body begins and [`Gauge::stop`] before it returns;
/// a task that blocks on other tasks calls [`Gauge::pause`] before the wait and
/// [`Gauge::resume`] after it. A *start* while `cpus` tasks already run means the runtime
/// scheduled a task without a free CPU; a *resume* may exceed `cpus` (Ray lets a task that
/// was blocked run again at once, over-subscribing), so the peak is reported separately.
pub struct Gauge {
    running: std::sync::atomic::AtomicUsize,
    peak: std::sync::atomic::AtomicUsize,
    overbooked_starts: std::sync::atomic::AtomicUsize,
    cpus: std::sync::atomic::AtomicUsize,
}

impl Gauge {
    /// A gauge for a runtime of `cpus` one-CPU slots (set again by [`Gauge::reset`]).
    pub const fn new(cpus: usize) -> Self {
        use std::sync::atomic::AtomicUsize;
        Gauge {
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            overbooked_starts: AtomicUsize::new(0),
            cpus: AtomicUsize::new(cpus),
        }
    }

    /// Clears the counters for a runtime of `cpus` slots.
    pub fn reset(&self, cpus: usize) {
        use std::sync::atomic::Ordering::SeqCst;
        self.running.store(0, SeqCst);
        self.peak.store(0, SeqCst);
        self.overbooked_starts.store(0, SeqCst);
        self.cpus.store(cpus, SeqCst);
    }

    /// A task begins: it must have found a free CPU.
    pub fn start(&self) {
        use std::sync::atomic::Ordering::SeqCst;
        let before = self.running.fetch_add(1, SeqCst);
        if before >= self.cpus.load(SeqCst) {
            self.overbooked_starts.fetch_add(1, SeqCst);
        }
        self.peak.fetch_max(before + 1, SeqCst);
    }

    /// A task ends (or stops counting because it was cancelled).
    pub fn stop(&self) {
        self.running
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// A task is about to block on other tasks.
    pub fn pause(&self) {
        self.stop();
    }

    /// A blocked task runs again; allowed to over-subscribe.
    pub fn resume(&self) {
        use std::sync::atomic::Ordering::SeqCst;
        let now = self.running.fetch_add(1, SeqCst) + 1;
        self.peak.fetch_max(now, SeqCst);
    }

    /// Highest number of tasks seen running at once.
    pub fn peak(&self) -> usize {
        self.peak.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Tasks that started while every CPU was taken.
    pub fn overbooked_starts(&self) -> usize {
        self.overbooked_starts
            .load(std::sync::atomic::Ordering::SeqCst)
    }
}
