//! Resource scheduling: declared CPUs, GPUs and custom resources bound concurrency.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{drive, Gauge};
use rustyray::{ObjectRef, Runtime, RustyRayError};

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

async fn track() {
    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
    PEAK.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(5)).await;
    RUNNING.fetch_sub(1, Ordering::SeqCst);
}

#[rustyray::remote(num_cpus = 2.0)]
async fn two_cpus() -> usize {
    track().await;
    2
}

#[rustyray::remote(num_cpus = 0.5, resources(disk = 1.0))]
async fn needs_disk() -> usize {
    track().await;
    1
}

#[rustyray::remote(num_cpus = 0.0, num_gpus = 1.0)]
async fn needs_gpu() -> usize {
    track().await;
    1
}

#[rustyray::remote]
async fn one_cpu() -> usize {
    track().await;
    1
}

#[rustyray::remote]
async fn plain() -> usize {
    1
}

fn reset() {
    RUNNING.store(0, Ordering::SeqCst);
    PEAK.store(0, Ordering::SeqCst);
}

fn peak() -> usize {
    PEAK.load(Ordering::SeqCst)
}

#[test]
fn declared_resources_bound_concurrency() {
    let rt = Runtime::builder()
        .num_cpus(4.0)
        .num_gpus(2.0)
        .resource("disk", 1.0)
        .worker_threads(2)
        .build()
        .expect("rt");
    drive(&rt, async {
        reset();
        let refs: Vec<_> = (0..12)
            .map(|_| two_cpus::remote().into_result())
            .collect::<Result<_, _>>()?;
        rustyray::get(&refs).await?;
        assert!(peak() <= 2, "4 CPUs / 2 per task, peak {}", peak());

        reset();
        let refs: Vec<_> = (0..12)
            .map(|_| needs_disk::remote().into_result())
            .collect::<Result<_, _>>()?;
        rustyray::get(&refs).await?;
        assert_eq!(peak(), 1, "one disk");

        reset();
        let refs: Vec<_> = (0..12)
            .map(|_| needs_gpu::remote().into_result())
            .collect::<Result<_, _>>()?;
        rustyray::get(&refs).await?;
        assert!(peak() <= 2, "two GPUs, peak {}", peak());

        reset();
        let refs: Vec<_> = (0..40)
            .map(|_| one_cpu::remote().into_result())
            .collect::<Result<_, _>>()?;
        rustyray::get(&refs).await?;
        assert!(peak() <= 4, "four CPUs, peak {}", peak());
        assert!(peak() >= 2, "tasks ran in parallel, peak {}", peak());

        reset();
        let refs: Vec<_> = (0..12)
            .map(|_| one_cpu::options().num_cpus(4.0).remote().into_result())
            .collect::<Result<_, _>>()?;
        rustyray::get(&refs).await?;
        assert_eq!(peak(), 1, "options override the attribute");
        rustyray::Result::Ok(())
    })
    .expect("scheduling");
}

#[test]
fn infeasible_requests_fail_at_submission() {
    let rt = Runtime::builder().num_cpus(1.0).build().expect("rt");
    drive(&rt, async {
        assert!(matches!(
            plain::options().num_cpus(2.0).remote().await,
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            plain::options().resource("disk", 1.0).remote().await,
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            plain::options().num_gpus(1.0).remote().await,
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            plain::options().num_cpus(-1.0).remote().await,
            Err(RustyRayError::InvalidArgument(_))
        ));
        assert_eq!(plain::remote().await?.get().await?, 1);
        rustyray::Result::Ok(())
    })
    .expect("infeasible");
}

/// Runs `f` as the driver of `rt` and fails if it takes longer than `limit`: the bound
/// that turns a scheduling deadlock into a test failure.
fn within<F: std::future::Future>(rt: &Runtime, limit: Duration, f: F) -> F::Output {
    let out = rt.block_on(async {
        tokio::time::timeout(limit, f)
            .await
            .expect("deadlock: the tasks did not finish in time")
    });
    rt.shutdown();
    out
}

fn one_cpu_runtime() -> Runtime {
    Runtime::builder()
        .num_cpus(1.0)
        .worker_threads(2)
        .build()
        .expect("rt")
}

static JOINED: Gauge = Gauge::new(1);

