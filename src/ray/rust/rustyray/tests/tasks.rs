//! Remote functions: arguments, results, errors, panics, retries, IDs, the object store.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use common::{drive, runtime, LIMIT};
use rustyray::{ObjectId, ObjectRef, RustyRayError, TaskId};

#[rustyray::remote]
async fn add(x: i32, y: i32) -> i32 {
    x + y
}

#[rustyray::remote]
fn mul(x: u64, y: u64) -> u64 {
    x * y
}

#[rustyray::remote]
async fn concat(a: String, b: Vec<String>) -> String {
    let mut out = a;
    for s in b {
        out.push_str(&s);
    }
    out
}

#[rustyray::remote]
async fn ref_id(r: ObjectRef<i32>) -> (ObjectId, i32) {
    (r.id(), r.get().await.unwrap_or(-1))
}

#[rustyray::remote]
async fn nothing() {}

#[derive(Debug, thiserror::Error)]
#[error("value {0} rejected")]
struct Rejected(i32);

#[rustyray::remote]
async fn checked(x: i32) -> Result<i32, Rejected> {
    if x < 0 {
        Err(Rejected(x))
    } else {
        Ok(x)
    }
}

#[rustyray::remote]
fn checked_sync(x: i32) -> std::io::Result<i32> {
    if x < 0 {
        Err(std::io::Error::other("negative"))
    } else {
        Ok(x)
    }
}

#[rustyray::remote]
async fn explode(msg: String) -> i32 {
    panic!("{msg}");
}

#[rustyray::remote]
fn explode_sync(code: i32) -> i32 {
    panic!("sync panic {code}");
}

static FLAKY_CALLS: AtomicU32 = AtomicU32::new(0);
static FLAKY_PANICS: AtomicU32 = AtomicU32::new(0);
static STUBBORN_CALLS: AtomicU32 = AtomicU32::new(0);

#[rustyray::remote(max_retries = 2, retry_exceptions = true)]
async fn flaky(succeed_on: u32) -> Result<u32, Rejected> {
    let n = FLAKY_CALLS.fetch_add(1, Ordering::SeqCst) + 1;
    if n < succeed_on {
        Err(Rejected(n as i32))
    } else {
        Ok(n)
    }
}

#[rustyray::remote(max_retries = 3, retry_exceptions = true)]
fn flaky_panic(succeed_on: u32) -> u32 {
    let n = FLAKY_PANICS.fetch_add(1, Ordering::SeqCst) + 1;
    assert!(n >= succeed_on, "attempt {n} fails");
    n
}

#[rustyray::remote(max_retries = 5)]
async fn stubborn() -> Result<u32, Rejected> {
    Err(Rejected(
        STUBBORN_CALLS.fetch_add(1, Ordering::SeqCst) as i32
    ))
}

#[rustyray::remote]
async fn nested(depth: u32) -> u32 {
    if depth == 0 {
        return 0;
    }
    match nested::remote(depth - 1).await {
        Ok(r) => r.get().await.map_or(u32::MAX, |v| v + 1),
        Err(_) => u32::MAX,
    }
}

#[rustyray::remote]
fn nested_sync(depth: u32) -> u32 {
    if depth == 0 {
        return 0;
    }
    nested_sync::remote(depth - 1)
        .into_result()
        .and_then(|r| r.get_blocking())
        .map_or(u32::MAX, |v| v + 1)
}

#[rustyray::remote]
async fn ids_inside() -> (TaskId, ObjectId, ObjectId, TaskId) {
    let me = rustyray::put(0u8).expect("put").id().task_id();
    let first_put = rustyray::put(1u8).expect("put").id();
    let second_put = rustyray::put(2u8).expect("put").id();
    let child = add::remote(1, 1).await.expect("child").task_id();
    (me, first_put, second_put, child)
}

#[rustyray::remote]
fn wait_for(rx_index: usize) -> usize {
    let rx = RECEIVERS.lock().expect("lock")[rx_index]
        .take()
        .expect("receiver");
    rx.recv_timeout(LIMIT).expect("the async task ran")
}

