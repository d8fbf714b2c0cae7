//! The shapes of `ray microbenchmark` on RustyRay, each beside a raw tokio baseline of the
//! same shape measured in the same run.
//!
//! ```text
//! cargo run --release -p rustyray-runtime --bin rustyray-microbenchmark [-- --trials N --seconds S --only NAME --soak]
//! ```
//!
//! Output lines read `<name> per second <mean> +- <sd>` as in Ray; `--soak` then runs
//! 1M tasks and 1M actor calls and checks that memory stays bounded.

use std::future::Future;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rustyray::{Runtime, RustyRayError};
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, OnceCell};

#[rustyray::remote]
async fn small_value() -> u64 {
    1
}

#[rustyray::remote]
fn small_value_sync() -> u64 {
    1
}

#[rustyray::remote]
async fn chain_step(prev: u64) -> u64 {
    prev + 1
}

#[rustyray::actor]
#[derive(Default)]
pub struct Client {
    calls: u64,
}

#[rustyray::actor_methods]
impl Client {
    pub fn new() -> Self {
        Client { calls: 0 }
    }

    pub fn small_value(&mut self) -> u64 {
        self.calls += 1;
        self.calls
    }
}

/// The baseline actor: a mailbox task answering through oneshot channels.
fn baseline_actor() -> mpsc::UnboundedSender<oneshot::Sender<u64>> {
    let (tx, mut rx) = mpsc::unbounded_channel::<oneshot::Sender<u64>>();
    tokio::spawn(async move {
        let mut calls = 0u64;
        while let Some(reply) = rx.recv().await {
            calls += 1;
            let _ = reply.send(calls);
        }
    });
    tx
}

struct Config {
    trials: usize,
    seconds: f64,
    soak: bool,
    soak_only: bool,
    only: Option<String>,
}

fn parse_args() -> Result<Config, String> {
    let mut config = Config {
        trials: 5,
        seconds: 1.0,
        soak: false,
        soak_only: false,
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--trials" => {
                config.trials = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--trials needs a positive integer")?;
            }
            "--seconds" => {
                config.seconds = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&s: &f64| s > 0.0)
                    .ok_or("--seconds needs a positive number")?;
            }
            "--only" => config.only = Some(args.next().ok_or("--only needs a shape name")?),
            "--soak" => config.soak = true,
            "--soak-only" => {
                config.soak = true;
                config.soak_only = true;
            }
            "--help" | "-h" => return Err(
                "usage: rustyray-microbenchmark [--trials N] [--seconds S] [--only NAME] [--soak | --soak-only]"
                    .to_owned(),
            ),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(config)
}

/// Rates of the trials of one shape.
struct Rates(Vec<f64>);

impl Rates {
    fn mean(&self) -> f64 {
        self.0.iter().sum::<f64>() / self.0.len() as f64
    }

    fn sd(&self) -> f64 {
        let m = self.mean();
        let var = self.0.iter().map(|r| (r - m).powi(2)).sum::<f64>() / self.0.len() as f64;
        var.sqrt()
    }
}

/// Runs `op` (which performs `per_op` units) repeatedly for `seconds`; returns units/s.
async fn trial<F, Fut>(seconds: f64, per_op: u64, op: &mut F) -> rustyray::Result<f64>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = rustyray::Result<()>>,
{
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut units = 0u64;
    while start.elapsed() < budget {
        for _ in 0..16 {
            op().await?;
            units += per_op;
        }
    }
    Ok(units as f64 / start.elapsed().as_secs_f64())
}

struct Shape {
    name: &'static str,
    target: f64,
}

fn report(shape: &Shape, ours: &Rates, base: &Rates) {
    let ratio = ours.mean() / base.mean();
    let verdict = if ratio >= shape.target {
        "ok"
    } else {
        "BELOW TARGET"
    };
    println!(
        "{} per second {:.2} +- {:.2}",
        shape.name,
        ours.mean(),
        ours.sd()
    );
    println!(
        "    tokio baseline per second {:.2} +- {:.2}    ratio {:.2} (target >= {:.2}: {verdict})",
        base.mean(),
        base.sd(),
        ratio,
        shape.target
    );
}

