//! The quickstart's remote functions, shared by the driver (`cluster_quickstart`) and the
//! worker library (`cluster_quickstart_worker`) that Ray's C++ workers load.

use serde::{Deserialize, Serialize};

/// Where a task ran: evidence that it ran in another process, and on which node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub pid: u32,
    /// The raylet's node manager port (see `rustyray_ray::node`).
    pub node_manager_port: Option<u16>,
}

pub fn whereami() -> Placement {
    Placement {
        pid: std::process::id(),
        node_manager_port: rustyray_ray::node::node_manager_port(),
    }
}

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
