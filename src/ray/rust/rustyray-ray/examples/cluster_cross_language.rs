//! Cross-language calls from RustyRay: a Rust driver calls a remote function of a Ray C++
//! user's library (by its `RAY_REMOTE` name) and a Python function (by module and name),
//! both through Ray, and feeds one's result to the other. Values cross as MessagePack.
//!
//! Run by tools/test-cluster, which builds tests/cross_language/ray_cpp_functions.cc into a
//! library and puts it and the directory of cross_language_functions.py on the code search
//! path (RUSTYRAY_CODE_SEARCH_PATH; RAY_ADDRESS names the cluster).

use rustyray_ray::{Arg, Cluster, TaskOptions};

fn main() {
    if let Err(err) = run() {
        eprintln!("cluster_cross_language: {err}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let search_path = std::env::var("RUSTYRAY_CODE_SEARCH_PATH")
        .map_err(|_| "RUSTYRAY_CODE_SEARCH_PATH is not set (run through tools/test-cluster)")?;
    let cluster = Cluster::connect_from_env(&search_path)?;
    let opts = TaskOptions::default();

    // C++: int64_t Multiply(int64_t, int64_t), registered with RAY_REMOTE.
    let product = cluster.submit_cpp::<i64>(
        "Multiply",
        &[Arg::value(&6_i64)?, Arg::value(&7_i64)?],
        &opts,
    )?;
    let product = cluster.get(&product)?;
    println!("C++ Multiply(6, 7) = {product}");

    // Python: cross_language_functions.shout(text), given the C++ function's answer.
    let text = format!("the answer is {product}");
    let shouted = cluster.submit_python::<String>(
        "cross_language_functions",
        "shout",
        &[Arg::value(&text)?],
        &opts,
    )?;
    let shouted = cluster.get(&shouted)?;
    println!("Python shout({text:?}) = {shouted:?}");
    if shouted != "THE ANSWER IS 42!" {
        return Err(format!("unexpected answer {shouted:?}").into());
    }
    println!("cluster_cross_language: ok");
    Ok(())
}