#[rustyray::remote]
async fn send_to(tx_index: usize, value: usize) -> usize {
    let tx = SENDERS.lock().expect("lock")[tx_index]
        .take()
        .expect("sender");
    tx.send(value).expect("send");
    value
}

type Slots<T> = std::sync::Mutex<Vec<Option<T>>>;
static RECEIVERS: Slots<mpsc::Receiver<usize>> = std::sync::Mutex::new(Vec::new());
static SENDERS: Slots<mpsc::Sender<usize>> = std::sync::Mutex::new(Vec::new());

#[rustyray::remote]
async fn sleepy(ms: u64) -> u64 {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    ms
}

#[rustyray::remote]
async fn hold(gate: ObjectRef<()>) -> u32 {
    gate.get().await.map_or(0, |()| 1)
}

#[test]
fn remote_returns_object_refs() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let r = add::remote(1, 2).await?;
        assert_eq!(r.get().await?, 3);
        assert_eq!(r.clone().await?, 3, "IntoFuture");
        let m = mul::remote(6u64, 7u64).await?;
        assert_eq!(m.get().await?, 42);
        let big = mul::remote(1 << 40, 2).await?;
        assert_eq!(big.get().await?, 1 << 41, "literals infer u64");
        let s = concat::remote("a".to_owned(), vec!["b".to_owned(), "c".to_owned()]).await?;
        assert_eq!(s.get().await?, "abc");
        let n = nothing::remote().await?;
        n.get().await?;
        rustyray::Result::Ok(())
    })
    .expect("tasks");
}

#[test]
fn object_ref_arguments_resolve_before_the_call() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let r = add::remote(1, 2).await?;
        let s = add::remote(r.clone(), 10).await?;
        let t = add::remote(&s, &r).await?;
        assert_eq!(t.get().await?, 16);
        let chain = (0..50).try_fold(add::remote(0, 0).into_result()?, |prev, _| {
            add::remote(prev, 1).into_result()
        })?;
        assert_eq!(chain.get().await?, 50);
        let p = rustyray::put(vec!["x".to_owned()])?;
        let c = concat::remote("w".to_owned(), p).await?;
        assert_eq!(c.get().await?, "wx");
        rustyray::Result::Ok(())
    })
    .expect("refs");
}

#[test]
fn object_ref_parameters_receive_the_ref() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let r = rustyray::put(5)?;
        let (id, v) = ref_id::remote(r.clone()).await?.get().await?;
        assert_eq!(id, r.id());
        assert_eq!(v, 5);
        rustyray::Result::Ok(())
    })
    .expect("ref param");
}

#[test]
fn failed_arguments_fail_the_dependent_task() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let bad = checked::remote(-3).await?;
        let dependent = add::remote(bad.clone(), 1).await?;
        let err = dependent.get().await.expect_err("upstream failed");
        assert_eq!(err.task_id(), Some(bad.task_id()));
        assert_eq!(err.downcast_ref::<Rejected>().map(|r| r.0), Some(-3));
        rustyray::Result::Ok(())
    })
    .expect("propagation");
}

#[test]
fn errors_surface_at_get_with_their_cause() {
    let rt = runtime(2.0);
    drive(&rt, async {
        assert_eq!(checked::remote(4).await?.get().await?, 4);
        let r = checked::remote(-1).await?;
        let err = r.get().await.expect_err("negative input");
        match &err {
            RustyRayError::TaskFailed {
                task_id, function, ..
            } => {
                assert_eq!(*task_id, r.task_id());
                assert_eq!(*function, "checked");
            }
            other => panic!("unexpected {other:?}"),
        }
        let source = std::error::Error::source(&err).expect("source");
        assert_eq!(source.downcast_ref::<Rejected>().map(|e| e.0), Some(-1));
        assert!(err.to_string().contains("value -1 rejected"), "{err}");
        let again = r.get().await.expect_err("the error is kept");
        assert!(again.downcast_ref::<Rejected>().is_some());

        let io = checked_sync::remote(-1).await?.get().await.expect_err("io");
        assert_eq!(
            io.downcast_ref::<std::io::Error>().map(|e| e.to_string()),
            Some("negative".to_owned())
        );
        rustyray::Result::Ok(())
    })
    .expect("errors");
}