#[rustyray::remote]
async fn joined_leaf(ms: u64) -> u64 {
    JOINED.start();
    tokio::time::sleep(Duration::from_millis(ms)).await;
    JOINED.stop();
    ms
}

#[rustyray::remote(num_cpus = 0.0)]
async fn zero_cpu_timer(ms: u64) -> u64 {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    ms
}

#[rustyray::remote]
async fn joined_after(gate: u64) -> u64 {
    JOINED.start();
    JOINED.stop();
    gate
}

#[rustyray::remote]
async fn joins_children() -> rustyray::Result<u64> {
    JOINED.start();
    // `a` is ready long before `b`, whose arguments only resolve after 100 ms: the task
    // must not take its CPU back when the first of its concurrent gets returns.
    let a = joined_leaf::remote(10).await?;
    let b = joined_after::remote(zero_cpu_timer::remote(100).await?).await?;
    JOINED.pause();
    let (x, y) = futures::join!(a.get(), b.get());
    JOINED.resume();
    let gate = zero_cpu_timer::remote(50).await?;
    let refs = [
        joined_leaf::remote(5).await?,
        joined_after::remote(&gate).await?,
        joined_after::remote(&gate).await?,
    ];
    JOINED.pause();
    let all = futures::future::join_all(refs.iter().map(|r| r.get())).await;
    JOINED.resume();
    let rest: u64 = all
        .into_iter()
        .collect::<rustyray::Result<Vec<_>>>()?
        .iter()
        .sum();
    JOINED.stop();
    Ok(x? + y? + rest)
}

/// Issue item 1: concurrent gets in one task (join!, join_all) on a 1-CPU runtime.
#[test]
fn concurrent_gets_in_one_task_do_not_deadlock() {
    JOINED.reset(1);
    let rt = one_cpu_runtime();
    let v = within(&rt, Duration::from_secs(10), async {
        joins_children::remote().await?.get().await
    })
    .expect("joined");
    assert_eq!(v, 10 + 100 + 5 + 50 + 50);
    assert_eq!(
        JOINED.overbooked_starts(),
        0,
        "a task started without a CPU"
    );
    assert_eq!(JOINED.peak(), 1);
}

static TIMED_OUT: Gauge = Gauge::new(1);

#[rustyray::remote]
async fn timed_busy(ms: u64) -> u64 {
    TIMED_OUT.start();
    tokio::time::sleep(Duration::from_millis(ms)).await;
    TIMED_OUT.stop();
    ms
}

/// A synchronous task (its `std::thread::sleep`s stand for work and must not stall the
/// async workers) that waits with timeouts between stretches of work.
#[rustyray::remote]
fn waits_with_timeouts() -> rustyray::Result<u64> {
    use futures::executor::block_on;
    TIMED_OUT.start();
    let slow = timed_busy::remote(150).into_result()?;
    let queued: Vec<ObjectRef<u64>> = (0..3)
        .map(|_| timed_busy::remote(80).into_result())
        .collect::<rustyray::Result<_>>()?;
    TIMED_OUT.pause();
    let (ready, _) = block_on(rustyray::wait(
        std::slice::from_ref(&slow),
        1,
        Some(Duration::from_millis(40)),
    ))?;
    TIMED_OUT.resume();
    assert!(ready.is_empty());
    // Working again, the task holds its CPU (over-subscribed while `slow` runs): the queued
    // tasks must not start before it blocks again.
    std::thread::sleep(Duration::from_millis(250));
    TIMED_OUT.pause();
    assert!(matches!(
        block_on(slow.get_timeout(Duration::from_millis(1))),
        Ok(150) | Err(RustyRayError::Timeout(_))
    ));
    // Long enough for the queued task given the lent CPU to begin (and count) before
    // this one runs again, even on a loaded machine; shorter than that task, so no second
    // one takes the CPU just as this one takes it back.
    let _ = block_on(tokio::time::timeout(
        Duration::from_millis(50),
        queued[0].get(),
    ));
    TIMED_OUT.resume();
    std::thread::sleep(Duration::from_millis(100));
    TIMED_OUT.pause();
    let rest = block_on(rustyray::get(&queued))?;
    TIMED_OUT.resume();
    TIMED_OUT.stop();
    Ok(slow.get_blocking()? + rest.iter().sum::<u64>())
}

