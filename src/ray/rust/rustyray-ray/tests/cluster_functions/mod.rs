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

rustyray_ray::cluster_actor!(Counter {
    new: Counter::new,
    fn increment,
    fn add,
    fn value,
    try take,
    fn whereami,
});
