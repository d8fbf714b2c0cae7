//! `max_task_retries`: a call interrupted by an actor restart runs again on the new
//! instance, up to the limit (-1: unbounded); without it the call fails with ActorDied.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{drive, runtime};
use parking_lot::Mutex;
use rustyray::RustyRayError;

/// What the test sees of a worker across its instances.
#[derive(Clone, Default)]
pub struct Probe {
    builds: Arc<AtomicU32>,
    starts: Arc<AtomicU32>,
    finished: Arc<Mutex<Vec<u32>>>,
}

impl Probe {
    /// Waits until `n` calls have started (over all instances).
    async fn started(&self, n: u32) {
        while self.starts.load(Ordering::SeqCst) < n {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    fn finished(&self) -> Vec<u32> {
        self.finished.lock().clone()
    }
}

#[rustyray::actor(max_restarts = 3, max_task_retries = 1)]
pub struct Worker {
    generation: u32,
    probe: Probe,
}

#[rustyray::actor_methods]
impl Worker {
    pub fn new(probe: Probe) -> Self {
        let generation = probe.builds.fetch_add(1, Ordering::SeqCst) + 1;
        Worker { generation, probe }
    }

    /// Hangs on instances older than `generation`, so only a restart lets it finish;
    /// returns the instance it finished on.
    pub async fn work(&self, generation: u32, tag: u32) -> (u32, u32) {
        self.probe.starts.fetch_add(1, Ordering::SeqCst);
        if self.generation < generation {
            std::future::pending::<()>().await;
        }
        self.probe.finished.lock().push(tag);
        (self.generation, tag)
    }
}

#[test]
fn an_interrupted_call_runs_again_on_the_new_instance_before_queued_ones() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let probe = Probe::default();
        let w = Worker::remote(probe.clone()).await?;
        let first = w.work(2, 1).await?;
        probe.started(1).await;
        let queued = w.work(0, 2).await?;
        w.kill_and_restart()?;
        assert_eq!(first.get().await?, (2, 1), "retried on instance 2");
        assert_eq!(queued.get().await?, (2, 2));
        assert_eq!(probe.finished(), vec![1, 2], "the retry ran first");
        assert_eq!(probe.starts.load(Ordering::SeqCst), 3, "2 attempts + 1");
        assert_eq!(w.num_restarts(), 1);
        rustyray::Result::Ok(())
    })
    .expect("retry");
}

#[test]
fn retries_stop_at_max_task_retries() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let probe = Probe::default();
        let w = Worker::remote(probe.clone()).await?;
        let call = w.work(3, 1).await?;
        probe.started(1).await;
        w.kill_and_restart()?;
        probe.started(2).await;
        w.kill_and_restart()?;
        match call.get().await {
            Err(RustyRayError::ActorDied { .. }) => {}
            other => panic!("expected ActorDied after 1 retry, got {other:?}"),
        }
        assert_eq!(probe.starts.load(Ordering::SeqCst), 2, "one retry only");
        assert_eq!(
            w.work(0, 2).await?.get().await?,
            (3, 2),
            "the actor lives on"
        );
        rustyray::Result::Ok(())
    })
    .expect("limit");
}

#[test]
fn without_max_task_retries_the_interrupted_call_fails() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let probe = Probe::default();
        let w = Worker::options()
            .max_task_retries(0)
            .remote(probe.clone())
            .await?;
        let call = w.work(2, 1).await?;
        probe.started(1).await;
        let queued = w.work(0, 2).await?;
        w.kill_and_restart()?;
        assert!(matches!(
            call.get().await,
            Err(RustyRayError::ActorDied { .. })
        ));
        assert_eq!(
            queued.get().await?,
            (2, 2),
            "queued calls wait for the new one"
        );
        assert_eq!(probe.starts.load(Ordering::SeqCst), 2);
        rustyray::Result::Ok(())
    })
    .expect("no retry");
}

#[test]
fn minus_one_retries_without_bound() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let probe = Probe::default();
        let w = Worker::options()
            .max_restarts(5)
            .max_task_retries(-1)
            .remote(probe.clone())
            .await?;
        let call = w.work(5, 1).await?;
        for attempt in 1..=4 {
            probe.started(attempt).await;
            w.kill_and_restart()?;
        }
        assert_eq!(call.get().await?, (5, 1));
        assert_eq!(probe.starts.load(Ordering::SeqCst), 5);
        rustyray::Result::Ok(())
    })
    .expect("unbounded");
}

#[test]
fn concurrent_actors_retry_every_running_call() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let probe = Probe::default();
        let w = Worker::options()
            .max_concurrency(3)
            .remote(probe.clone())
            .await?;
        let a = w.work(2, 1).await?;
        let b = w.work(2, 2).await?;
        let done = w.work(0, 3).await?;
        assert_eq!(done.get().await?, (1, 3), "not interrupted, not repeated");
        probe.started(3).await;
        w.kill_and_restart()?;
        assert_eq!(a.get().await?, (2, 1));
        assert_eq!(b.get().await?, (2, 2));
        assert_eq!(
            probe.starts.load(Ordering::SeqCst),
            5,
            "3 first attempts + 2 retries"
        );
        let mut finished = probe.finished();
        finished[1..].sort_unstable();
        assert_eq!(finished, vec![3, 1, 2], "the retries ran once each");

        let killed = w.work(9, 4).await?;
        probe.started(6).await;
        w.kill()?;
        assert!(
            matches!(killed.get().await, Err(RustyRayError::ActorDied { .. })),
            "kill does not retry"
        );
        rustyray::Result::Ok(())
    })
    .expect("concurrent");
}
