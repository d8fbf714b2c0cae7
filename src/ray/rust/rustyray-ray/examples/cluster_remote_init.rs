//! Like cluster_remote.rs, but the program does not name the cluster: `rustyray::init()`
//! connects to `RAY_ADDRESS` because the program has the Ray backend (`ray_backend!()`),
//! as Ray's `ray.init()` does. Run by tools/test-cluster.

// Only some of its items are used here.
#[allow(dead_code)]
#[path = "../tests/remote_functions/mod.rs"]
mod remote_functions;

rustyray_ray::ray_backend!();

fn main() -> Result<(), String> {
    let rt = rustyray::init().map_err(|e| e.to_string())?;
    if rt.backend_name() != Some("ray") {
        return Err(format!("backend {:?}, expected ray", rt.backend_name()));
    }
    let line = rt.block_on(remote_functions::check_on_cluster());
    rustyray::shutdown().map_err(|e| e.to_string())?;
    println!("cluster_remote_init: ok: {}", line?);
    Ok(())
}
