//! Resource scheduling: declared CPUs, GPUs and custom resources bound concurrency.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::drive;
use rustyray::{Runtime, RustyRayError};

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

async fn track() {
    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
    PEAK.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(5)).await;
    RUNNING.fetch_sub(1, Ordering::SeqCst);
}

#[rustyray::remote(num_cpus = 2.0)]
async fn two_cpus() -> usize {
    track().await;
    2
}

#[rustyray::remote(num_cpus = 0.5, resources(disk = 1.0))]
async fn needs_disk() -> usize {
    track().await;
    1
}

#[rustyray::remote(num_cpus = 0.0, num_gpus = 1.0)]
async fn needs_gpu() -> usize {
    track().await;
    1
}

#[rustyray::remote]
async fn one_cpu() -> usize {
    track().await;
    1
}

#[rustyray::remote]
async fn plain() -> usize {
    1
}

fn reset() {
    RUNNING.store(0, Ordering::SeqCst);
    PEAK.store(0, Ordering::SeqCst);
}

fn peak() -> usize {
    PEAK.load(Ordering::SeqCst)
}

#[test]
fn declared_resources_bound_concurrency() {
    let rt = Runtime::builder()
        .num_cpus(4.0)
        .num_gpus(2.0)
        .resource("disk", 1.0)
        .worker_threads(2)
        .build()
        .expect("rt");
    drive(&rt, async {
        reset();
        let refs: Vec<_> = (0..12)
            .map(|_| two_cpus::remote().into_result())
            .collect::<Result<_, _>>()?;
        rustyray::get(&refs).await?;
        assert!(peak() <= 2, "4 CPUs / 2 per task, peak {}", peak());

        reset();
        let refs: Vec<_> = (0..12)
            .map(|_| needs_disk::remote().into_result())
            .collect::<Result<_, _>>()?;
        rustyray::get(&refs).await?;
        assert_eq!(peak(), 1, "one disk");

        reset();
        let refs: Vec<_> = (0..12)
            .map(|_| needs_gpu::remote().into_result())
            .collect::<Result<_, _>>()?;
        rustyray::get(&refs).await?;
        assert!(peak() <= 2, "two GPUs, peak {}", peak());

        reset();
        let refs: Vec<_> = (0..40)
            .map(|_| one_cpu::remote().into_result())
            .collect::<Result<_, _>>()?;
        rustyray::get(&refs).await?;
        assert!(peak() <= 4, "four CPUs, peak {}", peak());
        assert!(peak() >= 2, "tasks ran in parallel, peak {}", peak());

        reset();
        let refs: Vec<_> = (0..12)
            .map(|_| one_cpu::options().num_cpus(4.0).remote().into_result())
            .collect::<Result<_, _>>()?;
        rustyray::get(&refs).await?;
        assert_eq!(peak(), 1, "options override the attribute");
        rustyray::Result::Ok(())
    })
    .expect("scheduling");
}

#[test]
fn infeasible_requests_fail_at_submission() {
    let rt = Runtime::builder().num_cpus(1.0).build().expect("rt");
    drive(&rt, async {
        assert!(matches!(
            plain::options().num_cpus(2.0).remote().await,
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            plain::options().resource("disk", 1.0).remote().await,
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            plain::options().num_gpus(1.0).remote().await,
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            plain::options().num_cpus(-1.0).remote().await,
            Err(RustyRayError::InvalidArgument(_))
        ));
        assert_eq!(plain::remote().await?.get().await?, 1);
        rustyray::Result::Ok(())
    })
    .expect("infeasible");
}
