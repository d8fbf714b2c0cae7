"""Starts the local test cluster: a head and a second node, on loopback only.

Run by tools/ray-cluster with the project's virtualenv. Nodes are started the way Ray's own
multi-node tests start them (ray.cluster_utils), because with Ray's multi-node mode off (so
that every address stays 127.0.0.1) `ray start --address` refuses to add a node. The nodes
outlive this process; `ray stop` ends them.

    python start_nodes.py PORT TEMP_DIR
Prints the cluster's address.
"""

import os
import sys

# Before ray is imported: Ray reads it into a constant at import time.
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"

from ray.cluster_utils import Cluster  # noqa: E402


def main():
    port = int(sys.argv[1])
    temp_dir = sys.argv[2]
    cluster = Cluster(
        initialize_head=True,
        shutdown_at_exit=False,
        head_node_args={
            "gcs_server_port": port,
            "num_cpus": 2,
            "include_dashboard": False,
            "temp_dir": temp_dir,
            "node_ip_address": "127.0.0.1",
        },
    )
    cluster.add_node(num_cpus=1, resources={"node2": 1}, node_ip_address="127.0.0.1")
    cluster.wait_for_nodes(timeout=120)
    print(cluster.address)


if __name__ == "__main__":
    main()
