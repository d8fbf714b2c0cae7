//! The cluster microbenchmark's RustyRay side: the shapes of `rustyray-microbenchmark` run
//! through `rustyray_ray::Cluster` on a real Ray cluster. tools/rustyray-cluster-bench runs
//! it in turn with the same shapes on Ray's C++ and Python APIs and prints the ratios.
//!
//! `cluster_bench WORKER_LIBRARY` (RAY_ADDRESS names the cluster; RUSTYRAY_BENCH_SCALE
//! multiplies the counts, RUSTYRAY_BENCH_ONLY picks one shape). Prints one
//! `shape<TAB>operations per second` line per shape.

#[allow(dead_code)]
#[path = "bench_functions/mod.rs"]
mod functions;

use std::time::Instant;

use rustyray_ray::{ActorOptions, Arg, Cluster, ObjectRef, TaskOptions};

type BoxError = Box<dyn std::error::Error>;

fn main() {
    if let Err(err) = run() {
        eprintln!("cluster_bench: {err}");
        std::process::exit(1);
    }
}

/// Runs `body` (which does `n` operations) and prints the rate; skipped unless
/// RUSTYRAY_BENCH_ONLY is unset or names the shape.
fn measure(
    shape: &str,
    n: usize,
    body: impl FnOnce() -> Result<(), BoxError>,
) -> Result<(), BoxError> {
    if std::env::var("RUSTYRAY_BENCH_ONLY").is_ok_and(|only| only != shape) {
        return Ok(());
    }
    let started = Instant::now();
    body()?;
    let seconds = started.elapsed().as_secs_f64();
    println!("{shape}\t{:.1}", n as f64 / seconds);
    Ok(())
}

fn expect<T: PartialEq + std::fmt::Debug>(what: &str, got: T, want: T) -> Result<(), BoxError> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got:?}, expected {want:?}").into())
    }
}

fn run() -> Result<(), BoxError> {
    let library = std::env::args()
        .nth(1)
        .ok_or("usage: cluster_bench WORKER_LIBRARY (RAY_ADDRESS names the cluster)")?;
    let scale: f64 = std::env::var("RUSTYRAY_BENCH_SCALE")
        .ok()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(1.0);
    let count = |base: f64| ((base * scale).round() as usize).max(1);
    let cluster = Cluster::connect_from_env(&library)?;
    // One CPU per task (TaskOptions' default), as the other two drivers ask.
    let none = TaskOptions::default();

    // Start the workers before anything is timed (Ray starts them on first use).
    let warm: Vec<ObjectRef<i32>> = (0..100)
        .map(|_| cluster.submit("noop", &[], &none))
        .collect::<Result<_, _>>()?;
    cluster.get_all(&warm.iter().collect::<Vec<_>>())?;
    let counter = cluster.create_actor("BenchCounter", &[], &ActorOptions::default())?;
    let one = Arg::value(&1_i64)?;
    cluster.get(&counter.call::<i64>("add", std::slice::from_ref(&one))?)?;
    let mut total = 1_i64;

    let n = count(300.0);
    measure("tasks sync", n, || {
        for _ in 0..n {
            expect(
                "noop",
                cluster.get(&cluster.submit::<i32>("noop", &[], &none)?)?,
                0,
            )?;
        }
        Ok(())
    })?;

    let n = count(1000.0);
    measure("tasks async", n, || {
        let refs: Vec<ObjectRef<i32>> = (0..n)
            .map(|_| cluster.submit("noop", &[], &none))
            .collect::<Result<_, _>>()?;
        let values = cluster.get_all(&refs.iter().collect::<Vec<_>>())?;
        expect("noop", values, vec![0; n])
    })?;

    let n = count(1000.0);
    measure("actor calls sync", n, || {
        for _ in 0..n {
            total += 1;
            let r = counter.call::<i64>("add", std::slice::from_ref(&one))?;
            expect("add", cluster.get(&r)?, total)?;
        }
        Ok(())
    })?;

    let n = count(2000.0);
    measure("actor calls async", n, || {
        let refs: Vec<ObjectRef<i64>> = (0..n)
            .map(|_| counter.call("add", std::slice::from_ref(&one)))
            .collect::<Result<_, _>>()?;
        let values = cluster.get_all(&refs.iter().collect::<Vec<_>>())?;
        let first = total + 1;
        total += n as i64;
        expect("add", values, (first..=total).collect())
    })?;

    let n = count(2000.0);
    measure("put", n, || {
        for i in 0..n {
            drop(cluster.put(&(i as i64))?);
        }
        Ok(())
    })?;

    let n = count(5000.0);
    let small = cluster.put(&7_i64)?;
    measure("get", n, || {
        for _ in 0..n {
            expect("get", cluster.get(&small)?, 7)?;
        }
        Ok(())
    })?;

    let n = count(50.0);
    let payload = "x".repeat(1 << 20);
    measure("1 MiB put/get", n, || {
        for _ in 0..n {
            let back: String = cluster.get(&cluster.put(&payload)?)?;
            expect("1 MiB length", back.len(), payload.len())?;
        }
        Ok(())
    })?;
    Ok(())
}
