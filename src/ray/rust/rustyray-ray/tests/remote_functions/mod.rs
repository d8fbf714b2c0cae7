//! Ordinary `#[rustyray::remote]` functions (no `cluster_function!`), called with
//! `f::remote(..)` on a runtime connected to the cluster: by the cluster tests
//! (tests/cluster.rs) and by examples/cluster_remote.rs. Also compiled into the worker
//! library (examples/cluster_test_worker.rs), where Ray's workers find them by their path
//! in the crate (`remote_functions::tag`).

use serde::{Deserialize, Serialize};

/// A value and the process that computed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tagged {
    pub pid: u32,
    pub value: i64,
}

#[rustyray::remote]
pub fn pid_of() -> u32 {
    std::process::id()
}

#[rustyray::remote]
pub fn tag(value: i64) -> Tagged {
    Tagged {
        pid: std::process::id(),
        value,
    }
}

#[rustyray::remote]
pub fn add_tagged(a: Tagged, b: Tagged) -> Tagged {
    Tagged {
        pid: std::process::id(),
        value: a.value + b.value,
    }
}

#[rustyray::remote]
pub fn checked_half(x: i64) -> Result<i64, String> {
    if x % 2 == 0 {
        Ok(x / 2)
    } else {
        Err(format!("checked_half: {x} is odd"))
    }
}

/// An async function: on the cluster it runs to its end in the worker (its timer on the
/// worker thread's runtime) and reports the worker's pid.
#[rustyray::remote]
pub async fn async_double(x: i64) -> Tagged {
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    Tagged {
        value: x * 2,
        pid: std::process::id(),
    }
}

/// Asks for a GPU, which the loopback test cluster does not have: Ray keeps it pending.
#[rustyray::remote(num_gpus = 1.0)]
pub fn needs_gpu() -> u32 {
    1
}

/// Asks for both CPUs of the head node (the second node has one).
#[rustyray::remote(num_cpus = 2.0)]
pub fn two_cpus() -> u32 {
    std::process::id()
}

/// Calls itself `depth` levels deep from inside its tasks: the worker's runtime sends the
/// calls to the cluster, and each level's `get` waits on its task's thread, where Ray
/// lends the task's CPU (more levels than the cluster has CPUs finish only so).
#[rustyray::remote]
pub fn nested_depth(depth: u32) -> Result<u32, String> {
    if depth == 0 {
        return Ok(0);
    }
    let below = nested_depth::remote(depth - 1)
        .into_result()
        .map_err(|e| e.to_string())?;
    Ok(1 + below.get_blocking().map_err(|e| e.to_string())?)
}

/// An async function that awaits a task of its own: the pids of both.
#[rustyray::remote]
pub async fn async_nested(x: i64) -> Result<(u32, Tagged), String> {
    let inner = tag::remote(x).await.map_err(|e| e.to_string())?;
    Ok((std::process::id(), inner.await.map_err(|e| e.to_string())?))
}

/// Adds `x` through a handle of a Tally it is passed: the handle crosses to the worker and
/// calls the same actor from there. Returns the sum and the worker's pid.
#[rustyray::remote]
pub fn add_through(tally: TallyHandle, x: i64) -> Result<(i64, u32), String> {
    let sum = tally.add(x).into_result().map_err(|e| e.to_string())?;
    Ok((
        sum.get_blocking().map_err(|e| e.to_string())?,
        std::process::id(),
    ))
}

/// Sleeps `ms`, then returns it.
#[rustyray::remote]
pub fn nap(ms: u64) -> u64 {
    std::thread::sleep(std::time::Duration::from_millis(ms));
    ms
}

/// The namespace the worker's runtime reports: the job's on the cluster.
#[rustyray::remote]
pub fn job_namespace() -> Option<String> {
    rustyray::get_runtime_context()
        .get_namespace()
        .map(str::to_owned)
}

