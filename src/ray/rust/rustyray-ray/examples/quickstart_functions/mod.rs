//! The quickstart's remote functions, shared by the driver (`cluster_quickstart`) and the
//! worker library (`cluster_quickstart_worker`) that Ray's C++ workers load.

use serde::{Deserialize, Serialize};

pub use rustyray_ray::node::{whereami, Placement};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub count: usize,
    pub mean: f64,
    pub ran_at: Placement,
}

pub fn summarize(values: Vec<f64>) -> Summary {
    let count = values.len();
    let mean = if count == 0 {
        0.0
    } else {
        values.iter().sum::<f64>() / count as f64
    };
    Summary {
        count,
        mean,
        ran_at: whereami(),
    }
}

pub fn scale(summary: Summary, factor: f64) -> f64 {
    summary.mean * factor
}

rustyray_ray::cluster_function!(whereami);
rustyray_ray::cluster_function!(summarize);
rustyray_ray::cluster_function!(scale);

/// The quickstart's actor: a running tally of the values it is given, kept in the worker
/// process that Ray starts for it.
pub struct Tally {
    label: String,
    values: Vec<f64>,
}

impl Tally {
    pub fn new(label: String) -> Self {
        Self {
            label,
            values: Vec::new(),
        }
    }

    /// Adds a value; returns the total so far.
    pub fn record(&mut self, value: f64) -> f64 {
        self.values.push(value);
        self.values.iter().sum()
    }

    pub fn mean(&mut self) -> Result<f64, String> {
        if self.values.is_empty() {
            return Err(format!("tally {:?} has no values yet", self.label));
        }
        Ok(self.values.iter().sum::<f64>() / self.values.len() as f64)
    }

    pub fn report(&mut self) -> String {
        format!(
            "tally {:?} in pid {}: {:?}",
            self.label,
            std::process::id(),
            self.values
        )
    }
}

rustyray_ray::cluster_actor!(Tally {
    new: Tally::new,
    fn record,
    try mean,
    fn report,
});
