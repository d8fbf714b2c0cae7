//! Runtime lifetime: a dropped runtime releases its threads. Alone in its test binary,
//! because it counts the process's threads.

use std::time::{Duration, Instant};

use rustyray::Runtime;

#[rustyray::actor]
#[derive(Default)]
pub struct Named {
    hits: u32,
}

#[rustyray::actor_methods]
impl Named {
    pub fn new() -> Self {
        Named { hits: 0 }
    }

    pub fn hit(&mut self) -> u32 {
        self.hits += 1;
        self.hits
    }
}

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, |d| d.count())
}

/// Issue item 7: the named-actor table must not keep its runtime (and its threads) alive.
#[test]
fn dropped_runtimes_with_named_actors_release_their_threads() {
    let before = threads();
    for i in 0..10 {
        let rt = Runtime::builder()
            .num_cpus(1.0)
            .worker_threads(2)
            .build()
            .expect("rt");
        let hits = rt
            .block_on(async {
                let a = Named::options().name(format!("named-{i}")).remote().await?;
                a.hit().await?.get().await
            })
            .expect("actor");
        assert_eq!(hits, 1);
        drop(rt);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while threads() > before + 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        threads() <= before + 2,
        "{} threads before, {} after dropping 10 runtimes",
        before,
        threads()
    );
}
