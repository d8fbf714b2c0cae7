//! The process-wide instance reads the real environment, once. A test binary of its
//! own, with one test, so setting variables races with no other test.

use ray_config::{instance, EnvSnapshot, EnvSource, ProcessEnv, RayConfig};

#[test]
fn instance_reads_the_process_environment_once() {
    std::env::set_var("RAY_worker_niceness", "4");
    std::env::set_var("RAY_JOB_ID", "abc");
    std::env::set_var("RAY_preload_python_modules", "x, y");
    let config = instance().expect("valid environment");
    {
        let c = config.read().expect("not poisoned");
        assert_eq!(c.worker_niceness, 4);
        assert_eq!(c.job_id, "abc");
        assert_eq!(c.preload_python_modules, ["x", "y"]);
    }
    // Later changes only matter to initialize, as in Ray.
    std::env::set_var("RAY_worker_niceness", "6");
    assert_eq!(instance().unwrap().read().unwrap().worker_niceness, 4);
    config
        .write()
        .unwrap()
        .initialize(r#"{"max_io_workers": 2}"#)
        .unwrap();
    let c = instance().unwrap().read().unwrap().clone();
    assert_eq!((c.worker_niceness, c.max_io_workers), (6, 2));
    assert_eq!(RayConfig::from_env().unwrap().worker_niceness, 6);

    // The snapshot initialize reads keeps exactly the RAY_ variables, as they are.
    std::env::set_var("NOT_RAY_worker_niceness", "1");
    let snapshot = EnvSnapshot::of_process();
    for name in [
        "RAY_worker_niceness",
        "RAY_JOB_ID",
        "RAY_preload_python_modules",
    ] {
        assert_eq!(snapshot.var(name), ProcessEnv.var(name), "{name}");
    }
    assert_eq!(snapshot.var("RAY_JOB_ID").as_deref(), Some("abc"));
    assert_eq!(snapshot.var("RAY_max_io_workers"), None);
    assert_eq!(snapshot.var("NOT_RAY_worker_niceness"), None);

    // A bad value is an error, not a panic.
    std::env::set_var("RAY_worker_niceness", "six");
    assert!(RayConfig::from_env().is_err());
}