/// Eight arguments: more than Ray's C++ API had dispatchers for before (one per count).
#[rustyray::remote]
#[allow(clippy::too_many_arguments)]
pub fn weighted8(a: i64, b: i64, c: i64, d: i64, e: i64, f: i64, g: i64, h: i64) -> i64 {
    a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h
}

/// A `#[rustyray::actor]`: on the cluster it lives in a worker process of its own.
#[rustyray::actor]
pub struct Tally {
    total: i64,
}

#[rustyray::actor_methods]
impl Tally {
    pub fn new(total: i64) -> Self {
        Tally { total }
    }

    pub fn add(&mut self, x: i64) -> i64 {
        self.total += x;
        self.total
    }

    pub async fn later_total(&self) -> Tagged {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        Tagged {
            value: self.total,
            pid: std::process::id(),
        }
    }

    /// Adds the value of a task it calls.
    pub fn add_tagged_value(&mut self, x: i64) -> Result<i64, String> {
        let tagged = tag::remote(x).into_result().map_err(|e| e.to_string())?;
        self.total += tagged.get_blocking().map_err(|e| e.to_string())?.value;
        Ok(self.total)
    }

    /// Adds the total of another Tally, whose handle it is passed.
    pub fn absorb(&mut self, other: TallyHandle) -> Result<i64, String> {
        let theirs = other.add(0).into_result().map_err(|e| e.to_string())?;
        self.total += theirs.get_blocking().map_err(|e| e.to_string())?;
        Ok(self.total)
    }

    /// Twelve arguments, the most a call takes.
    #[allow(clippy::too_many_arguments)]
    pub fn add12(
        &mut self,
        a: i64,
        b: i64,
        c: i64,
        d: i64,
        e: i64,
        f: i64,
        g: i64,
        h: i64,
        i: i64,
        j: i64,
        k: i64,
        l: i64,
    ) -> i64 {
        self.total += a + b + c + d + e + f + g + h + i + j + k + l;
        self.total
    }

    pub fn take(&mut self, x: i64) -> Result<i64, String> {
        if x > self.total {
            return Err(format!("take: {x} is more than {}", self.total));
        }
        self.total -= x;
        Ok(self.total)
    }
}

/// An actor whose `&self` calls run beside each other on the cluster (`max_concurrency`):
/// `Sync`, so Ray's threads of its worker share it; it records how many ran at once.
#[rustyray::actor]
pub struct Dozer {
    running: std::sync::atomic::AtomicU32,
    peak: std::sync::atomic::AtomicU32,
}

#[rustyray::actor_methods]
impl Dozer {
    pub fn new() -> Self {
        Dozer {
            running: 0.into(),
            peak: 0.into(),
        }
    }

    /// Sleeps `ms` as one of the calls running; returns the worker's pid.
    pub fn doze(&self, ms: u64) -> u32 {
        use std::sync::atomic::Ordering::SeqCst;
        let now = self.running.fetch_add(1, SeqCst) + 1;
        self.peak.fetch_max(now, SeqCst);
        std::thread::sleep(std::time::Duration::from_millis(ms));
        self.running.fetch_sub(1, SeqCst);
        std::process::id()
    }

    /// The most calls that ran at once, and starts counting afresh.
    pub fn take_peak(&mut self) -> u32 {
        std::mem::take(self.peak.get_mut())
    }
}