/// Issue item 2: a timed-out `wait`, `get_timeout` or dropped get future must not lose
/// the task's CPU share.
#[test]
fn timed_out_waits_keep_the_cpu_share() {
    TIMED_OUT.reset(1);
    let rt = one_cpu_runtime();
    let v = within(&rt, Duration::from_secs(10), async {
        waits_with_timeouts::remote().await?.get().await
    })
    .expect("waits");
    assert_eq!(v, 150 + 3 * 80);
    assert_eq!(
        TIMED_OUT.overbooked_starts(),
        0,
        "a queued task started while the unblocked task held the only CPU"
    );
    // The named exception: the unblocked task runs next to `slow`, which took the CPU
    // while it waited.
    assert!(TIMED_OUT.peak() <= 2, "peak {}", TIMED_OUT.peak());
    assert_eq!(rt.available_resource("CPU"), Some(1.0));
}

static MIXED: Gauge = Gauge::new(1);

#[rustyray::remote(num_cpus = 1.0)]
async fn cpu_child() -> u32 {
    MIXED.start();
    tokio::time::sleep(Duration::from_millis(10)).await;
    MIXED.stop();
    1
}

#[rustyray::remote(num_cpus = 0.0, num_gpus = 1.0)]
async fn gpu_parent() -> rustyray::Result<u32> {
    tokio::time::sleep(Duration::from_millis(100)).await;
    cpu_child::remote().await?.get().await
}

#[rustyray::remote(num_cpus = 1.0, num_gpus = 1.0)]
async fn cpu_and_gpu() -> u32 {
    MIXED.start();
    tokio::time::sleep(Duration::from_millis(10)).await;
    MIXED.stop();
    2
}

/// Issue item 3: a task waiting for a GPU must not hold a CPU meanwhile.
#[test]
fn resource_kinds_are_acquired_all_or_none() {
    MIXED.reset(1);
    let rt = Runtime::builder()
        .num_cpus(1.0)
        .num_gpus(1.0)
        .worker_threads(2)
        .build()
        .expect("rt");
    let (a, b) = within(&rt, Duration::from_secs(10), async {
        let g = gpu_parent::remote().await?;
        tokio::time::sleep(Duration::from_millis(30)).await;
        let q = cpu_and_gpu::remote().await?;
        rustyray::Result::Ok((g.get().await?, q.get().await?))
    })
    .expect("mixed");
    assert_eq!((a, b), (1, 2));
    assert_eq!(MIXED.overbooked_starts(), 0);
    assert_eq!(MIXED.peak(), 1);
}

static CANCELLED: Gauge = Gauge::new(1);
static SPINNER_STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[rustyray::remote]
fn spinner(ms: u64) -> u64 {
    CANCELLED.start();
    SPINNER_STARTED.store(true, Ordering::SeqCst);
    let t0 = std::time::Instant::now();
    while t0.elapsed() < Duration::from_millis(ms) {
        std::thread::sleep(Duration::from_millis(5));
    }
    ms
}

#[rustyray::remote]
async fn after_cancel() -> std::time::Instant {
    CANCELLED.start();
    CANCELLED.stop();
    std::time::Instant::now()
}

/// Issue item 6: cancelling a running synchronous task frees its CPU at once.
#[test]
fn cancelling_a_running_sync_task_frees_its_cpu() {
    CANCELLED.reset(1);
    let rt = one_cpu_runtime();
    within(&rt, Duration::from_secs(20), async {
        let spin = spinner::remote(3_000).await?;
        while !SPINNER_STARTED.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert!(rustyray::cancel(&spin));
        let cancelled_at = std::time::Instant::now();
        // The cancelled task may run on until it returns, but holds no resources: it is
        // no longer counted (the one over-subscription this test allows).
        CANCELLED.stop();
        let started = after_cancel::remote().await?.get().await?;
        let waited = started.saturating_duration_since(cancelled_at);
        assert!(
            waited < Duration::from_millis(500),
            "the next 1-CPU task waited {waited:?} for the cancelled task's CPU"
        );
        assert!(matches!(
            spin.get().await,
            Err(RustyRayError::Cancelled { .. })
        ));
        rustyray::Result::Ok(())
    })
    .expect("cancel");
    assert_eq!(CANCELLED.overbooked_starts(), 0);
}
