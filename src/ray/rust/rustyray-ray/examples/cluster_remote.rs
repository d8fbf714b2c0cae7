//! An ordinary RustyRay program whose `#[rustyray::remote]` functions run on a Ray cluster
//! because it is started with an address: `#[rustyray::main(address = "auto")]` connects to
//! `RAY_ADDRESS` through the Ray backend that `ray_backend!()` registers. Its functions
//! (tests/remote_functions) are in the worker library found through
//! RUSTYRAY_CODE_SEARCH_PATH. Run by tools/test-cluster.

// Only some of its items are used here.
#[allow(dead_code)]
#[path = "../tests/remote_functions/mod.rs"]
mod remote_functions;

rustyray_ray::ray_backend!();

#[rustyray::main(address = "auto")]
async fn main() -> Result<(), String> {
    let rt = rustyray::runtime().map_err(|e| e.to_string())?;
    if rt.backend_name() != Some("ray") {
        return Err(format!("backend {:?}, expected ray", rt.backend_name()));
    }
    let line = remote_functions::check_on_cluster().await?;
    println!("cluster_remote: ok: {line}");
    // Round trips: one call at a time, then many in flight.
    let err = |e: rustyray::RustyRayError| e.to_string();
    let n = 200;
    let started = std::time::Instant::now();
    for i in 0..n {
        let t = remote_functions::tag::remote(i).await.map_err(err)?;
        if t.await.map_err(err)?.value != i {
            return Err(format!("tag({i})"));
        }
    }
    let sequential = started.elapsed();
    let started = std::time::Instant::now();
    let mut refs = Vec::new();
    for i in 0..n {
        refs.push(remote_functions::tag::remote(i).await.map_err(err)?);
    }
    let sum: i64 = rustyray::get(&refs)
        .await
        .map_err(err)?
        .iter()
        .map(|t| t.value)
        .sum();
    if sum != (0..n).sum::<i64>() {
        return Err(format!("sum of {n} tags: {sum}"));
    }
    let parallel = started.elapsed();
    println!(
        "cluster_remote: {n} calls one at a time: {:.2?} per call; {n} in flight: {:.2?} in all",
        sequential / n as u32,
        parallel
    );
    Ok(())
}
