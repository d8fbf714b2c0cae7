//! Actors: ordering, failures, kill, restarts, names, concurrency, lifetime, IDs.

mod common;

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{drive, runtime};
use rustyray::{ObjectRef, RustyRayError, TaskId};

#[rustyray::actor]
pub struct Counter {
    value: i32,
    log: Vec<i32>,
}

#[rustyray::actor_methods]
impl Counter {
    pub fn new(start: i32) -> Self {
        Counter {
            value: start,
            log: Vec::new(),
        }
    }

    pub async fn increment(&mut self) -> i32 {
        self.value += 1;
        self.value
    }

    pub fn add(&mut self, n: i32) -> i32 {
        self.value += n;
        self.log.push(n);
        self.value
    }

    pub fn get(&self) -> i32 {
        self.private_helper()
    }

    pub fn log(&self) -> Vec<i32> {
        self.log.clone()
    }

    pub async fn slow_add(&mut self, n: i32, ms: u64) -> i32 {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        self.add(n)
    }

    pub fn explode(&mut self, why: String) -> i32 {
        self.value = -1000;
        panic!("{why}");
    }

    pub fn add_u64(&mut self, n: u64) -> i32 {
        self.add(i32::try_from(n).unwrap_or(i32::MAX))
    }

    pub fn checked(&self, n: i32) -> Result<i32, std::num::TryFromIntError> {
        u8::try_from(n).map(i32::from)
    }

    pub fn ids(&self) -> TaskId {
        rustyray::put(()).map_or(TaskId::from_bytes([0; 24]), |r| r.task_id())
    }

    fn private_helper(&self) -> i32 {
        self.value
    }
}

#[rustyray::actor(max_restarts = 2)]
pub struct Phoenix {
    generation: u32,
    calls: u32,
}

static PHOENIX_BUILDS: AtomicU32 = AtomicU32::new(0);

#[rustyray::actor_methods]
impl Phoenix {
    pub fn new(fail_first: u32) -> Self {
        let n = PHOENIX_BUILDS.fetch_add(1, Ordering::SeqCst) + 1;
        assert!(n > fail_first, "construction {n} fails");
        Phoenix {
            generation: n,
            calls: 0,
        }
    }

    pub fn call(&mut self) -> (u32, u32) {
        self.calls += 1;
        (self.generation, self.calls)
    }
}

#[rustyray::actor(max_concurrency = 2)]
pub struct Gate {
    barrier: Arc<tokio::sync::Barrier>,
    writes: u32,
}

#[rustyray::actor_methods]
impl Gate {
    pub fn new(parties: usize) -> Self {
        Gate {
            barrier: Arc::new(tokio::sync::Barrier::new(parties)),
            writes: 0,
        }
    }

    pub async fn meet(&self) -> bool {
        self.barrier.wait().await;
        true
    }

    pub fn write(&mut self) -> u32 {
        self.writes += 1;
        self.writes
    }
}

#[rustyray::actor]
#[derive(Default)]
pub struct NotSync {
    cell: Cell<u32>,
}

#[rustyray::actor_methods]
impl NotSync {
    pub fn new() -> Self {
        NotSync { cell: Cell::new(0) }
    }

    pub fn bump(&mut self) -> u32 {
        self.cell.set(self.cell.get() + 1);
        self.cell.get()
    }
}

static DROPPED: AtomicBool = AtomicBool::new(false);

#[rustyray::actor]
pub struct Tracked {
    id: u32,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if self.id == 77 {
            DROPPED.store(true, Ordering::SeqCst);
        }
    }
}

#[rustyray::actor_methods]
impl Tracked {
    pub async fn new(id: u32) -> Self {
        tokio::task::yield_now().await;
        Tracked { id }
    }

    pub fn id(&self) -> u32 {
        self.id
    }

    pub async fn hang(&self) -> u32 {
        std::future::pending::<()>().await;
        self.id
    }
}

