//! Long run: 1M tasks and 1M actor calls with memory bounded. Not run by default; the
//! benchmark command runs it:
//! `cargo test --release -p rustyray-runtime --test soak -- --ignored`.

use std::time::Duration;

use rustyray::Runtime;

#[rustyray::remote]
async fn unit(i: u64) -> u64 {
    i
}

#[rustyray::actor]
#[derive(Default)]
pub struct Sink {
    total: u64,
}

#[rustyray::actor_methods]
impl Sink {
    pub fn new() -> Self {
        Sink { total: 0 }
    }

    pub fn push(&mut self, v: u64) -> u64 {
        self.total += v;
        self.total
    }
}

fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

const TOTAL: u64 = 1_000_000;
const BATCH: u64 = 1_000;

#[test]
#[ignore = "long: 1M tasks and 1M actor calls"]
fn a_million_tasks_and_actor_calls_stay_bounded() {
    let rt = Runtime::builder().build().expect("runtime");
    let rt2 = rt.clone();
    rt.block_on(async move {
        tokio::time::timeout(Duration::from_secs(600), async {
            let mut warm = 0;
            let mut peak = 0;
            for batch in 0..TOTAL / BATCH {
                let refs = (0..BATCH)
                    .map(|i| unit::remote(i).into_result())
                    .collect::<rustyray::Result<Vec<_>>>()?;
                let sum: u64 = rustyray::get(&refs).await?.iter().sum();
                assert_eq!(sum, BATCH * (BATCH - 1) / 2);
                if batch == 10 {
                    warm = rss_bytes();
                }
                peak = peak.max(rss_bytes());
            }
            let sink = Sink::remote().await?;
            let mut last = 0;
            for _ in 0..TOTAL / BATCH {
                let refs = (0..BATCH)
                    .map(|_| sink.push(1).into_result())
                    .collect::<rustyray::Result<Vec<_>>>()?;
                last = *rustyray::get(&refs).await?.last().unwrap_or(&0);
                peak = peak.max(rss_bytes());
            }
            assert_eq!(last, TOTAL, "every call ran once, in order");
            assert_eq!(rt2.live_objects(), 0, "every object was freed");
            let growth = peak.saturating_sub(warm);
            assert!(growth < 64 << 20, "RSS grew by {growth} bytes");
            rustyray::Result::Ok(())
        })
        .await
        .expect("the soak timed out")
    })
    .expect("soak");
    rt.shutdown();
}
