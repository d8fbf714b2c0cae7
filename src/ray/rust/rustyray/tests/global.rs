//! The global runtime: `init`, `runtime()`, `shutdown`, a fresh job per `init`.

use rustyray::{RustyRayError, TaskId};

#[rustyray::remote]
async fn double(x: i64) -> i64 {
    x * 2
}

#[test]
fn init_runtime_and_shutdown() {
    assert!(matches!(
        rustyray::shutdown(),
        Err(RustyRayError::NotInitialised)
    ));
    let rt = rustyray::init().expect("init");
    assert!(rustyray::is_initialized());
    assert!(matches!(
        rustyray::init(),
        Err(RustyRayError::AlreadyInitialised)
    ));
    let job = rt.job_id();
    assert_eq!(rustyray::runtime().expect("global").job_id(), job);

    let r = double::remote(21)
        .into_result()
        .expect("submit from a plain thread");
    assert_eq!(r.get_blocking().expect("value"), 42);
    assert_eq!(
        r.task_id(),
        TaskId::for_normal_task(&job, &TaskId::for_driver_task(&job), 1)
    );
    let from_thread = std::thread::spawn(|| {
        double::remote(5)
            .into_result()
            .and_then(|r| r.get_blocking())
    })
    .join()
    .expect("thread");
    assert_eq!(from_thread.expect("value"), 10);

    rustyray::shutdown().expect("shutdown");
    assert!(!rustyray::is_initialized());
    assert!(rt.is_shut_down());
    assert!(matches!(
        double::remote(1).into_result(),
        Err(RustyRayError::NotInitialised)
    ));

    let again = rustyray::RuntimeBuilder::default()
        .num_cpus(1.0)
        .init()
        .expect("init again");
    assert_ne!(again.job_id(), job, "a new job per init");
    assert_eq!(again.total_resource("CPU"), Some(1.0));
    rustyray::shutdown().expect("shutdown");
}
