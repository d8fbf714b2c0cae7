//! Functions the cluster tests run in Ray's workers; also compiled into the worker library
//! (examples/cluster_test_worker.rs).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub sensor: String,
    pub values: Vec<f64>,
    pub flags: Option<(bool, u8)>,
}

pub use rustyray_ray::node::whereami;

pub fn add(a: i64, b: i64) -> i64 {
    a + b
}

pub fn total(reading: Reading, offset: f64) -> f64 {
    reading.values.iter().sum::<f64>() + offset
}

pub fn checked_sqrt(x: f64) -> Result<f64, String> {
    if x < 0.0 {
        Err(format!("checked_sqrt: {x} is negative"))
    } else {
        Ok(x.sqrt())
    }
}

pub fn sleep_then(ms: u64, value: String) -> String {
    std::thread::sleep(std::time::Duration::from_millis(ms));
    value
}

rustyray_ray::cluster_function!(whereami);
rustyray_ray::cluster_function!(add);
rustyray_ray::cluster_function!(total);
rustyray_ray::cluster_function!(try checked_sqrt);
rustyray_ray::cluster_function!(sleep_then);

/// Appends this process's id to the file `path` (one line per attempt of the task) and, on
/// the first `sleepy_attempts` attempts, sleeps `ms` first: the tests kill the sleeping
/// worker and see whether Ray runs the task again. Returns every id recorded so far.
pub fn record_pid_then_sleep(path: String, sleepy_attempts: usize, ms: u64) -> Vec<u32> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .expect("open the pid file");
    writeln!(file, "{}", std::process::id()).expect("write the pid file");
    drop(file);
    let pids = read_pids(&path);
    if pids.len() <= sleepy_attempts {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    pids
}

/// The process ids in a file written by [`record_pid_then_sleep`].
pub fn read_pids(path: &str) -> Vec<u32> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().parse().ok())
        .collect()
}

/// Ends the worker process at once, as a crash would (no unwinding, no error returned).
pub fn abort_worker() -> u32 {
    std::process::abort()
}

/// The tests' actor: a counter that remembers where it runs.
pub struct Counter {
    count: i64,
}

impl Counter {
    pub fn new(start: i64) -> Self {
        Self { count: start }
    }

    pub fn increment(&mut self) -> i64 {
        self.count += 1;
        self.count
    }

    pub fn add(&mut self, amount: i64) -> i64 {
        self.count += amount;
        self.count
    }

    pub fn value(&mut self) -> i64 {
        self.count
    }

    pub fn take(&mut self, amount: i64) -> Result<i64, String> {
        if amount > self.count {
            return Err(format!(
                "cannot take {amount}: the counter holds {}",
                self.count
            ));
        }
        self.count -= amount;
        Ok(self.count)
    }

    pub fn whereami(&mut self) -> rustyray_ray::node::Placement {
        rustyray_ray::node::whereami()
    }
}

rustyray_ray::cluster_function!(record_pid_then_sleep);
rustyray_ray::cluster_function!(abort_worker);
rustyray_ray::cluster_actor!(Counter {
    new: Counter::new,
    fn increment,
    fn add,
    fn value,
    try take,
    fn whereami,
});
