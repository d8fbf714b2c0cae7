//! Like cluster_remote.rs, but the program does not name the cluster: `init()` connects to
//! `RAY_ADDRESS` because the program has the Ray backend (`ray_backend!()`), as Ray's
//! `ray.init()` does; and the job runs in a namespace of its choosing, as with Ray's
//! `ray.init(namespace=..)` (its workers report the same). Run by tools/test-cluster.

// Only some of its items are used here.
#[allow(dead_code)]
#[path = "../tests/remote_functions/mod.rs"]
mod remote_functions;

rustyray_ray::ray_backend!();

const NAMESPACE: &str = "rustyray-init-example";

fn main() -> Result<(), String> {
    let rt = rustyray::RuntimeBuilder::default()
        .namespace(NAMESPACE)
        .init()
        .map_err(|e| e.to_string())?;
    if rt.backend_name() != Some("ray") || rt.namespace() != NAMESPACE {
        return Err(format!(
            "backend {:?} in namespace {:?}, expected ray in {NAMESPACE}",
            rt.backend_name(),
            rt.namespace()
        ));
    }
    let line = rt.block_on(remote_functions::check_on_cluster());
    rustyray::shutdown().map_err(|e| e.to_string())?;
    println!("cluster_remote_init: ok: {}", line?);
    Ok(())
}
