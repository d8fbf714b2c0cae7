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
