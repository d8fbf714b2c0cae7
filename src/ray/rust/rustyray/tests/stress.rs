//! Randomized scheduling stress: random trees of nested tasks with random CPU, GPU and
//! custom requests, concurrent and sequential gets, timeouts, cancels and actor calls, on
//! small runtimes. Each round must finish in bounded time, every object must resolve to a
//! value or to the error its history explains, every resource must come back and no
//! object may outlive its references.
//!
//! `RUSTYRAY_STRESS_SECONDS` (default 20) bounds the rounds' total time;
//! `RUSTYRAY_STRESS_SEED` picks the first seed (default 1). A failure names its seed.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use rustyray::{ObjectRef, Runtime, RustyRayError};

/// xorshift64*: small, seedable, and enough to vary the shapes.
#[derive(Clone, Copy)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[rustyray::actor]
#[derive(Default)]
pub struct Tally {
    calls: u64,
}

#[rustyray::actor_methods]
impl Tally {
    pub fn new() -> Self {
        Tally { calls: 0 }
    }

    pub fn bump(&mut self) -> u64 {
        self.calls += 1;
        self.calls
    }

    pub async fn bump_later(&mut self, ms: u64) -> u64 {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        self.calls += 1;
        self.calls
    }
}

/// Errors a node may legitimately see from a child.
fn expected(e: &RustyRayError) -> bool {
    matches!(
        e,
        RustyRayError::Cancelled { .. } | RustyRayError::Timeout(_)
    ) || e.downcast_ref::<RustyRayError>().is_some_and(expected)
}

/// Submits one node with random options. Inner nodes ask for CPU only (a blocked task
/// lends its CPU, not its GPU or custom resources, as in Ray, so nested GPU holders could
/// wait on each other forever); leaves may ask for anything the runtime has.
fn submit(rng: &mut Rng, depth: u32) -> rustyray::Result<ObjectRef<u64>> {
    let rt = rustyray::runtime()?;
    let seed = rng.next();
    let cpus = [0.0, 0.5, 1.0][rng.below(3) as usize];
    let mut options = node::options().num_cpus(cpus);
    let leaf = depth == 0;
    if leaf {
        let gpus = rt.total_resource("GPU").unwrap_or(0.0);
        if gpus >= 1.0 && rng.chance(30) {
            options = options.num_gpus(1.0);
        }
        if rng.chance(30) {
            options = options.resource("disk", 1.0);
        }
        if rng.chance(30) {
            return sync_leaf::options()
                .num_cpus(cpus)
                .remote(seed)
                .into_result();
        }
    }
    options.remote(seed, depth).into_result()
}

#[rustyray::remote]
fn sync_leaf(seed: u64) -> u64 {
    std::thread::sleep(Duration::from_millis(seed % 4));
    1
}

#[rustyray::remote]
async fn node(seed: u64, depth: u32) -> rustyray::Result<u64> {
    let mut rng = Rng::new(seed);
    if depth == 0 {
        tokio::time::sleep(Duration::from_millis(rng.below(4))).await;
        return Ok(1);
    }
    let n = 1 + rng.below(3);
    let children: Vec<ObjectRef<u64>> = (0..n)
        .map(|_| {
            let below = depth - 1 - rng.below(u64::from(depth)) as u32;
            submit(&mut rng, below)
        })
        .collect::<rustyray::Result<_>>()?;
    if rng.chance(15) {
        rustyray::cancel(&children[0]);
    }
    if rng.chance(25) {
        let tally: TallyHandle = rustyray::get_actor("tally")?;
        let r = if rng.chance(50) {
            tally.bump().await?
        } else {
            tally.bump_later(rng.below(3)).await?
        };
        r.get().await?;
    }
    let mut total = 1;
    let outcomes: Vec<rustyray::Result<u64>> = match rng.below(4) {
        0 => futures::future::join_all(children.iter().map(|c| c.get())).await,
        1 => {
            let mut out = Vec::new();
            for c in &children {
                out.push(c.get().await);
            }
            out
        }
        2 => {
            let t = Duration::from_millis(rng.below(5));
            let _ = rustyray::wait(&children, children.len(), Some(t)).await?;
            let first = children[0]
                .get_timeout(Duration::from_millis(rng.below(3)))
                .await;
            let mut out = vec![first];
            for c in &children[1..] {
                out.push(c.get().await);
            }
            out
        }
        _ => {
            let all = rustyray::get(&children).await;
            match all {
                Ok(v) => v.into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            }
        }
    };
    for o in outcomes {
        match o {
            Ok(v) => total += v,
            Err(e) if expected(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(total)
}

fn round(seed: u64) {
    let mut rng = Rng::new(seed);
    let cpus = 1.0 + rng.below(3) as f64;
    let gpus = rng.below(3) as f64;
    let disks = 1.0 + rng.below(2) as f64;
    let rt = Runtime::builder()
        .num_cpus(cpus)
        .num_gpus(gpus)
        .resource("disk", disks)
        .worker_threads(2)
        .build()
        .expect("runtime");
    let driver = rt.clone();
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let out = driver.block_on(async {
            let tally = Tally::options().name("tally").remote().await?;
            let roots: Vec<ObjectRef<u64>> = (0..1 + rng.below(4))
                .map(|_| {
                    let depth = 1 + rng.below(4) as u32;
                    submit(&mut rng, depth)
                })
                .collect::<rustyray::Result<_>>()?;
            if rng.chance(20) {
                rustyray::cancel(&roots[0]);
            }
            let mut results = Vec::new();
            for r in &roots {
                results.push(r.get().await);
            }
            drop(roots);
            tally.kill()?;
            rustyray::Result::Ok(results)
        });
        let _ = done.send(out);
    });
    let results = finished
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("seed {seed}: deadlock, the round did not finish in 30 s"))
        .unwrap_or_else(|e| panic!("seed {seed}: driver failed: {e}"));
    for r in results {
        match r {
            Ok(v) => assert!(v >= 1, "seed {seed}: node count {v}"),
            Err(e) => assert!(expected(&e), "seed {seed}: unexpected error {e}"),
        }
    }
    // Cancelled synchronous leaves may still be running; everything else is done.
    let deadline = Instant::now() + Duration::from_secs(5);
    let settled = |name: &str| rt.available_resource(name) == rt.total_resource(name);
    while !(settled("CPU") && settled("GPU") && settled("disk") && rt.live_objects() == 0)
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    for name in ["CPU", "GPU", "disk"] {
        assert_eq!(
            rt.available_resource(name),
            rt.total_resource(name),
            "seed {seed}: {name} not all returned"
        );
    }
    assert_eq!(
        rt.live_objects(),
        0,
        "seed {seed}: objects outlived their refs"
    );
    rt.shutdown();
}

#[test]
fn random_task_trees_never_deadlock_or_leak() {
    let seconds: u64 = std::env::var("RUSTYRAY_STRESS_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let first: u64 = std::env::var("RUSTYRAY_STRESS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let budget = Duration::from_secs(seconds);
    let start = Instant::now();
    let mut rounds = 0;
    let mut seed = first;
    while rounds < 3 || start.elapsed() < budget {
        round(seed);
        seed += 1;
        rounds += 1;
    }
    eprintln!("{rounds} rounds, seeds {first}..{seed}");
}
