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
    Ok(())
}