/// An actor with `max_concurrency(3)` runs three 600 ms `&self` calls at once in its
/// worker; its `&mut self` method still runs alone; with the default of 1 they run one at
/// a time.
pub async fn check_concurrent_actor() -> Result<String, String> {
    let err = |e: rustyray::RustyRayError| e.to_string();
    let mut report = Vec::new();
    for concurrency in [3, 1] {
        let dozer = Dozer::options()
            .max_concurrency(concurrency)
            .remote()
            .await
            .map_err(err)?;
        // The actor is up (its worker started) before the timed calls.
        dozer.take_peak().await.map_err(err)?.await.map_err(err)?;
        let start = std::time::Instant::now();
        let dozes: Vec<rustyray::ObjectRef<u32>> = (0..3)
            .map(|_| dozer.doze(600).into_result())
            .collect::<Result<_, _>>()
            .map_err(err)?;
        let pids = rustyray::get(&dozes).await.map_err(err)?;
        let took = start.elapsed();
        let peak = dozer.take_peak().await.map_err(err)?.await.map_err(err)?;
        let one_worker = pids.iter().all(|p| *p == pids[0]);
        let expected = concurrency as u32;
        if peak != expected || !one_worker {
            return Err(format!(
                "max_concurrency {concurrency}: {peak} calls at once (expected {expected}) \
                 in {pids:?}, {took:?}"
            ));
        }
        report.push(format!(
            "max_concurrency {concurrency}: 3 x 600 ms in {took:.2?}"
        ));
        dozer.kill().map_err(err)?;
    }
    Ok(report.join("; "))
}

/// A GPU reaches Ray as its GPU resource: it fits nowhere here and the task stays pending.
/// Run last in a job: Ray 2.60 then keeps the task's lease queued as infeasible on a node
/// for the job's lifetime, and 1-CPU leases of the same job spilled to that node were seen
/// to wait there about 2 s each with its CPU free.
pub async fn check_gpu_stays_pending() -> Result<(), String> {
    let err = |e: rustyray::RustyRayError| e.to_string();
    let gpu = needs_gpu::remote().await.map_err(err)?;
    let (ready, _) = rustyray::wait(
        std::slice::from_ref(&gpu),
        1,
        Some(std::time::Duration::from_millis(1500)),
    )
    .await
    .map_err(err)?;
    if !ready.is_empty() {
        return Err("a task asking for a GPU ran on a cluster without GPUs".into());
    }
    Ok(())
}

