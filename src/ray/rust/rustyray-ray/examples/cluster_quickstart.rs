//! RustyRay on a Ray cluster: the functions and the actor of `quickstart_functions` run in
//! Ray's C++ worker processes, loaded from the library given as the code search path.
//!
//! Run with `tools/rustyray-cluster-demo`, which builds that library, starts a local
//! two-node cluster, runs this program and stops the cluster. By hand:
//! `RAY_ADDRESS=127.0.0.1:6390 cluster_quickstart /path/to/libcluster_quickstart_worker.so`.

#[path = "quickstart_functions/mod.rs"]
mod functions;

use functions::{Placement, Summary};
use rustyray_ray::{ActorOptions, Arg, Cluster, ClusterError, ObjectRef, TaskOptions};

fn main() {
    if let Err(err) = run() {
        eprintln!("cluster_quickstart: {err}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let library = std::env::args()
        .nth(1)
        .ok_or("usage: cluster_quickstart WORKER_LIBRARY (RAY_ADDRESS names the cluster)")?;
    let cluster = Cluster::connect_from_env(&library)?;
    let me = std::process::id();
    println!("driver pid {me}");

    let data = cluster.put(&vec![1.0, 2.0, 3.0, 4.0])?;
    println!("put {:?}: {:?}", data, cluster.get(&data)?);

    let summary =
        cluster.submit::<Summary>("summarize", &[Arg::object(&data)], &TaskOptions::default())?;
    let scaled = cluster.submit::<f64>(
        "scale",
        &[Arg::object(&summary), Arg::value(&10.0)?],
        &TaskOptions::default(),
    )?;
    let summary = cluster.get(&summary)?;
    println!(
        "summarize ran in pid {} (node manager port {:?}): count {}, mean {}",
        summary.ran_at.pid, summary.ran_at.node_manager_port, summary.count, summary.mean
    );
    println!("scale(summary, 10) = {}", cluster.get(&scaled)?);
    if summary.ran_at.pid == me {
        return Err("the task ran in the driver process".into());
    }

    let anywhere: Placement =
        cluster.get(&cluster.submit("whereami", &[], &TaskOptions::default())?)?;
    let on_node2: Placement = cluster.get(&cluster.submit(
        "whereami",
        &[],
        &TaskOptions::default().resource("node2", 1.0),
    )?)?;
    println!("whereami: {anywhere:?}");
    println!("whereami with resources {{node2: 1}}: {on_node2:?}");
    // tools/rustyray-cluster-demo passes the second node's node manager port.
    if let Ok(port) = std::env::var("RUSTYRAY_NODE2_PORT") {
        let port: u16 = port.parse()?;
        if on_node2.node_manager_port != Some(port) {
            return Err(format!("the node2 task ran outside node2 (port {port})").into());
        }
        println!("the node2 task ran on the second node (node manager port {port})");
    }

    // An actor: its state lives in its own worker process, its calls run in order.
    let tally = cluster.create_actor(
        "Tally",
        &[Arg::value("readings")?],
        &ActorOptions::default().name("quickstart-tally"),
    )?;
    match cluster.get(&tally.call::<f64>("mean", &[])?) {
        Err(ClusterError::TaskFailed(msg)) => println!("mean of an empty tally: {msg}"),
        other => return Err(format!("expected a method error, got {other:?}").into()),
    }
    let totals = [1.5, 2.5, 4.0]
        .iter()
        .map(|value| Ok(tally.call::<f64>("record", &[Arg::value(value)?])?))
        .collect::<Result<Vec<ObjectRef<f64>>, Box<dyn std::error::Error>>>()?;
    for total in &totals {
        println!("running total: {}", cluster.get(total)?);
    }
    let by_name = cluster
        .get_actor("quickstart-tally")?
        .ok_or("the named actor was not found")?;
    println!("{}", cluster.get(&by_name.call::<String>("report", &[])?)?);
    println!("mean: {}", cluster.get(&by_name.call::<f64>("mean", &[])?)?);
    cluster.kill(&tally)?;

    match cluster.submit::<f64>("no_such_function", &[], &TaskOptions::default()) {
        Ok(missing) => match cluster.get(&missing) {
            Err(ClusterError::TaskFailed(msg)) => println!("unknown function: {msg}"),
            other => return Err(format!("expected a task error, got {other:?}").into()),
        },
        Err(err) => println!("unknown function rejected at submission: {err}"),
    }
    Ok(())
}