#[test]
fn panics_fail_the_task_only() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let boom = explode::remote("kaboom".to_owned()).await?;
        let ok = add::remote(2, 2).await?;
        match boom.get().await {
            Err(RustyRayError::TaskPanicked {
                message, task_id, ..
            }) => {
                assert_eq!(message, "kaboom");
                assert_eq!(task_id, boom.task_id());
            }
            other => panic!("unexpected {other:?}"),
        }
        match explode_sync::remote(7).await?.get().await {
            Err(RustyRayError::TaskPanicked { message, .. }) => {
                assert_eq!(message, "sync panic 7")
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(ok.get().await?, 4);
        assert_eq!(add::remote(1, 1).await?.get().await?, 2, "runtime survives");
        assert_eq!(rt_cpus(), Some(2.0), "resources were returned");
        rustyray::Result::Ok(())
    })
    .expect("panics");
}

fn rt_cpus() -> Option<f64> {
    rustyray::runtime().ok()?.available_resource("CPU")
}

#[test]
fn retries_follow_retry_exceptions_and_max_retries() {
    let rt = runtime(2.0);
    drive(&rt, async {
        FLAKY_CALLS.store(0, Ordering::SeqCst);
        assert_eq!(flaky::remote(3).await?.get().await?, 3, "two retries");
        FLAKY_CALLS.store(0, Ordering::SeqCst);
        let err = flaky::remote(5).await?.get().await.expect_err("too flaky");
        assert_eq!(FLAKY_CALLS.load(Ordering::SeqCst), 3, "1 try + 2 retries");
        assert_eq!(err.downcast_ref::<Rejected>().map(|r| r.0), Some(3));

        FLAKY_CALLS.store(0, Ordering::SeqCst);
        let once = flaky::options().max_retries(0).remote(2).await?;
        assert!(once.get().await.is_err());
        assert_eq!(FLAKY_CALLS.load(Ordering::SeqCst), 1, "no retries");

        FLAKY_PANICS.store(0, Ordering::SeqCst);
        assert_eq!(flaky_panic::remote(3).await?.get().await?, 3);

        STUBBORN_CALLS.store(0, Ordering::SeqCst);
        assert!(stubborn::remote().await?.get().await.is_err());
        assert_eq!(
            STUBBORN_CALLS.load(Ordering::SeqCst),
            1,
            "without retry_exceptions, errors are not retried"
        );
        STUBBORN_CALLS.store(0, Ordering::SeqCst);
        let retried = stubborn::options().retry_exceptions(true).remote().await?;
        assert!(retried.get().await.is_err());
        assert_eq!(STUBBORN_CALLS.load(Ordering::SeqCst), 6);
        rustyray::Result::Ok(())
    })
    .expect("retries");
}

#[test]
fn ids_are_derived_as_ray_does() {
    let rt = runtime(2.0);
    let other = runtime(1.0);
    assert_ne!(rt.job_id(), other.job_id(), "a JobId per runtime");
    other.shutdown();
    let job = rt.job_id();
    let driver = TaskId::for_driver_task(&job);
    assert_eq!(rt.driver_task_id(), driver);
    drive(&rt, async move {
        let first = add::remote(1, 2).await?;
        let expected = TaskId::for_normal_task(&job, &driver, 1);
        assert_eq!(first.task_id(), expected);
        assert_eq!(first.id(), ObjectId::from_index(&expected, 1).expect("id"));
        let second = add::remote(1, 2).await?;
        assert_eq!(second.task_id(), TaskId::for_normal_task(&job, &driver, 2));

        let p1 = rustyray::put(1)?;
        let p2 = rustyray::put(2)?;
        assert_eq!(p1.id(), ObjectId::from_index(&driver, 1).expect("id"));
        assert_eq!(p2.id(), ObjectId::from_index(&driver, 2).expect("id"));

        let inner = ids_inside::remote().await?;
        let (me, put1, put2, child) = inner.get().await?;
        let task = inner.task_id();
        assert_eq!(task, TaskId::for_normal_task(&job, &driver, 3));
        assert_eq!(me, task, "puts inside a task belong to it");
        assert_eq!(
            put1.object_index(),
            3,
            "after the return index and the first put"
        );
        assert_eq!(put2.object_index(), 4);
        assert_eq!(child, TaskId::for_normal_task(&job, &task, 1));
        rustyray::Result::Ok(())
    })
    .expect("ids");
}