#[rustyray::remote]
async fn bump_counter(c: CounterHandle, n: i32) -> i32 {
    match c.add(n).await {
        Ok(r) => r.get().await.unwrap_or(-1),
        Err(_) => -1,
    }
}

fn assert_handle_traits<T: Clone + Send + Sync + 'static>() {}

/// Adds `n` to the counter through its own call, then returns `n`: the driver passes the
/// result to a call of its own on the same actor.
#[rustyray::remote]
async fn add_then_return(c: CounterHandle, n: i32) -> i32 {
    match c.add(n).await {
        Ok(r) => r.get().await.map(|_| n).unwrap_or(-1),
        Err(_) => -1,
    }
}

#[test]
fn a_call_waiting_for_an_argument_holds_back_only_its_own_caller() {
    // Ray orders an actor's calls per caller. The driver's `add(from_task)` waits for a
    // task whose own call on the actor must run first: a mailbox ordered across callers
    // would wait for it forever.
    let rt = runtime(2.0);
    drive(&rt, async {
        let c = Counter::remote(0).await?;
        let from_task = add_then_return::remote(c.clone(), 7).await?;
        let sum = c.add(from_task).await?;
        // The driver's later call, ready at once, still runs after its waiting one.
        let after = c.add(100).await?;
        assert_eq!(sum.get().await?, 14);
        assert_eq!(after.get().await?, 114);
        assert_eq!(c.log().await?.get().await?, vec![7, 7, 100]);
        rustyray::Result::Ok(())
    })
    .expect("calls ordered per caller");
}

#[test]
fn each_callers_calls_keep_their_order_when_some_wait() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let c = Counter::remote(0).await?;
        let slow = later::remote(40).await?;
        // A waiting call (its argument comes from a 40 ms task), then ready ones.
        let first = c.add_u64(slow).await?;
        let rest: Vec<ObjectRef<i32>> = (1..=20)
            .map(|n| c.add(n).into_result())
            .collect::<Result<_, _>>()?;
        first.get().await?;
        rustyray::get(&rest).await?;
        let mut want = vec![40];
        want.extend(1..=20);
        assert_eq!(c.log().await?.get().await?, want);
        rustyray::Result::Ok(())
    })
    .expect("per-caller order");
}

#[test]
fn calls_run_one_at_a_time_in_call_order() {
    assert_handle_traits::<CounterHandle>();
    let rt = runtime(2.0);
    drive(&rt, async {
        let c = Counter::remote(5).await?;
        assert_eq!(c.increment().await?.get().await?, 6);
        let slow = c.slow_add(100, 30).await?;
        let refs: Vec<ObjectRef<i32>> = (1..=50)
            .map(|n| c.add(n).into_result())
            .collect::<Result<_, _>>()?;
        assert_eq!(slow.get().await?, 106);
        let values = rustyray::get(&refs).await?;
        let mut expected = Vec::new();
        let mut v = 106;
        for n in 1..=50 {
            v += n;
            expected.push(v);
        }
        assert_eq!(values, expected);
        let mut log = vec![100];
        log.extend(1..=50);
        assert_eq!(c.log().await?.get().await?, log);

        let clone = c.clone();
        let from_task = bump_counter::remote(clone, 1).await?;
        assert_eq!(from_task.get().await?, v + 1);
        rustyray::Result::Ok(())
    })
    .expect("ordering");
}

#[test]
fn a_panicking_method_fails_that_call_only() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let c = Counter::remote(1).await?;
        let boom = c.explode("bad input".to_owned()).await?;
        let after = c.increment().await?;
        match boom.get().await {
            Err(RustyRayError::TaskPanicked {
                message, function, ..
            }) => {
                assert_eq!(message, "bad input");
                assert_eq!(function, "explode");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(after.get().await?, -999, "the actor lives on");
        assert!(c.is_alive());

        let err = c.checked(300).await?.get().await.expect_err("too big");
        assert!(err.downcast_ref::<std::num::TryFromIntError>().is_some());
        assert_eq!(c.checked(3).await?.get().await?, 3);
        rustyray::Result::Ok(())
    })
    .expect("panics");
}

