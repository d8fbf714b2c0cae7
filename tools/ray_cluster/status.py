"""Prints the nodes of the cluster at ADDRESS: id, address, alive, resources.

    python status.py ADDRESS
Exits 1 unless every node is alive and registered at a loopback address.
"""

import sys

import ray


def main():
    ray.init(address=sys.argv[1], logging_level="ERROR", log_to_driver=False)
    ok = True
    for node in ray.nodes():
        loopback = node["NodeManagerAddress"].startswith("127.")
        ok &= node["Alive"] and loopback
        resources = ", ".join(f"{k}={v:g}" for k, v in sorted(node["Resources"].items())
                              if not k.startswith("node:"))
        print(f"{node['NodeID'][:12]}  {node['NodeManagerAddress']}:{node['NodeManagerPort']}"
              f"  {'alive' if node['Alive'] else 'dead'}  {resources}")
    ray.shutdown()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