/// The number of live objects once it reaches `expected` (or after 5 s): a task lets go of
/// its output just after completing it, so `get` may return while producers still hold one.
async fn live_objects_settle(rt: &rustyray::Runtime, expected: usize) -> usize {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while rt.live_objects() != expected && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    rt.live_objects()
}

#[test]
fn objects_are_freed_with_their_last_ref() {
    let rt = runtime(2.0);
    let rt2 = rt.clone();
    drive(&rt, async move {
        assert_eq!(rt2.live_objects(), 0);
        let a = rustyray::put(vec![0u8; 1024])?;
        let b = a.clone();
        let id = a.id();
        assert_eq!(rt2.live_objects(), 1);
        assert!(rt2.contains_object(&id));
        let found: ObjectRef<Vec<u8>> = rt2.object_ref(&id).expect("lookup by id");
        assert!(rt2.object_ref::<String>(&id).is_none(), "typed lookup");
        drop((a, found));
        assert_eq!(rt2.live_objects(), 1);
        drop(b);
        assert_eq!(rt2.live_objects(), 0);
        assert!(!rt2.contains_object(&id));

        let refs: Vec<_> = (0..100)
            .map(|i| add::remote(i, 1).into_result())
            .collect::<Result<_, _>>()?;
        let values = rustyray::get(&refs).await?;
        assert_eq!(values, (1..=100).collect::<Vec<_>>());
        assert_eq!(rt2.live_objects(), 100);
        drop(refs);
        assert_eq!(live_objects_settle(&rt2, 0).await, 0);

        let x = add::remote(1, 1).await?;
        let y = add::remote(x.clone(), 1).await?;
        drop(x);
        assert_eq!(y.get().await?, 3);
        assert_eq!(
            live_objects_settle(&rt2, 1).await,
            1,
            "the argument was released"
        );
        rustyray::Result::Ok(())
    })
    .expect("store");
}

#[test]
fn the_object_store_capacity_is_enforced() {
    let rt = rustyray::Runtime::builder()
        .object_store_capacity(2)
        .build()
        .expect("rt");
    drive(&rt, async {
        let a = rustyray::put(1)?;
        let b = add::remote(1, 1).await?;
        assert!(matches!(
            rustyray::put(3),
            Err(RustyRayError::ObjectStoreFull { capacity: 2 })
        ));
        assert!(matches!(
            add::remote(1, 1).await,
            Err(RustyRayError::ObjectStoreFull { .. })
        ));
        drop(a);
        assert_eq!(b.get().await?, 2);
        assert!(rustyray::put(4).is_ok());
        rustyray::Result::Ok(())
    })
    .expect("capacity");
}

#[test]
fn nested_tasks_deeper_than_the_cpu_count_do_not_deadlock() {
    let rt = runtime(2.0);
    drive(&rt, async {
        assert_eq!(nested::remote(12).await?.get().await?, 12);
        assert_eq!(nested_sync::remote(6).await?.get().await?, 6);
        rustyray::Result::Ok(())
    })
    .expect("nested");
    let one = runtime(1.0);
    drive(&one, async {
        assert_eq!(nested::remote(8).await?.get().await?, 8);
        rustyray::Result::Ok(())
    })
    .expect("nested on one cpu");
}

#[test]
fn sync_functions_run_on_the_blocking_pool() {
    let rt = Runtime::builder()
        .num_cpus(4.0)
        .worker_threads(1)
        .build()
        .expect("rt");
    let (tx, rx) = mpsc::channel();
    let (rx_index, tx_index) = {
        let mut r = RECEIVERS.lock().expect("lock");
        let mut s = SENDERS.lock().expect("lock");
        r.push(Some(rx));
        s.push(Some(tx));
        (r.len() - 1, s.len() - 1)
    };
    drive(&rt, async move {
        let blocked = wait_for::remote(rx_index).await?;
        tokio::task::yield_now().await;
        let sender = send_to::remote(tx_index, 7).await?;
        assert_eq!(sender.get().await?, 7);
        assert_eq!(blocked.get().await?, 7);
        rustyray::Result::Ok(())
    })
    .expect("blocking pool");
}