#[test]
fn kill_stops_the_actor_and_fails_later_calls() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let t = Tracked::remote(1).await?;
        assert_eq!(t.id().await?.get().await?, 1);
        let hanging = t.hang().await?;
        let queued = t.id().await?;
        t.kill()?;
        assert!(!t.is_alive());
        for r in [hanging, queued, t.id().await?] {
            match r.get().await {
                Err(RustyRayError::ActorDied {
                    actor_id, reason, ..
                }) => {
                    assert_eq!(
                        actor_id,
                        rustyray::ActorHandle::id(&t),
                        "the method `id` shadows it"
                    );
                    assert!(reason.contains("kill"), "{reason}");
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        rustyray::kill(&t)?;
        rustyray::Result::Ok(())
    })
    .expect("kill");
}

#[test]
fn actors_stop_when_their_last_handle_is_dropped() {
    let rt = runtime(2.0);
    drive(&rt, async {
        DROPPED.store(false, Ordering::SeqCst);
        let t = Tracked::remote(77).await?;
        let t2 = t.clone();
        assert_eq!(t.id().await?.get().await?, 77);
        drop(t);
        assert!(!DROPPED.load(Ordering::SeqCst));
        assert_eq!(t2.id().await?.get().await?, 77);
        drop(t2);
        tokio::time::timeout(Duration::from_secs(10), async {
            while !DROPPED.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
        .await
        .expect("the actor state was dropped");
        rustyray::Result::Ok(())
    })
    .expect("lifetime");
}

#[test]
fn named_actors_are_found_by_name_and_type() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let c = Counter::options().name("c").remote(5).await?;
        assert_eq!(c.name(), Some("c"));
        let found = rustyray::get_actor::<CounterHandle>("c")?;
        assert_eq!(found.id(), c.id());
        assert_eq!(found.increment().await?.get().await?, 6);
        assert_eq!(c.get().await?.get().await?, 6);

        assert!(matches!(
            rustyray::get_actor::<TrackedHandle>("c"),
            Err(RustyRayError::ActorNotFound(_))
        ));
        assert!(matches!(
            rustyray::get_actor::<CounterHandle>("nope"),
            Err(RustyRayError::ActorNotFound(_))
        ));
        assert!(matches!(
            Counter::options().name("c").remote(1).await,
            Err(RustyRayError::InvalidArgument(_))
        ));
        let same = Counter::options()
            .name("c")
            .get_if_exists(true)
            .remote(1)
            .await?;
        assert_eq!(same.id(), c.id());

        drop((c, found, same));
        let still = rustyray::get_actor::<CounterHandle>("c")?;
        assert_eq!(
            still.get().await?.get().await?,
            6,
            "named actors outlive handles"
        );
        still.kill()?;
        assert!(matches!(
            rustyray::get_actor::<CounterHandle>("c"),
            Err(RustyRayError::ActorNotFound(_))
        ));
        let again = Counter::options().name("c").remote(0).await?;
        assert_eq!(again.get().await?.get().await?, 0, "the name is free again");
        rustyray::Result::Ok(())
    })
    .expect("names");
}

#[test]
fn restarts_rebuild_the_actor_until_max_restarts() {
    let rt = runtime(2.0);
    drive(&rt, async {
        PHOENIX_BUILDS.store(0, Ordering::SeqCst);
        let p = Phoenix::remote(0).await?;
        assert_eq!(p.call().await?.get().await?, (1, 1));
        assert_eq!(p.call().await?.get().await?, (1, 2));
        p.kill_and_restart()?;
        let after = p.call().await?;
        assert_eq!(after.get().await?, (2, 1), "a fresh instance");
        assert_eq!(p.num_restarts(), 1);
        p.kill_and_restart()?;
        assert_eq!(p.call().await?.get().await?, (3, 1));
        p.kill_and_restart()?;
        let dead = p.call().await?;
        assert!(matches!(
            dead.get().await,
            Err(RustyRayError::ActorDied { .. })
        ));
        assert!(!p.is_alive());

        PHOENIX_BUILDS.store(0, Ordering::SeqCst);
        let shaky = Phoenix::remote(2).await?;
        assert_eq!(
            shaky.call().await?.get().await?,
            (3, 1),
            "two failed builds"
        );
        assert_eq!(shaky.num_restarts(), 2);

        PHOENIX_BUILDS.store(0, Ordering::SeqCst);
        let doomed = Phoenix::options().max_restarts(0).remote(1).await?;
        match doomed.call().await?.get().await {
            Err(RustyRayError::ActorDied { reason, .. }) => {
                assert!(reason.contains("construction 1 fails"), "{reason}")
            }
            other => panic!("unexpected {other:?}"),
        }
        rustyray::Result::Ok(())
    })
    .expect("restarts");
}

