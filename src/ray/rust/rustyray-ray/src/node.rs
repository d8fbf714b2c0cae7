//! Which Ray node the current worker process belongs to.
//!
//! Ray's C++ API has no call for the node ID, but the raylet starts each C++ worker with
//! `--ray_node_manager_port=PORT`, and on one host every raylet listens on its own port: the
//! port tells the nodes of a local cluster apart.

/// The node manager port on the command line `args`, if present and numeric.
pub fn node_manager_port_in<I, S>(args: I) -> Option<u16>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    args.into_iter().find_map(|arg| {
        arg.as_ref()
            .strip_prefix("--ray_node_manager_port=")
            .and_then(|port| port.parse().ok())
    })
}

/// The node manager port of the raylet that started this process (None outside a worker).
pub fn node_manager_port() -> Option<u16> {
    node_manager_port_in(std::env::args_os().filter_map(|a| a.into_string().ok()))
}

/// Where a task ran: its process and its node, so a caller can check that a task ran in
/// another process, and on which node.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Placement {
    pub pid: u32,
    /// The raylet's node manager port ([`node_manager_port`]).
    pub node_manager_port: Option<u16>,
}

/// The placement of the calling process; register it with `cluster_function!` to ask a
/// worker where it runs.
pub fn whereami() -> Placement {
    Placement {
        pid: std::process::id(),
        node_manager_port: node_manager_port(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_port_flag() {
        let args = [
            "default_worker",
            "--ray_address=127.0.0.1:6390",
            "--ray_node_manager_port=40123",
        ];
        assert_eq!(node_manager_port_in(args), Some(40123));
        assert_eq!(
            node_manager_port_in(["w", "--ray_node_manager_port=x"]),
            None
        );
        assert_eq!(node_manager_port_in(["cargo", "test"]), None);
    }

    #[test]
    fn a_test_process_is_not_a_worker() {
        assert_eq!(node_manager_port(), None);
    }
}
