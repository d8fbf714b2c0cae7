//! Concurrency groups: each group bounds its own running calls, and a full group does not
//! hold back the calls of another.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{drive, runtime};
use rustyray::{ObjectRef, RustyRayError};

const DEFAULT: usize = 0;
const IO: usize = 1;
const COMPUTE: usize = 2;

/// Running and peak calls of one group.
#[derive(Default)]
struct Meter {
    running: AtomicUsize,
    peak: AtomicUsize,
}

#[rustyray::actor(max_concurrency = 1, concurrency_groups(io = 2, compute = 3))]
pub struct Service {
    meters: [Meter; 3],
    gate: Arc<tokio::sync::Semaphore>,
}

impl Service {
    async fn metered(&self, group: usize, ms: u64) -> usize {
        let m = &self.meters[group];
        let now = m.running.fetch_add(1, Ordering::SeqCst) + 1;
        m.peak.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(ms)).await;
        m.running.fetch_sub(1, Ordering::SeqCst);
        group
    }
}

#[rustyray::actor_methods]
impl Service {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Service {
            meters: Default::default(),
            gate: Arc::new(tokio::sync::Semaphore::new(0)),
        }
    }

    #[rustyray::method(concurrency_group = "io")]
    pub async fn io(&self, ms: u64) -> usize {
        self.metered(IO, ms).await
    }

    #[rustyray::method(concurrency_group = "compute")]
    pub async fn compute(&self, ms: u64) -> usize {
        self.metered(COMPUTE, ms).await
    }

    pub async fn plain(&self, ms: u64) -> usize {
        self.metered(DEFAULT, ms).await
    }

    /// Holds an `io` slot until the gate opens.
    #[rustyray::method(concurrency_group = "io")]
    pub async fn io_blocked(&self) -> bool {
        self.gate.acquire().await.map(|p| p.forget()).is_ok()
    }

    #[rustyray::method(concurrency_group = "compute")]
    pub fn open(&self, n: usize) {
        self.gate.add_permits(n);
    }

    #[rustyray::method(concurrency_group = "compute")]
    pub fn peaks(&self) -> [usize; 3] {
        [0, 1, 2].map(|g| self.meters[g].peak.load(Ordering::SeqCst))
    }
}

#[rustyray::actor]
#[derive(Default)]
pub struct Bare;

#[rustyray::actor_methods]
impl Bare {
    pub fn new() -> Self {
        Bare
    }

    #[rustyray::method(concurrency_group = "io")]
    pub fn read(&self) -> u8 {
        1
    }
}

#[test]
fn each_group_runs_at_most_its_limit() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let s = Service::remote().await?;
        assert_eq!(
            s.concurrency_groups(),
            ["io".to_owned(), "compute".to_owned()]
        );
        let mut refs: Vec<ObjectRef<usize>> = Vec::new();
        for _ in 0..12 {
            refs.push(s.io(15).await?);
            refs.push(s.compute(15).await?);
        }
        for _ in 0..4 {
            refs.push(s.plain(15).await?);
        }
        let groups = rustyray::get(&refs).await?;
        assert_eq!(groups.iter().filter(|g| **g == IO).count(), 12);
        let peaks = s.peaks().await?.get().await?;
        assert_eq!(peaks, [1, 2, 3], "default (max_concurrency), io, compute");
        rustyray::Result::Ok(())
    })
    .expect("limits");
}

#[test]
fn a_saturated_group_does_not_block_the_others() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let s = Service::remote().await?;
        let blocked = [s.io_blocked().await?, s.io_blocked().await?];
        let queued_io = s.io(1).await?;
        let limit = Duration::from_secs(10);
        assert_eq!(s.compute(1).await?.get_timeout(limit).await?, COMPUTE);
        assert_eq!(s.plain(1).await?.get_timeout(limit).await?, DEFAULT);
        let moved = s.in_concurrency_group("compute").io(1).await?;
        assert_eq!(moved.get_timeout(limit).await?, IO, "per-call group");
        assert!(!queued_io.is_ready(), "io is still full");
        assert!(blocked.iter().all(|b| !b.is_ready()));

        s.open(2).await?.get().await?;
        assert_eq!(queued_io.get_timeout(limit).await?, IO);
        assert!(rustyray::get(&blocked).await?.into_iter().all(|ok| ok));
        rustyray::Result::Ok(())
    })
    .expect("isolation");
}

#[test]
fn unknown_groups_are_reported() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let s = Service::remote().await?;
        match s.in_concurrency_group("nope").plain(1).await {
            Err(RustyRayError::InvalidArgument(msg)) => {
                assert!(
                    msg.contains("\"nope\"") && msg.contains("io, compute"),
                    "{msg}"
                );
            }
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
        let bare = Bare::remote().await?;
        match bare.read().await {
            Err(RustyRayError::InvalidArgument(msg)) => assert!(msg.contains("\"io\""), "{msg}"),
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
        assert!(matches!(
            Service::options().concurrency_group("x", 0).remote().await,
            Err(RustyRayError::InvalidArgument(_))
        ));
        rustyray::Result::Ok(())
    })
    .expect("unknown");
}

#[test]
fn options_resize_a_group() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let s = Service::options()
            .concurrency_group("io", 1)
            .concurrency_group("extra", 2)
            .remote()
            .await?;
        assert_eq!(
            s.concurrency_groups(),
            ["compute".to_owned(), "io".to_owned(), "extra".to_owned()]
        );
        let refs = (0..6)
            .map(|_| s.io(5).into_result())
            .collect::<rustyray::Result<Vec<_>>>()?;
        rustyray::get(&refs).await?;
        assert_eq!(s.peaks().await?.get().await?[IO], 1);
        rustyray::Result::Ok(())
    })
    .expect("resize");
}