/// Measures `ours` and `base` in alternating trials.
async fn compare<F, Fut, G, Gut>(
    config: &Config,
    shape: Shape,
    per_op: u64,
    mut ours: F,
    mut base: G,
) -> rustyray::Result<f64>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = rustyray::Result<()>>,
    G: FnMut() -> Gut,
    Gut: Future<Output = rustyray::Result<()>>,
{
    if config
        .only
        .as_ref()
        .is_some_and(|o| !shape.name.contains(o.as_str()))
    {
        return Ok(f64::INFINITY);
    }
    trial(config.seconds / 5.0, per_op, &mut ours).await?;
    trial(config.seconds / 5.0, per_op, &mut base).await?;
    let mut a = Vec::new();
    let mut b = Vec::new();
    for _ in 0..config.trials {
        a.push(trial(config.seconds, per_op, &mut ours).await?);
        b.push(trial(config.seconds, per_op, &mut base).await?);
    }
    let (a, b) = (Rates(a), Rates(b));
    report(&shape, &a, &b);
    Ok(a.mean() / b.mean())
}

fn join_error(e: tokio::task::JoinError) -> RustyRayError {
    RustyRayError::InvalidArgument(format!("baseline task failed: {e}"))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

async fn latencies<F, Fut>(n: usize, mut op: F) -> rustyray::Result<Vec<Duration>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = rustyray::Result<()>>,
{
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        op().await?;
        out.push(start.elapsed());
    }
    out.sort();
    Ok(out)
}

async fn benchmarks(config: &Config) -> rustyray::Result<Vec<(&'static str, f64, f64)>> {
    let mut results = Vec::new();
    const SYNC: f64 = 0.4;
    const BATCH: f64 = 0.15;

    let r = compare(
        config,
        Shape {
            name: "single client tasks sync",
            target: SYNC,
        },
        1,
        || async { small_value::remote().await?.get().await.map(drop) },
        || async {
            tokio::spawn(async { 1u64 }).await.map_err(join_error)?;
            Ok(())
        },
    )
    .await?;
    results.push(("single client tasks sync", r, SYNC));

    let r = compare(
        config,
        Shape {
            name: "single client tasks sync (blocking fn)",
            target: SYNC,
        },
        1,
        || async { small_value_sync::remote().await?.get().await.map(drop) },
        || async {
            tokio::task::spawn_blocking(|| 1u64)
                .await
                .map_err(join_error)?;
            Ok(())
        },
    )
    .await?;
    results.push(("single client tasks sync (blocking fn)", r, SYNC));

    let r = compare(
        config,
        Shape {
            name: "single client tasks async",
            target: BATCH,
        },
        1000,
        || async {
            let refs = (0..1000)
                .map(|_| small_value::remote().into_result())
                .collect::<rustyray::Result<Vec<_>>>()?;
            rustyray::get(&refs).await.map(drop)
        },
        || async {
            let handles: Vec<_> = (0..1000).map(|_| tokio::spawn(async { 1u64 })).collect();
            for h in handles {
                h.await.map_err(join_error)?;
            }
            Ok(())
        },
    )
    .await?;
    results.push(("single client tasks async", r, BATCH));

    let client = Client::remote().await?;
    let mailbox = baseline_actor();
    let r = compare(
        config,
        Shape {
            name: "1:1 actor calls sync",
            target: SYNC,
        },
        1,
        || async { client.small_value().await?.get().await.map(drop) },
        || async {
            let (tx, rx) = oneshot::channel();
            mailbox
                .send(tx)
                .map_err(|_| RustyRayError::NotInitialised)?;
            rx.await.map_err(|_| RustyRayError::NotInitialised)?;
            Ok(())
        },
    )
    .await?;
    results.push(("1:1 actor calls sync", r, SYNC));

    let r = compare(
        config,
        Shape {
            name: "1:1 actor calls async",
            target: BATCH,
        },
        1000,
        || async {
            let refs = (0..1000)
                .map(|_| client.small_value().into_result())
                .collect::<rustyray::Result<Vec<_>>>()?;
            rustyray::get(&refs).await.map(drop)
        },
        || async {
            let replies: Vec<_> = (0..1000)
                .map(|_| {
                    let (tx, rx) = oneshot::channel();
                    let _ = mailbox.send(tx);
                    rx
                })
                .collect();
            for rx in replies {
                rx.await.map_err(|_| RustyRayError::NotInitialised)?;
            }
            Ok(())
        },
    )
    .await?;
    results.push(("1:1 actor calls async", r, BATCH));

    let r = compare(
        config,
        Shape {
            name: "single client put/get small objects",
            target: SYNC,
        },
        1,
        || async { rustyray::put(7u64)?.get().await.map(drop) },
        || async {
            let cell = Arc::new(OnceCell::new());
            let _ = cell.set(7u64);
            let reader = Arc::clone(&cell);
            drop(cell);
            let v = reader.get_or_init(|| async { 0 }).await;
            debug_assert_eq!(*v, 7);
            Ok(())
        },
    )
    .await?;
    results.push(("single client put/get small objects", r, SYNC));

    let r = compare(
        config,
        Shape {
            name: "100-long ObjectRef chains",
            target: BATCH,
        },
        1,
        || async {
            let mut r = chain_step::remote(0).into_result()?;
            for _ in 1..100 {
                r = chain_step::remote(r).into_result()?;
            }
            let v = r.get().await?;
            debug_assert_eq!(v, 100);
            Ok(())
        },
        || async {
            let mut h = tokio::spawn(async { 1u64 });
            for _ in 1..100 {
                let prev = h;
                h = tokio::spawn(async move { prev.await.map_or(0, |v| v + 1) });
            }
            h.await.map_err(join_error)?;
            Ok(())
        },
    )
    .await?;
    results.push(("100-long ObjectRef chains", r, BATCH));

    if config
        .only
        .as_ref()
        .is_some_and(|o| !"round trip".contains(o.as_str()))
    {
        return Ok(results);
    }
    let n = 20_000;
    let ours = latencies(n, || async {
        small_value::remote().await?.get().await.map(drop)
    })
    .await?;
    let base = latencies(n, || async {
        tokio::spawn(async { 1u64 }).await.map_err(join_error)?;
        Ok(())
    })
    .await?;
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "single client task round trip p50 {:.2} us p99 {:.2} us",
        us(percentile(&ours, 0.5)),
        us(percentile(&ours, 0.99))
    );
    println!(
        "    tokio baseline round trip p50 {:.2} us p99 {:.2} us    p50 ratio {:.2}",
        us(percentile(&base, 0.5)),
        us(percentile(&base, 0.99)),
        us(percentile(&base, 0.5)) / us(percentile(&ours, 0.5)).max(f64::MIN_POSITIVE)
    );
    Ok(results)
}

fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// 1M tasks and 1M actor calls in batches of 1000; memory must stay bounded.
async fn soak(rt: &Runtime) -> rustyray::Result<bool> {
    const TOTAL: u64 = 1_000_000;
    const BATCH: u64 = 1_000;
    let start = Instant::now();
    let mut baseline_rss = None;
    let mut peak_rss = 0u64;
    let mut done = 0u64;
    while done < TOTAL {
        let refs = (0..BATCH)
            .map(|_| small_value::remote().into_result())
            .collect::<rustyray::Result<Vec<_>>>()?;
        let values = rustyray::get(&refs).await?;
        if values.len() as u64 != BATCH {
            return Ok(false);
        }
        done += BATCH;
        if done == 10 * BATCH {
            baseline_rss = rss_bytes();
        }
        peak_rss = peak_rss.max(rss_bytes().unwrap_or(0));
    }
    let tasks_time = start.elapsed();
    let client = Client::remote().await?;
    let start = Instant::now();
    let mut done = 0u64;
    let mut last = 0;
    while done < TOTAL {
        let refs = (0..BATCH)
            .map(|_| client.small_value().into_result())
            .collect::<rustyray::Result<Vec<_>>>()?;
        last = *rustyray::get(&refs).await?.last().unwrap_or(&0);
        done += BATCH;
        peak_rss = peak_rss.max(rss_bytes().unwrap_or(0));
    }
    let calls_time = start.elapsed();
    let live = rt.live_objects();
    let base = baseline_rss.unwrap_or(0);
    let growth = peak_rss.saturating_sub(base);
    println!(
        "soak: {TOTAL} tasks in {:.2} s, {TOTAL} actor calls in {:.2} s (last call returned {last})",
        tasks_time.as_secs_f64(),
        calls_time.as_secs_f64()
    );
    println!(
        "soak: live objects after {live}, RSS after warm-up {:.1} MiB, peak {:.1} MiB (growth {:.1} MiB)",
        base as f64 / 1048576.0,
        peak_rss as f64 / 1048576.0,
        growth as f64 / 1048576.0
    );
    let ok = live == 0 && last == TOTAL && growth < 64 * 1024 * 1024;
    println!("soak: {}", if ok { "ok" } else { "FAILED" });
    Ok(ok)
}

fn main() -> ExitCode {
    let config = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let rt = match rustyray::init() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start RustyRay: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = rt.block_on(async {
        let mut ok = true;
        if !config.soak_only {
            println!(
                "RustyRay microbenchmark: {} trials of {} s per shape, {} CPUs",
                config.trials,
                config.seconds,
                rt.total_resource("CPU").unwrap_or(0.0)
            );
            let results = benchmarks(&config).await?;
            ok &= results.iter().all(|(_, r, target)| r >= target);
        }
        if config.soak {
            ok &= soak(&rt).await?;
        }
        rustyray::Result::Ok(ok)
    });
    rt.shutdown();
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            ExitCode::FAILURE
        }
    }
}
