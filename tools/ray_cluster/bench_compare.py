"""Runs the cluster microbenchmark's three drivers in turn on the running cluster and prints
the median rate of each shape and RustyRay's ratio to Ray's C++ and Python APIs (the median
over rounds of the ratio within each round, with its range).

Run by tools/rustyray-cluster-bench (with RAY_ADDRESS set):
    python bench_compare.py --rounds N --rustyray BIN LIB --cpp BIN LIB --python SCRIPT
Each driver prints `shape<TAB>operations per second` lines. The drivers alternate within
every round, so that a slow spell of the machine hits all three alike.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

APIS = ("rustyray", "cpp", "python")
TITLES = {"rustyray": "RustyRay", "cpp": "Ray C++", "python": "Ray Python"}


def run(command):
    started = time.monotonic()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench_compare: {command[0]} failed with status {done.returncode}")
    rates = {}
    for line in done.stdout.splitlines():
        shape, _, rate = line.partition("\t")
        if rate:
            rates[shape] = float(rate)
    if not rates:
        sys.exit(f"bench_compare: {command[0]} printed no rates")
    print(f"  {os.path.basename(command[0])}: {time.monotonic() - started:.1f} s", file=sys.stderr)
    return rates


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rustyray", nargs=2, required=True)
    parser.add_argument("--cpp", nargs=2, required=True)
    parser.add_argument("--python", required=True)
    args = parser.parse_args()
    commands = {
        "rustyray": list(args.rustyray),
        "cpp": list(args.cpp),
        "python": [sys.executable, args.python],
    }
    samples = {api: {} for api in APIS}
    shapes = []
    for round_number in range(args.rounds):
        print(f"round {round_number + 1} of {args.rounds}", file=sys.stderr)
        # Rotate the order, so that no API always runs first.
        order = APIS[round_number % 3:] + APIS[:round_number % 3]
        for api in order:
            for shape, rate in run(commands[api]).items():
                samples[api].setdefault(shape, []).append(rate)
                if shape not in shapes:
                    shapes.append(shape)

    load = os.getloadavg()[0]
    print(f"cluster microbenchmark: {args.rounds} rounds; median operations per second, and "
          f"the median over rounds of RustyRay's ratio within the round (lowest-highest) "
          f"({os.cpu_count()} cores, load {load:.1f} at the end)")
    print(f"{'shape':<20}{'RustyRay':>10}{'Ray C++':>10}{'Ray Python':>12}"
          f"{'vs C++':>20}{'vs Python':>20}")
    worst = {"cpp": float("inf"), "python": float("inf")}
    for shape in shapes:
        rates = {api: samples[api].get(shape, []) for api in APIS}
        cells = [f"{shape:<20}"]
        for api, width in (("rustyray", 10), ("cpp", 10), ("python", 12)):
            cells.append(f"{statistics.median(rates[api]):>{width},.0f}" if rates[api]
                         else f"{'-':>{width}}")
        for api in ("cpp", "python"):
            ratios = [r / o for r, o in zip(rates["rustyray"], rates[api])]
            if ratios:
                median = statistics.median(ratios)
                worst[api] = min(worst[api], median)
                cells.append(f"{median:>7.2f}x ({min(ratios):.2f}-{max(ratios):.2f})")
            else:
                cells.append(f"{'-':>20}")
        print("".join(cells))
    print(f"lowest median ratio: {worst['cpp']:.2f}x of Ray C++, "
          f"{worst['python']:.2f}x of Ray Python")


if __name__ == "__main__":
    main()
