//! RustyRay on a real Ray cluster (run by tools/test-cluster, which starts the local
//! two-node cluster and builds the worker library).
//!
//! Ray's runtime is one per process, so this is one driver running every case in turn
//! (`harness = false`), reporting each and failing if any fails.
//!
//! Environment: RAY_ADDRESS (the cluster), RUSTYRAY_WORKER_LIBRARY (the worker library's
//! path), RUSTYRAY_NODE2_PORT (node manager port of the node with resource `node2`).

mod cluster_functions;

use std::time::{Duration, Instant};

use cluster_functions::Reading;
use rustyray_ray::node::Placement;
use rustyray_ray::{Arg, Cluster, ClusterError, TaskOptions};

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
    let expected: u16 = std::env::var("RUSTYRAY_NODE2_PORT")
        .map_err(|_| "RUSTYRAY_NODE2_PORT is not set (run through tools/test-cluster)".to_string())?
        .parse()
        .map_err(err)?;
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

type Case = (&'static str, fn(&Cluster) -> CaseResult);

const CASES: &[Case] = &[
    ("put_get_round_trips_a_struct", put_get_round_trips_a_struct),
    (
        "task_by_name_with_args_runs_in_a_worker",
        task_by_name_with_args_runs_in_a_worker,
    ),
    ("object_ref_chain", object_ref_chain),
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
];

fn main() {
    let Ok(library) = std::env::var("RUSTYRAY_WORKER_LIBRARY") else {
        eprintln!("RUSTYRAY_WORKER_LIBRARY is not set (run through tools/test-cluster)");
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
