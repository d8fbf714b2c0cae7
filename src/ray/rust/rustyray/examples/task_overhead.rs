//! A fixed amount of task work for counting instructions and CPU time
//! (`tools/rustyray-bench-compare --instructions`): ROUNDS rounds of 100 batched async
//! tasks, of a 100-long chain of tasks each taking the previous one's result, of 100
//! calls of a synchronous actor method awaited one by one, or of 100 such calls in
//! flight at once.
//!
//! ```text
//! cargo run --release -p rustyray-runtime --example task_overhead -- batch|chain|actor_sync|actor_batch ROUNDS
//! ```

#[rustyray::remote]
async fn one() -> u64 {
    1
}

#[rustyray::remote]
async fn step(prev: u64) -> u64 {
    prev + 1
}

#[rustyray::actor]
#[derive(Default)]
pub struct Counter {
    n: u64,
}

#[rustyray::actor_methods]
impl Counter {
    pub fn new() -> Self {
        Counter { n: 0 }
    }

    pub fn incr(&mut self) -> u64 {
        self.n += 1;
        self.n
    }
}

async fn actor_sync(counter: &CounterHandle) -> rustyray::Result<()> {
    for _ in 0..100 {
        counter.incr().await?.get().await?;
    }
    Ok(())
}

async fn actor_batch(counter: &CounterHandle) -> rustyray::Result<()> {
    let refs = (0..100)
        .map(|_| counter.incr().into_result())
        .collect::<rustyray::Result<Vec<_>>>()?;
    rustyray::get(&refs).await.map(drop)
}

async fn batch() -> rustyray::Result<()> {
    let refs = (0..100)
        .map(|_| one::remote().into_result())
        .collect::<rustyray::Result<Vec<_>>>()?;
    rustyray::get(&refs).await.map(drop)
}

async fn chain() -> rustyray::Result<()> {
    let mut r = step::remote(0).into_result()?;
    for _ in 1..100 {
        r = step::remote(r).into_result()?;
    }
    r.get().await.map(drop)
}

fn main() -> rustyray::Result<()> {
    let mut args = std::env::args().skip(1);
    let shape = args.next().unwrap_or_else(|| "batch".to_owned());
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let rt = rustyray::Runtime::builder()
        .num_cpus(2.0)
        .worker_threads(2)
        .build()?;
    let out = rt.block_on(async {
        let counter = Counter::remote().await?;
        for _ in 0..rounds {
            match shape.as_str() {
                "chain" => chain().await?,
                "actor_sync" => actor_sync(&counter).await?,
                "actor_batch" => actor_batch(&counter).await?,
                _ => batch().await?,
            }
        }
        rustyray::Result::Ok(())
    });
    rt.shutdown();
    out
}