#[test]
fn max_concurrency_lets_calls_overlap() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let g = Gate::remote(2).await?;
        let a = g.meet().await?;
        let b = g.meet().await?;
        assert!(a.get().await? && b.get().await?, "both calls ran at once");
        assert_eq!(g.write().await?.get().await?, 1);
        assert_eq!(g.write().await?.get().await?, 2);

        let serial = Gate::options().max_concurrency(1).remote(2).await?;
        let first = serial.meet().await?;
        let second = serial.meet().await?;
        assert!(matches!(
            first.get_timeout(Duration::from_millis(100)).await,
            Err(RustyRayError::Timeout(_))
        ));
        serial.kill()?;
        assert!(second.get().await.is_err());

        let stuck = Gate::remote(3).await?;
        let calls = [
            stuck.meet().await?,
            stuck.meet().await?,
            stuck.meet().await?,
        ];
        assert!(matches!(
            calls[0].get_timeout(Duration::from_millis(50)).await,
            Err(RustyRayError::Timeout(_))
        ));
        stuck.kill()?;
        for c in &calls {
            assert!(
                matches!(c.get().await, Err(RustyRayError::ActorDied { .. })),
                "running and queued calls fail"
            );
        }

        assert!(matches!(
            NotSync::options().max_concurrency(2).remote().await,
            Err(RustyRayError::InvalidArgument(_))
        ));
        let ns = NotSync::remote().await?;
        assert_eq!(ns.bump().await?.get().await?, 1);
        rustyray::Result::Ok(())
    })
    .expect("concurrency");
}

#[test]
fn actor_ids_and_task_ids_come_from_ray_common() {
    let rt = runtime(2.0);
    let job = rt.job_id();
    let driver = rt.driver_task_id();
    drive(&rt, async move {
        let c = Counter::remote(0).await?;
        let actor = c.id();
        assert_eq!(actor.job_id().ok(), Some(job));
        let other = Counter::remote(0).await?;
        assert_ne!(other.id(), actor);
        let call = c.get().await?;
        assert_eq!(
            call.task_id(),
            TaskId::for_actor_task(&job, &driver, 3, &actor),
            "third submission of the driver"
        );
        assert_eq!(call.task_id().actor_id(), actor);
        assert_eq!(call.id().object_index(), 1);
        let inside = c.ids().await?;
        assert_eq!(
            inside.get().await?,
            inside.task_id(),
            "puts inside a method"
        );
        rustyray::Result::Ok(())
    })
    .expect("ids");
}

