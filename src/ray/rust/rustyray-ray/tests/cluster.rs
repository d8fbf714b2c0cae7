//! RustyRay on a real Ray cluster (run by tools/test-cluster, which starts the local
//! two-node cluster and builds the worker library).
//!
//! Ray's runtime is one per process, so this is one driver running every case in turn
//! (`harness = false`), reporting each and failing if any fails.
//!
//! Environment: RAY_ADDRESS (the cluster), RUSTYRAY_CODE_SEARCH_PATH (the worker library,
//! tests/cross_language's C++ library and its directory), RUSTYRAY_NODE2_PORT (node manager port of the node with resource `node2`).

mod cluster_functions;
// Only some of its items are used here.
#[allow(dead_code)]
mod remote_functions;

use std::time::{Duration, Instant};

use cluster_functions::Reading;
use rustyray_ray::node::Placement;
use rustyray_ray::{ActorHandle, ActorOptions, Arg, Cluster, ClusterError, ObjectRef, TaskOptions};

type CaseResult = Result<(), String>;

fn ensure(condition: bool, what: impl FnOnce() -> String) -> CaseResult {
    if condition {
        Ok(())
    } else {
        Err(what())
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn node2_port() -> Result<u16, String> {
    std::env::var("RUSTYRAY_NODE2_PORT")
        .map_err(|_| "RUSTYRAY_NODE2_PORT is not set (run through tools/test-cluster)".to_string())?
        .parse()
        .map_err(err)
}

/// Ends a process the way a crash or the OOM killer would.
fn sigkill(pid: u32) -> CaseResult {
    let status = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .map_err(err)?;
    ensure(status.success(), || format!("kill -KILL {pid}: {status}"))
}

/// A fresh path for a task's pid file (see `record_pid_then_sleep`).
fn pid_file(tag: &str) -> String {
    let path = std::env::temp_dir().join(format!(
        "rustyray-cluster-test-{}-{tag}.pids",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    path.to_string_lossy().into_owned()
}

/// Waits until the pid file lists at least `count` processes.
fn wait_for_pids(path: &str, count: usize) -> Result<Vec<u32>, String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let pids = cluster_functions::read_pids(path);
        if pids.len() >= count {
            return Ok(pids);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{path} lists {pids:?} after 30 s, expected {count} pids"
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn counter(cluster: &Cluster, start: i64, options: &ActorOptions) -> Result<ActorHandle, String> {
    cluster
        .create_actor("Counter", &[Arg::value(&start).map_err(err)?], options)
        .map_err(err)
}

/// Calls a method and waits for its result (at most 30 s).
fn call<R: serde::de::DeserializeOwned>(
    cluster: &Cluster,
    actor: &ActorHandle,
    method: &str,
    args: &[Arg],
) -> Result<R, ClusterError> {
    let object = actor.call::<R>(method, args)?;
    cluster.get_timeout(&object, Duration::from_secs(30))
}

fn reading() -> Reading {
    Reading {
        sensor: "t-1".into(),
        values: vec![0.5, 1.25, -2.0],
        flags: Some((true, 7)),
    }
}

fn put_get_round_trips_a_struct(cluster: &Cluster) -> CaseResult {
    let value = reading();
    let object = cluster.put(&value).map_err(err)?;
    let back: Reading = cluster.get(&object).map_err(err)?;
    ensure(back == value, || format!("got {back:?}, put {value:?}"))?;
    ensure(object.hex().len() == 56, || {
        format!("object id {}", object.hex())
    })
}

fn task_by_name_with_args_runs_in_a_worker(cluster: &Cluster) -> CaseResult {
    let sum = cluster
        .submit::<i64>(
            "add",
            &[Arg::value(&40).map_err(err)?, Arg::value(&2).map_err(err)?],
            &TaskOptions::default(),
        )
        .map_err(err)?;
    let sum = cluster.get(&sum).map_err(err)?;
    ensure(sum == 42, || format!("add(40, 2) = {sum}"))?;
    let at: Placement = cluster
        .get(
            &cluster
                .submit("whereami", &[], &TaskOptions::default())
                .map_err(err)?,
        )
        .map_err(err)?;
    ensure(at.pid != std::process::id(), || {
        "the task ran in the driver".into()
    })?;
    ensure(at.node_manager_port.is_some(), || {
        format!("not a Ray worker: {at:?}")
    })
}

fn object_ref_chain(cluster: &Cluster) -> CaseResult {
    let stored = cluster.put(&reading()).map_err(err)?;
    let first = cluster
        .submit::<f64>(
            "total",
            &[Arg::object(&stored), Arg::value(&0.25).map_err(err)?],
            &TaskOptions::default(),
        )
        .map_err(err)?;
    // The first task's result is the second's argument, resolved by Ray in the worker.
    let second = cluster
        .submit::<f64>(
            "checked_sqrt",
            &[Arg::object(&first)],
            &TaskOptions::default(),
        )
        .map_err(err)?;
    drop(first);
    let root = cluster.get(&second).map_err(err)?;
    ensure(root == 0.0, || format!("sqrt(total) = {root}, expected 0"))?;
    let bigger = cluster
        .submit::<f64>(
            "total",
            &[Arg::object(&stored), Arg::value(&16.25).map_err(err)?],
            &TaskOptions::default(),
        )
        .map_err(err)?;
    let root = cluster
        .get(
            &cluster
                .submit::<f64>(
                    "checked_sqrt",
                    &[Arg::object(&bigger)],
                    &TaskOptions::default(),
                )
                .map_err(err)?,
        )
        .map_err(err)?;
    ensure(root == 4.0, || format!("sqrt(16) = {root}"))
}

fn resource_pins_the_task_to_the_second_node(cluster: &Cluster) -> CaseResult {
    let expected = node2_port()?;
    let options = TaskOptions::default().resource("node2", 1.0);
    for _ in 0..3 {
        let at: Placement = cluster
            .get(&cluster.submit("whereami", &[], &options).map_err(err)?)
            .map_err(err)?;
        ensure(at.node_manager_port == Some(expected), || {
            format!("ran at {at:?}, node2's node manager port is {expected}")
        })?;
    }
    Ok(())
}

fn user_error_surfaces_with_its_message(cluster: &Cluster) -> CaseResult {
    let object = cluster
        .submit::<f64>(
            "checked_sqrt",
            &[Arg::value(&-9.0).map_err(err)?],
            &TaskOptions::default(),
        )
        .map_err(err)?;
    match cluster.get(&object) {
        Err(ClusterError::TaskFailed(message)) => {
            ensure(message.contains("checked_sqrt: -9 is negative"), || {
                format!("message without the user's text: {message}")
            })
        }
        other => Err(format!("expected TaskFailed, got {other:?}")),
    }
}

fn get_all_returns_values_in_order_or_the_first_error(cluster: &Cluster) -> CaseResult {
    let sums: Vec<ObjectRef<i64>> = (0..5_i64)
        .map(|i| -> Result<ObjectRef<i64>, ClusterError> {
            cluster.submit(
                "add",
                &[Arg::value(&i)?, Arg::value(&100_i64)?],
                &TaskOptions::default(),
            )
        })
        .collect::<Result<_, _>>()
        .map_err(err)?;
    let put = cluster.put(&7_i64).map_err(err)?;
    let mut all: Vec<&ObjectRef<i64>> = sums.iter().collect();
    all.push(&put);
    let values = cluster.get_all(&all).map_err(err)?;
    ensure(values == vec![100, 101, 102, 103, 104, 7], || {
        format!("get_all: {values:?}")
    })?;
    let failed = cluster
        .submit::<f64>(
            "checked_sqrt",
            &[Arg::value(&-4.0).map_err(err)?],
            &TaskOptions::default(),
        )
        .map_err(err)?;
    let fine = cluster.put(&2.0_f64).map_err(err)?;
    match cluster.get_all(&[&fine, &failed]) {
        Err(ClusterError::TaskFailed(message)) => {
            ensure(message.contains("checked_sqrt: -4 is negative"), || {
                format!("message without the user's text: {message}")
            })
        }
        other => Err(format!("expected TaskFailed, got {other:?}")),
    }
}

/// Values whose stored form needs each of MessagePack's three binary length widths.
fn values_of_every_size_round_trip(cluster: &Cluster) -> CaseResult {
    for len in [0_usize, 200, 70_000, 3 << 20] {
        let value: String = (0..len)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let object = cluster.put(&value).map_err(err)?;
        let back: String = cluster.get(&object).map_err(err)?;
        ensure(back == value, || {
            format!("{len}-byte string came back as {} bytes", back.len())
        })?;
        let many = cluster.get_all(&[&object, &object]).map_err(err)?;
        ensure(many.iter().all(|v| *v == value), || {
            format!("{len}-byte string through get_all")
        })?;
    }
    Ok(())
}

fn cpp_functions_are_called_by_their_ray_remote_names(cluster: &Cluster) -> CaseResult {
    let opts = TaskOptions::default();
    let product = cluster
        .submit_cpp::<i64>(
            "Multiply",
            &[
                Arg::value(&6_i64).map_err(err)?,
                Arg::value(&7_i64).map_err(err)?,
            ],
            &opts,
        )
        .map_err(err)?;
    let greeting = cluster
        .submit_cpp::<String>("Greet", &[Arg::value("rust").map_err(err)?], &opts)
        .map_err(err)?;
    let words = vec!["a", "b", "a", "c", "a"];
    let counts = cluster
        .submit_cpp::<std::collections::BTreeMap<String, i64>>(
            "CountWords",
            &[Arg::value(&words).map_err(err)?],
            &opts,
        )
        .map_err(err)?;
    // A large product: its 9-byte MessagePack form must not be taken for a Python header.
    let large = cluster
        .submit_cpp::<i64>(
            "Multiply",
            &[
                Arg::value(&(1_i64 << 40)).map_err(err)?,
                Arg::value(&3_i64).map_err(err)?,
            ],
            &opts,
        )
        .map_err(err)?;
    ensure(cluster.get(&product).map_err(err)? == 42, || {
        "Multiply(6, 7)".into()
    })?;
    let text = cluster.get(&greeting).map_err(err)?;
    ensure(text == "hello rust, from C++", || {
        format!("Greet: {text:?}")
    })?;
    let counts = cluster.get(&counts).map_err(err)?;
    let want: std::collections::BTreeMap<String, i64> = [
        ("a".to_string(), 3),
        ("b".to_string(), 1),
        ("c".to_string(), 1),
    ]
    .into();
    ensure(counts == want, || format!("CountWords: {counts:?}"))?;
    let values = cluster.get_all(&[&product, &large]).map_err(err)?;
    ensure(values == vec![42, 3 << 40], || {
        format!("get_all: {values:?}")
    })?;
    match cluster.get(
        &cluster
            .submit_cpp::<i64>("NoSuchCppFunction", &[], &opts)
            .map_err(err)?,
    ) {
        Err(e) => ensure(e.to_string().contains("NoSuchCppFunction"), || {
            format!("unknown C++ function: {e}")
        }),
        Ok(v) => Err(format!("unknown C++ function returned {v}")),
    }
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Description {
    count: i64,
    total: f64,
    largest: f64,
}

fn python_functions_are_called_across_languages(cluster: &Cluster) -> CaseResult {
    let opts = TaskOptions::default();
    let shout = cluster
        .submit_python::<String>(
            "cross_language_functions",
            "shout",
            &[Arg::value("from rust").map_err(err)?],
            &opts,
        )
        .map_err(err)?;
    let described = cluster
        .submit_python::<Description>(
            "cross_language_functions",
            "describe",
            &[Arg::value(&[1.5_f64, 4.0, 2.5]).map_err(err)?],
            &opts,
        )
        .map_err(err)?;
    let text = cluster.get(&shout).map_err(err)?;
    ensure(text == "FROM RUST!", || format!("shout: {text:?}"))?;
    let description = cluster.get(&described).map_err(err)?;
    let want = Description {
        count: 3,
        total: 8.0,
        largest: 4.0,
    };
    ensure(description == want, || format!("describe: {description:?}"))?;
    // A Python exception fails the call with its message.
    match cluster.get(
        &cluster
            .submit_python::<String>(
                "cross_language_functions",
                "shout",
                &[Arg::value(&5_i64).map_err(err)?],
                &opts,
            )
            .map_err(err)?,
    ) {
        Err(e) => ensure(e.to_string().contains("upper"), || {
            format!(
                "Python error without its message: {:x?}",
                e.to_string().as_bytes()
            )
        }),
        Ok(v) => Err(format!("shout(5) returned {v:?}")),
    }
}

fn get_and_wait_time_out(cluster: &Cluster) -> CaseResult {
    let slow = cluster
        .submit::<String>(
            "sleep_then",
            &[
                Arg::value(&3000_u64).map_err(err)?,
                Arg::value("late").map_err(err)?,
            ],
            &TaskOptions::default(),
        )
        .map_err(err)?;
    let started = Instant::now();
    match cluster.get_timeout(&slow, Duration::from_millis(300)) {
        Err(ClusterError::Timeout(_)) => {}
        other => return Err(format!("expected Timeout, got {other:?}")),
    }
    let waited = started.elapsed();
    ensure(waited < Duration::from_millis(2500), || {
        format!("get_timeout took {waited:?}")
    })?;
    let quick = cluster.put(&"ready".to_string()).map_err(err)?;
    let status = cluster
        .wait(&[&slow, &quick], 1, Some(Duration::from_millis(200)))
        .map_err(err)?;
    ensure(
        status.ready == vec![1] && status.not_ready == vec![0],
        || format!("wait: {status:?}"),
    )?;
    let value = cluster
        .get_timeout(&slow, Duration::from_secs(30))
        .map_err(err)?;
    ensure(value == "late", || format!("slow task returned {value:?}"))
}

fn unknown_function_is_reported(cluster: &Cluster) -> CaseResult {
    let object = cluster
        .submit::<i64>("no_such_function", &[], &TaskOptions::default())
        .map_err(err)?;
    match cluster.get(&object) {
        Err(ClusterError::TaskFailed(message)) => {
            ensure(message.contains("no_such_function"), || message.clone())
        }
        other => Err(format!("expected TaskFailed, got {other:?}")),
    }
}

fn actor_keeps_state_and_runs_calls_in_order(cluster: &Cluster) -> CaseResult {
    let counter = counter(cluster, 0, &ActorOptions::default())?;
    // Twenty calls in flight at once: the results show they ran one at a time, in order.
    let calls: Vec<ObjectRef<i64>> = (0..20)
        .map(|_| counter.call("increment", &[]))
        .collect::<Result<_, _>>()
        .map_err(err)?;
    let values: Vec<i64> = calls
        .iter()
        .map(|call| cluster.get(call))
        .collect::<Result<_, _>>()
        .map_err(err)?;
    ensure(values == (1..=20).collect::<Vec<_>>(), || {
        format!("increment results {values:?}")
    })?;
    // An argument given as an object reference, resolved by Ray before the call runs.
    let five = cluster.put(&5_i64).map_err(err)?;
    let total: i64 = call(cluster, &counter, "add", &[Arg::object(&five)]).map_err(err)?;
    ensure(total == 25, || {
        format!("add(5) after 20 increments = {total}")
    })?;
    let at: Placement = call(cluster, &counter, "whereami", &[]).map_err(err)?;
    ensure(at.pid != std::process::id(), || {
        "the actor ran in the driver".into()
    })?;
    cluster.kill(&counter).map_err(err)
}

fn named_actor_is_found_by_get_actor(cluster: &Cluster) -> CaseResult {
    let name = "rustyray-test-named-counter";
    let created = counter(cluster, 100, &ActorOptions::default().name(name))?;
    let first: i64 = call(cluster, &created, "increment", &[]).map_err(err)?;
    ensure(first == 101, || format!("increment = {first}"))?;
    let found = cluster
        .get_actor(name)
        .map_err(err)?
        .ok_or_else(|| format!("get_actor({name:?}) found nothing"))?;
    ensure(found == created, || {
        format!("found {found:?}, created {created:?}")
    })?;
    // The same actor, so the same state.
    let value: i64 = call(cluster, &found, "value", &[]).map_err(err)?;
    ensure(value == 101, || {
        format!("value through get_actor = {value}")
    })?;
    let missing = cluster
        .get_actor("rustyray-test-no-such-actor")
        .map_err(err)?;
    ensure(missing.is_none(), || format!("found {missing:?}"))?;
    // Names are unique among live actors.
    match counter(cluster, 0, &ActorOptions::default().name(name)) {
        Err(_) => {}
        Ok(second) => {
            cluster.kill(&second).map_err(err)?;
            return Err("a second actor took a live actor's name".into());
        }
    }
    cluster.kill(&created).map_err(err)
}

fn kill_and_restart_runs_the_constructor_again(cluster: &Cluster) -> CaseResult {
    let actor = counter(cluster, 7, &ActorOptions::default().max_restarts(1))?;
    let eight: i64 = call(cluster, &actor, "increment", &[]).map_err(err)?;
    ensure(eight == 8, || format!("increment from 7 = {eight}"))?;
    // Ray kills asynchronously: calls made before it takes effect still see 8.
    cluster.kill_and_restart(&actor).map_err(err)?;
    wait_for_value(cluster, &actor, 7)?;
    cluster.kill(&actor).map_err(err)
}

fn actor_on_the_second_node_by_resource(cluster: &Cluster) -> CaseResult {
    let expected = node2_port()?;
    let actor = counter(cluster, 0, &ActorOptions::default().resource("node2", 0.5))?;
    let at: Placement = call(cluster, &actor, "whereami", &[]).map_err(err)?;
    ensure(at.node_manager_port == Some(expected), || {
        format!("actor at {at:?}, node2's node manager port is {expected}")
    })?;
    cluster.kill(&actor).map_err(err)
}

fn actor_method_error_surfaces_with_its_message(cluster: &Cluster) -> CaseResult {
    let actor = counter(cluster, 3, &ActorOptions::default())?;
    match call::<i64>(cluster, &actor, "take", &[Arg::value(&5_i64).map_err(err)?]) {
        Err(ClusterError::TaskFailed(message)) => ensure(
            message.contains("cannot take 5: the counter holds 3"),
            || format!("message without the user's text: {message}"),
        )?,
        other => return Err(format!("expected TaskFailed, got {other:?}")),
    }
    match call::<i64>(cluster, &actor, "reset", &[]) {
        Err(ClusterError::TaskFailed(message)) => {
            ensure(message.contains("has no method `reset`"), || {
                message.clone()
            })?
        }
        other => return Err(format!("expected TaskFailed, got {other:?}")),
    }
    // A failed call leaves the actor running, with its state.
    let left: i64 =
        call(cluster, &actor, "take", &[Arg::value(&2_i64).map_err(err)?]).map_err(err)?;
    ensure(left == 1, || format!("take(2) from 3 left {left}"))?;
    cluster.kill(&actor).map_err(err)
}

fn killed_actor_fails_calls_with_actor_died(cluster: &Cluster) -> CaseResult {
    let actor = counter(cluster, 0, &ActorOptions::default().max_restarts(3))?;
    let one: i64 = call(cluster, &actor, "increment", &[]).map_err(err)?;
    ensure(one == 1, || format!("increment = {one}"))?;
    // kill() forbids restarts whatever max_restarts says. It takes effect asynchronously,
    // but from then on every call fails.
    cluster.kill(&actor).map_err(err)?;
    wait_for_actor_died(cluster, &actor)?;
    match call::<i64>(cluster, &actor, "increment", &[]) {
        Err(ClusterError::ActorDied(_)) => Ok(()),
        other => Err(format!("expected ActorDied again, got {other:?}")),
    }
}

fn unknown_actor_type_fails_its_calls(cluster: &Cluster) -> CaseResult {
    let actor = cluster
        .create_actor("NoSuchActor", &[], &ActorOptions::default())
        .map_err(err)?;
    match call::<i64>(cluster, &actor, "value", &[]) {
        Err(ClusterError::ActorDied(_)) => Ok(()),
        other => Err(format!("expected ActorDied, got {other:?}")),
    }
}

fn killed_task_worker_is_retried_once(cluster: &Cluster) -> CaseResult {
    let path = pid_file("retried");
    let object = cluster
        .submit::<Vec<u32>>(
            "record_pid_then_sleep",
            &[
                Arg::value(&path).map_err(err)?,
                Arg::value(&1_usize).map_err(err)?,
                Arg::value(&60_000_u64).map_err(err)?,
            ],
            &TaskOptions::default(),
        )
        .map_err(err)?;
    let first = wait_for_pids(&path, 1)?[0];
    sigkill(first)?;
    // Ray's C++ API submits every task with one retry: the second attempt runs elsewhere.
    let pids = cluster
        .get_timeout(&object, Duration::from_secs(60))
        .map_err(err)?;
    let _ = std::fs::remove_file(&path);
    ensure(
        pids.len() == 2 && pids[0] == first && pids[1] != first,
        || format!("attempts ran in {pids:?}, the first ({first}) was killed"),
    )
}

fn task_worker_killed_twice_fails_with_worker_died(cluster: &Cluster) -> CaseResult {
    let path = pid_file("killed-twice");
    let object = cluster
        .submit::<Vec<u32>>(
            "record_pid_then_sleep",
            &[
                Arg::value(&path).map_err(err)?,
                Arg::value(&2_usize).map_err(err)?,
                Arg::value(&60_000_u64).map_err(err)?,
            ],
            &TaskOptions::default(),
        )
        .map_err(err)?;
    sigkill(wait_for_pids(&path, 1)?[0])?;
    sigkill(wait_for_pids(&path, 2)?[1])?;
    let result = cluster.get_timeout(&object, Duration::from_secs(60));
    let _ = std::fs::remove_file(&path);
    match result {
        Err(ClusterError::WorkerDied(_)) => Ok(()),
        other => Err(format!("expected WorkerDied, got {other:?}")),
    }
}

fn aborting_task_fails_alone(cluster: &Cluster) -> CaseResult {
    let crashed = cluster
        .submit::<u32>("abort_worker", &[], &TaskOptions::default())
        .map_err(err)?;
    match cluster.get_timeout(&crashed, Duration::from_secs(60)) {
        Err(ClusterError::WorkerDied(_)) => {}
        other => return Err(format!("expected WorkerDied, got {other:?}")),
    }
    let sum = cluster
        .submit::<i64>(
            "add",
            &[Arg::value(&1).map_err(err)?, Arg::value(&2).map_err(err)?],
            &TaskOptions::default(),
        )
        .map_err(err)?;
    let sum = cluster
        .get_timeout(&sum, Duration::from_secs(30))
        .map_err(err)?;
    ensure(sum == 3, || format!("add(1, 2) after the crash = {sum}"))
}

/// Calls `value` until the actor answers `expected` (its state after a restart) or 60 s pass.
/// Errors (calls that reached the dying worker) and other values (calls that ran before an
/// asynchronous kill took effect) are passed over.
fn wait_for_value(cluster: &Cluster, actor: &ActorHandle, expected: i64) -> CaseResult {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let answer = call::<i64>(cluster, actor, "value", &[]);
        if matches!(answer, Ok(value) if value == expected) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "expected value {expected} within 60 s, last got {answer:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Calls `value` until it fails with ActorDied or 60 s pass.
fn wait_for_actor_died(cluster: &Cluster, actor: &ActorHandle) -> CaseResult {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match call::<i64>(cluster, actor, "value", &[]) {
            Err(ClusterError::ActorDied(_)) => return Ok(()),
            other if Instant::now() > deadline => {
                return Err(format!(
                    "expected ActorDied within 60 s, last got {other:?}"
                ))
            }
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

fn killed_actor_worker_restarts_under_max_restarts(cluster: &Cluster) -> CaseResult {
    let actor = counter(cluster, 10, &ActorOptions::default().max_restarts(1))?;
    let fifteen: i64 =
        call(cluster, &actor, "add", &[Arg::value(&5_i64).map_err(err)?]).map_err(err)?;
    ensure(fifteen == 15, || format!("add(5) to 10 = {fifteen}"))?;
    let before: Placement = call(cluster, &actor, "whereami", &[]).map_err(err)?;
    sigkill(before.pid)?;
    // The restarted actor ran its constructor again: the state is the constructor's.
    wait_for_value(cluster, &actor, 10)?;
    let after: Placement = call(cluster, &actor, "whereami", &[]).map_err(err)?;
    ensure(after.pid != before.pid, || {
        format!("still in process {}", before.pid)
    })?;
    // The one restart is used up: the next crash ends the actor.
    sigkill(after.pid)?;
    wait_for_actor_died(cluster, &actor)
}

type Case = (&'static str, fn(&Cluster) -> CaseResult);

/// Ordinary `#[rustyray::remote]` calls (`f::remote(..)`, a chain by ObjectRef, an error,
/// refused shapes) on a rustyray runtime whose backend is this process's Ray connection.
fn rustyray_remote_functions_run_in_workers(cluster: &Cluster) -> CaseResult {
    let rt = rustyray::Runtime::builder()
        .backend(rustyray_ray::RayBackend::on(cluster))
        .build()
        .map_err(err)?;
    ensure(rt.backend_name() == Some("ray"), || {
        format!("backend {:?}", rt.backend_name())
    })?;
    let outcome = rt.block_on(async {
        let line = remote_functions::check_on_cluster().await?;
        let concurrent = remote_functions::check_concurrent_actor().await?;
        println!("  {concurrent}");
        // The last case of the job (see its doc).
        remote_functions::check_gpu_stays_pending().await?;
        Ok::<_, String>(line)
    });
    rt.shutdown();
    println!("  {}", outcome.as_deref().unwrap_or("failed"));
    outcome.map(drop)
}

const CASES: &[Case] = &[
    ("put_get_round_trips_a_struct", put_get_round_trips_a_struct),
    (
        "task_by_name_with_args_runs_in_a_worker",
        task_by_name_with_args_runs_in_a_worker,
    ),
    ("object_ref_chain", object_ref_chain),
    (
        "get_all_returns_values_in_order_or_the_first_error",
        get_all_returns_values_in_order_or_the_first_error,
    ),
    (
        "values_of_every_size_round_trip",
        values_of_every_size_round_trip,
    ),
    (
        "cpp_functions_are_called_by_their_ray_remote_names",
        cpp_functions_are_called_by_their_ray_remote_names,
    ),
    (
        "python_functions_are_called_across_languages",
        python_functions_are_called_across_languages,
    ),
    (
        "resource_pins_the_task_to_the_second_node",
        resource_pins_the_task_to_the_second_node,
    ),
    (
        "user_error_surfaces_with_its_message",
        user_error_surfaces_with_its_message,
    ),
    ("get_and_wait_time_out", get_and_wait_time_out),
    ("unknown_function_is_reported", unknown_function_is_reported),
    (
        "actor_keeps_state_and_runs_calls_in_order",
        actor_keeps_state_and_runs_calls_in_order,
    ),
    (
        "named_actor_is_found_by_get_actor",
        named_actor_is_found_by_get_actor,
    ),
    (
        "kill_and_restart_runs_the_constructor_again",
        kill_and_restart_runs_the_constructor_again,
    ),
    (
        "actor_on_the_second_node_by_resource",
        actor_on_the_second_node_by_resource,
    ),
    (
        "actor_method_error_surfaces_with_its_message",
        actor_method_error_surfaces_with_its_message,
    ),
    (
        "killed_actor_fails_calls_with_actor_died",
        killed_actor_fails_calls_with_actor_died,
    ),
    (
        "unknown_actor_type_fails_its_calls",
        unknown_actor_type_fails_its_calls,
    ),
    (
        "killed_task_worker_is_retried_once",
        killed_task_worker_is_retried_once,
    ),
    (
        "task_worker_killed_twice_fails_with_worker_died",
        task_worker_killed_twice_fails_with_worker_died,
    ),
    ("aborting_task_fails_alone", aborting_task_fails_alone),
    (
        "killed_actor_worker_restarts_under_max_restarts",
        killed_actor_worker_restarts_under_max_restarts,
    ),
    (
        "rustyray_remote_functions_run_in_workers",
        rustyray_remote_functions_run_in_workers,
    ),
];

fn main() {
    // The worker library, plus the cross-language cases' C++ library and Python directory.
    let Ok(library) = std::env::var("RUSTYRAY_CODE_SEARCH_PATH") else {
        eprintln!("RUSTYRAY_CODE_SEARCH_PATH is not set (run through tools/test-cluster)");
        std::process::exit(1);
    };
    let cluster = match Cluster::connect_from_env(&library) {
        Ok(cluster) => cluster,
        Err(e) => {
            eprintln!("cannot connect: {e}");
            std::process::exit(1);
        }
    };
    let mut failed = 0;
    for (name, case) in CASES {
        let started = Instant::now();
        match case(&cluster) {
            Ok(()) => println!("test {name} ... ok ({:.2?})", started.elapsed()),
            Err(why) => {
                failed += 1;
                println!("test {name} ... FAILED: {why}");
            }
        }
    }
    drop(cluster);
    println!("{} passed; {failed} failed", CASES.len() - failed);
    if failed > 0 {
        std::process::exit(1);
    }
}