use rustyray::Runtime;

#[test]
fn get_with_timeouts_wait_and_cancel() {
    let rt = runtime(1.0);
    drive(&rt, async {
        let slow = sleepy::remote(60_000).await?;
        match slow.get_timeout(Duration::from_millis(20)).await {
            Err(RustyRayError::Timeout(d)) => assert_eq!(d, Duration::from_millis(20)),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            rustyray::get_timeout(std::slice::from_ref(&slow), Duration::from_millis(5)).await,
            Err(RustyRayError::Timeout(_))
        ));
        let fast = sleepy::options().num_cpus(0.0).remote(1).await?;
        let (ready, not_ready) = rustyray::wait(
            &[slow.clone(), fast.clone()],
            1,
            Some(Duration::from_secs(10)),
        )
        .await?;
        assert_eq!(ready.len(), 1);
        assert_eq!(ready[0].id(), fast.id());
        assert_eq!(not_ready[0].id(), slow.id());
        let (ready, _) = rustyray::wait(
            std::slice::from_ref(&slow),
            1,
            Some(Duration::from_millis(10)),
        )
        .await?;
        assert!(ready.is_empty(), "timeout returns what is ready");
        assert!(rustyray::wait(std::slice::from_ref(&slow), 2, None)
            .await
            .is_err());

        assert!(rustyray::cancel(&slow));
        match slow.get().await {
            Err(RustyRayError::Cancelled { task_id }) => assert_eq!(task_id, slow.task_id()),
            other => panic!("unexpected {other:?}"),
        }
        assert!(!rustyray::cancel(&fast), "finished tasks are not cancelled");
        assert_eq!(fast.get().await?, 1);

        let gate = rustyray::put(())?;
        let queued_behind = hold::remote(gate).await?;
        assert_eq!(
            queued_behind.get().await?,
            1,
            "the CPU came back after the cancel"
        );
        rustyray::Result::Ok(())
    })
    .expect("timeouts");
}

#[test]
fn submitting_without_a_runtime_fails() {
    assert!(!rustyray::is_initialized());
    assert!(matches!(
        add::remote(1, 2).into_result(),
        Err(RustyRayError::NotInitialised)
    ));
    assert!(matches!(
        rustyray::put(1),
        Err(RustyRayError::NotInitialised)
    ));
    assert!(matches!(
        rustyray::runtime(),
        Err(RustyRayError::NotInitialised)
    ));
}

#[test]
fn remote_on_targets_an_explicit_runtime() {
    let a = runtime(1.0);
    let b = runtime(1.0);
    let b2 = b.clone();
    let job_b = b.job_id();
    drive(&a, async move {
        let r = add::remote_on(&b2, 4, 5).await?;
        assert_eq!(r.task_id().job_id().ok(), Some(job_b));
        assert_eq!(r.get().await?, 9);
        assert!(b2.contains_object(&r.id()));
        let o = add::options().runtime(&b2).remote(1, 1).await?;
        assert_eq!(o.task_id().job_id().ok(), Some(job_b));
        rustyray::Result::Ok(())
    })
    .expect("remote_on");
    b.shutdown();
}

#[test]
fn shutdown_fails_pending_objects() {
    let rt = runtime(1.0);
    let slow = rt
        .block_on(async { sleepy::remote(60_000).await })
        .expect("submit");
    rt.shutdown();
    assert!(matches!(
        slow.try_get(),
        Some(Err(RustyRayError::RuntimeShutDown))
    ));
    assert!(matches!(
        slow.get_blocking(),
        Err(RustyRayError::RuntimeShutDown)
    ));
    assert!(matches!(
        add::remote_on(&rt, 1, 1).into_result(),
        Err(RustyRayError::RuntimeShutDown)
    ));
}

#[rustyray::remote]
async fn step(prev: u64) -> u64 {
    prev + 1
}

static COUNTED_STEPS: AtomicU32 = AtomicU32::new(0);