#[test]
fn actor_arguments_accept_object_refs_and_resources_are_held() {
    let rt = runtime(2.0);
    let rt2 = rt.clone();
    drive(&rt, async move {
        let start = rustyray::put(10)?;
        let c = Counter::options().num_cpus(1.0).remote(start).await?;
        let n = rustyray::put(5)?;
        assert_eq!(c.add(n).await?.get().await?, 15);
        assert_eq!(
            rt2.available_resource("CPU"),
            Some(1.0),
            "the actor holds a CPU"
        );
        c.kill()?;
        tokio::time::timeout(Duration::from_secs(10), async {
            while rt2.available_resource("CPU") != Some(2.0) {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
        .await
        .expect("the CPU was released");
        assert!(matches!(
            Counter::options().num_cpus(3.0).remote(0).await,
            Err(RustyRayError::Infeasible(_))
        ));
        rustyray::Result::Ok(())
    })
    .expect("actor resources");
}

#[test]
fn queued_calls_can_be_cancelled() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let c = Counter::remote(0).await?;
        let slow = c.slow_add(1, 50).await?;
        let cancelled = c.add(10).await?;
        assert!(cancelled.cancel());
        let after = c.add(100).await?;
        assert_eq!(slow.get().await?, 1);
        assert!(matches!(
            cancelled.get().await,
            Err(RustyRayError::Cancelled { .. })
        ));
        assert_eq!(after.get().await?, 101, "the cancelled call never ran");
        rustyray::Result::Ok(())
    })
    .expect("cancel");
}

#[rustyray::actor]
#[derive(Default)]
pub struct Waiter {
    waited: u32,
}

#[rustyray::actor_methods]
impl Waiter {
    pub fn new() -> Self {
        Waiter { waited: 0 }
    }

    /// A synchronous method reading an object: it blocks its thread until the object is
    /// ready.
    pub fn read(&mut self, r: ObjectRef<u64>) -> u64 {
        self.waited += 1;
        r.get_blocking().unwrap_or(0)
    }

    pub fn spin(&self, ms: u64) -> u64 {
        std::thread::sleep(Duration::from_millis(ms));
        ms
    }
}

#[rustyray::remote]
async fn later(ms: u64) -> u64 {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    ms
}

/// Issue item 4: synchronous actor methods run on the blocking pool, not on the async
/// workers: two actors blocked in `get_blocking` on a 2-worker runtime leave the workers
/// free for the tasks they wait on, and long sync methods do not delay async tasks.
#[test]
fn sync_actor_methods_do_not_block_the_async_workers() {
    let rt = runtime(2.0);
    let rt2 = rt.clone();
    // A deadlock here stops the runtime's timers too, so the bound is a plain thread's.
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let out = rt2.block_on(async move {
            let a = Waiter::remote().await?;
            let b = Waiter::remote().await?;
            let value = later::options().num_cpus(0.0).remote(200).await?;
            let ra = a.read(value.clone()).await?;
            let rb = b.read(value.clone()).await?;
            assert_eq!((ra.get().await?, rb.get().await?), (200, 200));

            let spins = [a.spin(1_500).await?, b.spin(1_500).await?];
            tokio::time::sleep(Duration::from_millis(50)).await;
            let t0 = std::time::Instant::now();
            let quick = later::options().num_cpus(0.0).remote(1).await?;
            quick.get().await?;
            let delay = t0.elapsed();
            rustyray::get(&spins).await?;
            rustyray::Result::Ok(delay)
        });
        let _ = done.send(out);
    });
    let delay = finished
        .recv_timeout(Duration::from_secs(15))
        .expect("deadlock: sync actor methods blocked the async workers")
        .expect("sync methods");
    assert!(
        delay < Duration::from_millis(500),
        "an async task waited {delay:?} behind sync actor methods"
    );
    rt.shutdown();
}

#[rustyray::remote]
async fn add_through(counter: CounterHandle, n: i32) -> rustyray::Result<i32> {
    counter.add(n).await?.get().await
}

/// A handle passed to a task calls the same actor; in-process it passes as it is, while
/// its serde form (what a cluster task would get) is refused with the reason.
#[test]
fn actor_handles_pass_to_tasks() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let counter = Counter::remote(1).await?;
        assert_eq!(
            add_through::remote(counter.clone(), 4).await?.get().await?,
            5
        );
        assert_eq!(counter.get().await?.get().await?, 5);
        let refused = rmp_serde::to_vec(&counter).expect_err("an in-process handle");
        assert!(
            refused
                .to_string()
                .contains("in-process actor Counter cannot be passed to a cluster task"),
            "{refused}"
        );
        rustyray::Result::Ok(())
    })
    .expect("handles");
}
