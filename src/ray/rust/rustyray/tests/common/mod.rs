//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use rustyray::Runtime;

/// Every wait of the tests is bounded by this.
pub const LIMIT: Duration = Duration::from_secs(30);

/// A runtime with `cpus` CPUs and two async workers.
pub fn runtime(cpus: f64) -> Runtime {
    Runtime::builder()
        .num_cpus(cpus)
        .worker_threads(2)
        .build()
        .expect("runtime")
}

/// Runs `f` as the driver of `rt`, failing the test if it takes longer than [`LIMIT`],
/// then shuts the runtime down.
pub fn drive<F: Future>(rt: &Runtime, f: F) -> F::Output {
    let out = rt.block_on(async {
        tokio::time::timeout(LIMIT, f)
            .await
            .expect("the test timed out (deadlock?)")
    });
    rt.shutdown();
    out
}