/// The checks both callers run, inside the driver of a runtime connected to the cluster;
/// returns a line of what ran where.
pub async fn check_on_cluster() -> Result<String, String> {
    let err = |e: rustyray::RustyRayError| e.to_string();
    let me = std::process::id();
    let pid = pid_of::remote().await.map_err(err)?.await.map_err(err)?;
    if pid == me {
        return Err(format!("pid_of ran in the driver ({pid})"));
    }
    // A chain: the two results pass to add_tagged by reference.
    let a = tag::remote(20).await.map_err(err)?;
    let b = tag::remote(22).await.map_err(err)?;
    let sum = add_tagged::remote(a.clone(), &b).await.map_err(err)?;
    let sum = sum.await.map_err(err)?;
    let a = a.await.map_err(err)?;
    if sum.value != 42 || sum.pid == me || a.pid == me {
        return Err(format!("chain: {a:?} + .. = {sum:?}, driver {me}"));
    }
    // Only values read here are fetched: the two passed on to add_tagged stay on the
    // cluster.
    let fetched = rustyray::backend::values_fetched();
    let c = tag::remote(1).await.map_err(err)?;
    let d = tag::remote(2).await.map_err(err)?;
    let three = add_tagged::remote(c, d).await.map_err(err)?;
    if three.await.map_err(err)?.value != 3 {
        return Err("add_tagged(1, 2) != 3".into());
    }
    let moved = rustyray::backend::values_fetched() - fetched;
    if moved != 1 {
        return Err(format!("{moved} values fetched for one get"));
    }
    // wait asks the cluster which objects are ready and moves no value here.
    let fetched = rustyray::backend::values_fetched();
    let slow = nap::remote(5_000).await.map_err(err)?;
    let quick = nap::remote(0).await.map_err(err)?;
    let (ready, not_ready) = rustyray::wait(
        &[slow.clone(), quick.clone()],
        1,
        Some(std::time::Duration::from_secs(4)),
    )
    .await
    .map_err(err)?;
    let moved = rustyray::backend::values_fetched() - fetched;
    if ready != [quick.clone()] || not_ready != [slow] || moved != 0 {
        return Err(format!(
            "wait(slow, quick, 1): ready {ready:?}, not ready {not_ready:?}, {moved} fetched"
        ));
    }
    if quick.await.map_err(err)? != 0 || rustyray::backend::values_fetched() - fetched != 1 {
        return Err("the quick nap's value after the wait".into());
    }
    // An in-process object (put) is stored in Ray's object store by the first call that
    // takes it, and passed by reference from then on.
    let stored = rustyray::backend::values_stored();
    let eight = rustyray::put(8_i64).map_err(err)?;
    let half = checked_half::remote(&eight).await.map_err(err)?;
    let half_again = checked_half::remote(&eight).await.map_err(err)?;
    if half.await.map_err(err)? != 4 || half_again.await.map_err(err)? != 4 {
        return Err("checked_half(8) != 4".into());
    }
    let times_stored = rustyray::backend::values_stored() - stored;
    if times_stored != 1 {
        return Err(format!(
            "a put value passed twice was stored {times_stored} times"
        ));
    }
    // The function's error arrives as a task failure with its message.
    match checked_half::remote(3).await.map_err(err)?.await {
        Err(rustyray::RustyRayError::TaskFailed { cause, .. })
            if cause.to_string().contains("checked_half: 3 is odd") => {}
        other => return Err(format!("checked_half(3): {other:?}")),
    }
    let doubled = async_double::remote(21)
        .await
        .map_err(err)?
        .await
        .map_err(err)?;
    if doubled.value != 42 || doubled.pid == me {
        return Err(format!("async_double(21): {doubled:?}, driver {me}"));
    }
    // CPUs reach Ray as its CPU resource: two CPUs fit the head node (GPUs: see
    // check_gpu_stays_pending).
    let pid2 = two_cpus::remote().await.map_err(err)?.await.map_err(err)?;
    if pid2 == me {
        return Err("two_cpus ran in the driver".into());
    }
    // A #[rustyray::actor] runs in a worker: state kept, calls in order, errors surfaced.
    let tally = Tally::remote(10).await.map_err(err)?;
    let adds: Vec<rustyray::ObjectRef<i64>> = (1..=5)
        .map(|x| tally.add(x).into_result())
        .collect::<Result<_, _>>()
        .map_err(err)?;
    let sums = rustyray::get(&adds).await.map_err(err)?;
    if sums != vec![11, 13, 16, 20, 25] {
        return Err(format!("Tally.add in order: {sums:?}"));
    }
    let total = tally.later_total().await.map_err(err)?.await.map_err(err)?;
    if total.value != 25 || total.pid == me {
        return Err(format!("Tally.later_total: {total:?}, driver {me}"));
    }
    match tally.take(100).await.map_err(err)?.await {
        Err(rustyray::RustyRayError::TaskFailed { cause, .. })
            if cause.to_string().contains("take: 100 is more than 25") => {}
        other => return Err(format!("Tally.take(100): {other:?}")),
    }
    // Tasks and actor methods call remote functions themselves; five levels of nested
    // gets hold more CPUs than the cluster's three unless blocked tasks lend theirs.
    let nested = nested_depth::remote(4).await.map_err(err)?;
    let depth = nested
        .get_timeout(std::time::Duration::from_secs(60))
        .await
        .map_err(err)?;
    if depth != 4 {
        return Err(format!("nested_depth(4): {depth}"));
    }
    let (outer, inner) = async_nested::remote(7)
        .await
        .map_err(err)?
        .await
        .map_err(err)?;
    if inner.value != 7 || outer == me || inner.pid == me {
        return Err(format!("async_nested(7): {outer}, {inner:?}, driver {me}"));
    }
    let via_task = tally
        .add_tagged_value(5)
        .await
        .map_err(err)?
        .await
        .map_err(err)?;
    if via_task != 30 {
        return Err(format!(
            "Tally.add_tagged_value(5): {via_task}, expected 30"
        ));
    }
    let (through, pid) = add_through::remote(tally.clone(), 7)
        .await
        .map_err(err)?
        .await
        .map_err(err)?;
    let after = tally.add(0).await.map_err(err)?.await.map_err(err)?;
    if through != 37 || after != 37 || pid == me {
        return Err(format!(
            "add_through(handle, 7) in {pid}: {through}, then {after}; expected 37, driver {me}"
        ));
    }
    // Calls with more than six arguments, one of them a result passed by reference.
    let one = weighted8::remote(1, 0, 0, 0, 0, 0, 0, 0)
        .await
        .map_err(err)?;
    let weighted = weighted8::remote(one, 1, 1, 1, 1, 1, 1, 1)
        .await
        .map_err(err)?
        .await
        .map_err(err)?;
    let added = tally
        .add12(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
        .await
        .map_err(err)?
        .await
        .map_err(err)?;
    let _ = tally.add(-12).await.map_err(err)?.await.map_err(err)?;
    if weighted != 36 || added != 49 {
        return Err(format!(
            "weighted8(1, 1..): {weighted}, expected 36; Tally.add12(1..): {added}, expected 49"
        ));
    }
    // And to an actor's method, which calls the other actor from its own process.
    let other = Tally::remote(100).await.map_err(err)?;
    let absorbed = tally
        .absorb(other.clone())
        .await
        .map_err(err)?
        .await
        .map_err(err)?;
    if absorbed != 137 {
        return Err(format!(
            "Tally.absorb(handle of 100): {absorbed}, expected 137"
        ));
    }
    other.kill().map_err(err)?;
    tally.kill().map_err(err)?;
    // A named one is found by its name on the cluster.
    // One name per driver: each caller of this check is a job of its own.
    let name = format!("remote-functions-tally-{me}");
    let named = Tally::options().name(&name).remote(1).await.map_err(err)?;
    named.add(1).await.map_err(err)?.await.map_err(err)?;
    let found: TallyHandle = rustyray::get_actor(&name).map_err(err)?;
    let value = found.add(3).await.map_err(err)?.await.map_err(err)?;
    if value != 5 {
        return Err(format!(
            "the named Tally found by name: {value}, expected 5"
        ));
    }
    // The runtime's namespace is the job's on the cluster, in the driver and in a worker,
    // and default names are registered there.
    let namespace = rustyray::get_runtime_context()
        .get_namespace()
        .map(str::to_owned)
        .unwrap_or_default();
    let in_worker = job_namespace::remote()
        .await
        .map_err(err)?
        .await
        .map_err(err)?;
    let by_namespace: TallyHandle = rustyray::get_actor_in(&name, &namespace).map_err(err)?;
    let seen = by_namespace.add(0).await.map_err(err)?.await.map_err(err)?;
    if in_worker.as_deref() != Some(namespace.as_str()) || namespace.is_empty() || seen != 5 {
        return Err(format!(
            "namespace: driver {namespace:?}, worker {in_worker:?}; the named Tally there: {seen}"
        ));
    }
    // Names live in namespaces; get_if_exists returns the live actor of the name.
    let audit = format!("remote-functions-audit-{me}");
    let other = Tally::options()
        .name(&name)
        .namespace(&audit)
        .remote(40)
        .await
        .map_err(err)?;
    let in_audit: TallyHandle = rustyray::get_actor_in(&name, &audit).map_err(err)?;
    let again = Tally::options()
        .name(&name)
        .namespace(&audit)
        .get_if_exists(true)
        .remote(99)
        .await
        .map_err(err)?;
    let totals = (
        in_audit.add(0).await.map_err(err)?.await.map_err(err)?,
        again.add(2).await.map_err(err)?.await.map_err(err)?,
        found.add(0).await.map_err(err)?.await.map_err(err)?,
    );
    if totals != (40, 42, 5) {
        return Err(format!(
            "namespaced Tally, its get_if_exists twin, the job's one: {totals:?}, \
             expected (40, 42, 5)"
        ));
    }
    other.kill().map_err(err)?;
    found.kill().map_err(err)?;
    Ok(format!(
        "driver {me}; pid_of {pid}; tag(20) in {}; add_tagged in {}",
        a.pid, sum.pid
    ))
}