#[rustyray::remote]
fn counted_step(prev: u64) -> u64 {
    COUNTED_STEPS.fetch_add(1, Ordering::SeqCst);
    prev + 1
}

/// Tasks waiting for their arguments: long chains run and free their objects, and a
/// cancelled waiting task never runs once its argument arrives.
#[test]
fn tasks_waiting_for_arguments_start_when_they_are_ready() {
    let rt = runtime(2.0);
    let rt2 = rt.clone();
    drive(&rt, async move {
        let mut r = step::remote(0).await?;
        for _ in 1..10_000 {
            r = step::remote(r).await?;
        }
        assert_eq!(r.get().await?, 10_000);
        drop(r);
        assert_eq!(live_objects_settle(&rt2, 0).await, 0);

        let gate = sleepy::remote(50).await?;
        let cancelled = counted_step::remote(&gate).await?;
        let kept = counted_step::remote(&gate).await?;
        assert!(cancelled.cancel());
        assert_eq!(kept.get().await?, 51);
        assert!(matches!(
            cancelled.get().await,
            Err(RustyRayError::Cancelled { .. })
        ));
        assert_eq!(COUNTED_STEPS.load(Ordering::SeqCst), 1);
        rustyray::Result::Ok(())
    })
    .expect("chains");
}

/// A shutdown fails every task of a long chain still waiting for its head.
#[test]
fn shutdown_fails_chains_waiting_for_arguments() {
    let rt = runtime(1.0);
    let (head, tail) = rt
        .block_on(async {
            let head = sleepy::remote(60_000).await?;
            let mut r = step::remote(&head).await?;
            for _ in 1..20_000 {
                r = step::remote(r).await?;
            }
            rustyray::Result::Ok((head, r))
        })
        .expect("submit");
    rt.shutdown();
    for r in [head, tail] {
        assert!(matches!(
            r.try_get(),
            Some(Err(RustyRayError::RuntimeShutDown))
        ));
    }
}

#[rustyray::remote]
fn sleeps_sync(ms: u64) -> u64 {
    std::thread::sleep(Duration::from_millis(ms));
    ms
}

/// Issue item 5: an object still pending when `shutdown` is called fails with
/// `RuntimeShutDown`, whatever its task does later.
#[test]
fn shutdown_fails_objects_of_running_sync_tasks() {
    let rt = runtime(1.0);
    let slow = rt
        .block_on(async {
            let r = sleeps_sync::remote(1_000).await?;
            tokio::time::sleep(Duration::from_millis(50)).await;
            rustyray::Result::Ok(r)
        })
        .expect("submit");
    rt.shutdown();
    assert!(matches!(
        slow.try_get(),
        Some(Err(RustyRayError::RuntimeShutDown))
    ));
    std::thread::sleep(Duration::from_millis(1_100));
    assert!(matches!(
        slow.get_blocking(),
        Err(RustyRayError::RuntimeShutDown)
    ));
}

#[rustyray::remote]
async fn spawns_a_submitter() -> rustyray::Result<i32> {
    let spawned = tokio::spawn(async { add::remote(20, 1).await?.get().await });
    spawned
        .await
        .map_err(|e| RustyRayError::InvalidArgument(e.to_string()))?
}

/// Issue item 8: futures spawned with `tokio::spawn` inside a task (or the driver) of a
/// non-global runtime submit to that runtime.
#[test]
fn tokio_spawned_futures_keep_the_runtime() {
    let rt = runtime(2.0);
    let job = rt.job_id();
    drive(&rt, async move {
        assert_eq!(spawns_a_submitter::remote().await?.get().await?, 21);
        let from_driver = tokio::spawn(async { add::remote(1, 2).await?.get().await })
            .await
            .map_err(|e| RustyRayError::InvalidArgument(e.to_string()))??;
        assert_eq!(from_driver, 3);
        let r = tokio::spawn(async { rustyray::put(5) })
            .await
            .map_err(|e| RustyRayError::InvalidArgument(e.to_string()))??;
        assert_eq!(r.task_id().job_id().ok(), Some(job));
        rustyray::Result::Ok(())
    })
    .expect("spawned submissions");
}
