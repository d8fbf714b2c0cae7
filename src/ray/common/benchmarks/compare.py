#!/usr/bin/env python3
"""Runs benchmark binaries for both implementations in one run, interleaved, and compares them.

Each benchmark binary is built twice (common_benchmark_cc / _rust, scheduling_benchmark_cc /
_rust); `--cc` and `--rust` are given once per pair, in the same order. The benchmarks are split
into chunks (one per "<component>/<subject>" prefix). Every round runs each chunk under the C++
binary and then the Rust-backed one (the order flips every round), so both see the same machine
load. Per operation the ratio is the median over the rounds of Rust / C++ (each round's pair ran
back to back), reported with its range over the rounds; the times shown are the medians of each
side. The geometric mean is taken over the operations' median ratios.

    compare.py --cc BIN --rust BIN [--cc BIN --rust BIN ...] [--rounds N] [--min-time 0.05s]
               [--filter REGEX] [--json FILE] [--quick] [--launcher auto|direct|root]
    compare.py --cc BIN --rust BIN [...] --profile NAME [--profile NAME ...]

Used by `tools/bazel run -c opt //src/ray/common/benchmarks:compare` (inside the build root)
and imported by tools/equivalence-report (on the host). Python 3 standard library only.
"""

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Issue targets: every operation within 10% of C++, the geometric mean no slower.
MAX_RATIO = 1.10
MAX_GEOMEAN = 1.00
# A difference below one clock cycle (0.38 ns at 2.6 GHz) is below what a benchmark of a
# sub-nanosecond operation can resolve: such an operation meets the target whatever its ratio.
NOISE_FLOOR_NS = 0.35

WORKSPACE = Path(__file__).resolve().parents[4]
IMPLS = ["cc", "rust"]
_REGEX_SPECIAL = set(".^$*+?()[]{}|\\")


def _escape(name):
    """Escapes a benchmark name for Google Benchmark's (POSIX extended) filter regex."""
    return "".join("\\" + c if c in _REGEX_SPECIAL else c for c in name)


def _build_root():
    """The provisioned Debian root tools/bazel builds in, or None."""
    cache = os.environ.get("RAY_FFI_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "ray-rust-ffi"
    )
    roots = Path(cache) / "roots"
    provision = WORKSPACE / "tools" / "provision" / "provision.sh"
    candidates = []
    if provision.exists():
        key = subprocess.run(
            ["bash", str(provision), "key"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if key:
            candidates.append(roots / key)
    if roots.is_dir():
        candidates += sorted(p for p in roots.iterdir() if p.is_dir())
    for root in candidates:
        if (root / "usr/lib64/ld-linux-x86-64.so.2").exists():
            return root
    return None


def launcher_prefix(binary, mode="auto"):
    """The command prefix that runs `binary` here.

    The binaries link the build root's shared libraries (Debian ships Google Benchmark as a
    shared library only). Inside the root, or in the image, they run as they are; on a host
    whose libraries differ they run through the root's own dynamic loader.
    """
    if mode == "direct":
        return []
    if mode == "auto":
        try:
            probe = subprocess.run(
                [binary, "--benchmark_list_tests", "--benchmark_filter=^$"],
                capture_output=True,
                check=False,
            )
            if probe.returncode == 0:
                return []
        except OSError:
            pass
    root = _build_root()
    if root is None:
        raise RuntimeError(f"{binary} does not run here and no provisioned build root was found")
    libs = [root / "usr/lib/x86_64-linux-gnu", root / "lib/x86_64-linux-gnu"]
    return [
        str(root / "usr/lib64/ld-linux-x86-64.so.2"),
        "--inhibit-cache",
        "--library-path",
        ":".join(str(p) for p in libs),
    ]


def list_benchmarks(prefix, binary, name_filter):
    args = prefix + [binary, "--benchmark_list_tests"]
    if name_filter:
        args.append("--benchmark_filter=" + name_filter)
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    names = [line.strip() for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 and (names or not name_filter):
        raise RuntimeError(f"{binary} --benchmark_list_tests failed:\n{proc.stderr[-2000:]}")
    # A filter that matches none of this binary's benchmarks is not an error.
    return names


def chunk_names(names, min_size=8):
    """Groups benchmark names by their first two components, in listing order, merging
    consecutive small groups so that each process runs at least `min_size` benchmarks."""
    groups = {}
    for name in names:
        groups.setdefault("/".join(name.split("/")[:2]), []).append(name)
    chunks = []
    for key, members in groups.items():
        if chunks and len(chunks[-1][1]) < min_size and \
                chunks[-1][0].split("/")[0] == key.split("/")[0]:
            chunks[-1] = (chunks[-1][0], chunks[-1][1] + members)
        else:
            chunks.append((key, list(members)))
    return chunks


_TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def run_chunk(prefix, binary, names, min_time, expected_impl):
    regex = "^(" + "|".join(_escape(n) for n in names) + ")$"
    args = prefix + [
        binary,
        "--benchmark_filter=" + regex,
        "--benchmark_min_time=" + min_time,
        "--benchmark_format=json",
    ]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{binary} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    impl = report.get("context", {}).get("ray_common_impl")
    if impl != expected_impl:
        raise RuntimeError(
            f"{binary} links the {impl!r} implementation, expected {expected_impl!r}"
        )
    results = {}
    for bench in report["benchmarks"]:
        scale = _TO_NS[bench.get("time_unit", "ns")]
        results[bench["name"]] = {
            "cpu_ns": bench["cpu_time"] * scale,
            "real_ns": bench["real_time"] * scale,
            "allocs": bench.get("allocs_per_iter", 0.0),
            "expect_no_alloc": bool(bench.get("expect_no_alloc", 0.0)),
        }
    return results


def _load_average():
    try:
        return os.getloadavg()
    except OSError:
        return None


def geomean(values):
    values = [v for v in values if v > 0]
    if not values:
        return float("nan")
    return math.exp(sum(math.log(v) for v in values) / len(values))


def _pairs(cc, rust):
    """[(cc binary, rust binary)] from one binary each or from two lists of equal length."""
    ccs = [cc] if isinstance(cc, (str, os.PathLike)) else list(cc)
    rusts = [rust] if isinstance(rust, (str, os.PathLike)) else list(rust)
    if len(ccs) != len(rusts) or not ccs:
        raise RuntimeError("give the C++ and Rust-backed binaries in pairs")
    return list(zip(ccs, rusts))


def compare(cc, rust, rounds=5, min_time="0.05s", name_filter=None, launcher="auto",
            progress=None):
    """Runs both implementations interleaved and returns the comparison as a dict (see --json).

    `cc` and `rust` are one benchmark binary each, or lists of binaries paired by position.
    """
    say = progress or (lambda message: None)
    pairs = _pairs(cc, rust)
    names = []
    chunks = []  # (pair index, chunk name, benchmark names)
    prefixes = {}
    for index, (cc_bin, rust_bin) in enumerate(pairs):
        prefixes[cc_bin] = launcher_prefix(cc_bin, launcher)
        prefixes[rust_bin] = launcher_prefix(rust_bin, launcher)
        pair_names = list_benchmarks(prefixes[cc_bin], cc_bin, name_filter)
        if set(pair_names) != set(list_benchmarks(prefixes[rust_bin], rust_bin, name_filter)):
            raise RuntimeError(f"{cc_bin} and {rust_bin} list different benchmarks")
        if set(pair_names) & set(names):
            raise RuntimeError(f"{cc_bin} repeats benchmarks of another binary")
        names += pair_names
        if not pair_names:
            continue
        chunks += [(index, key, members) for key, members in chunk_names(pair_names)]
    if not names:
        raise RuntimeError("no benchmark matches")
    samples = {impl: {name: [] for name in names} for impl in IMPLS}
    allocs = {impl: {} for impl in IMPLS}
    expect_no_alloc = {}
    load_before = _load_average()
    started = time.monotonic()
    for round_index in range(rounds):
        order = ["cc", "rust"] if round_index % 2 == 0 else ["rust", "cc"]
        for chunk_index, (pair_index, chunk, chunk_members) in enumerate(chunks):
            say(
                f"round {round_index + 1}/{rounds}, chunk {chunk_index + 1}/{len(chunks)} "
                f"{chunk}... ({len(chunk_members)} benchmarks, {time.monotonic() - started:.0f}s)"
            )
            for impl in order:
                binary = pairs[pair_index][IMPLS.index(impl)]
                results = run_chunk(prefixes[binary], binary, chunk_members, min_time, impl)
                for name, result in results.items():
                    samples[impl][name].append(result["cpu_ns"])
                    allocs[impl][name] = max(allocs[impl].get(name, 0.0), result["allocs"])
                    expect_no_alloc[name] = result["expect_no_alloc"]
    elapsed = time.monotonic() - started

    operations = []
    for name in names:
        cc_ns = statistics.median(samples["cc"][name])
        rust_ns = statistics.median(samples["rust"][name])
        # The ratio is the median of the per-round ratios: both sides of a round ran back to
        # back, so a round that a noisy neighbour slowed down skews neither the verdict nor
        # the other rounds. The spread is their range.
        round_ratios = [r / c for c, r in zip(samples["cc"][name], samples["rust"][name])
                        if c > 0]
        ratio = statistics.median(round_ratios) if round_ratios else float("nan")
        spread = [min(round_ratios), max(round_ratios)] if round_ratios else [ratio, ratio]
        operations.append({
            "name": name,
            "component": name.split("/")[0],
            "cc_ns": cc_ns,
            "rust_ns": rust_ns,
            "cc_samples": samples["cc"][name],
            "rust_samples": samples["rust"][name],
            "ratio": ratio,
            "ratio_spread": spread,
            "cc_allocs": allocs["cc"][name],
            "rust_allocs": allocs["rust"][name],
            "expect_no_alloc": expect_no_alloc[name],
            "within_noise": abs(rust_ns - cc_ns) <= NOISE_FLOOR_NS,
            "meets_target": ratio <= MAX_RATIO or abs(rust_ns - cc_ns) <= NOISE_FLOOR_NS,
            # Allocation counts are per iteration; framework noise stays far below 0.5.
            "alloc_violation": expect_no_alloc[name] and allocs["rust"][name] >= 0.5,
        })
    ratios = [op["ratio"] for op in operations]
    return {
        "rounds": rounds,
        "min_time": min_time,
        "filter": name_filter,
        "elapsed_s": elapsed,
        "load_average_before": load_before,
        "load_average_after": _load_average(),
        "cpu_count": os.cpu_count(),
        "max_ratio": MAX_RATIO,
        "max_geomean": MAX_GEOMEAN,
        "geomean": geomean(ratios),
        "operations": operations,
        "misses": [op["name"] for op in operations if not op["meets_target"]],
        "alloc_violations": [op["name"] for op in operations if op["alloc_violation"]],
    }


def format_ns(ns):
    if ns >= 1000:
        return f"{ns / 1000:.2f} us"
    if ns >= 10:
        return f"{ns:.1f} ns"
    return f"{ns:.2f} ns"


def format_spread(op):
    low, high = op.get("ratio_spread", [op["ratio"], op["ratio"]])
    return f"{low:.2f}-{high:.2f}"


def format_allocs(value):
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.2f}"


def format_table(result):
    width = max(len(op["name"]) for op in result["operations"])
    lines = [
        f"{'operation':<{width}}  {'C++':>10}  {'Rust':>10}  {'ratio':>6}  {'spread':>11}  "
        f"{'allocs C++/Rust':>15}  note",
    ]
    for op in result["operations"]:
        notes = []
        if not op["meets_target"]:
            notes.append(f"> {MAX_RATIO:.2f}x")
        elif op["ratio"] > MAX_RATIO:
            notes.append("(sub-cycle difference)")
        if op["alloc_violation"]:
            notes.append("allocates")
        allocs = f"{format_allocs(op['cc_allocs'])}/{format_allocs(op['rust_allocs'])}"
        lines.append(
            f"{op['name']:<{width}}  {format_ns(op['cc_ns']):>10}  {format_ns(op['rust_ns']):>10}  "
            f"{op['ratio']:>5.2f}x  {format_spread(op):>11}  {allocs:>15}  {' '.join(notes)}"
        )
    lines.append("")
    lines.append(
        f"geometric mean of Rust/C++ over {len(result['operations'])} operations: "
        f"{result['geomean']:.3f}x (target <= {MAX_GEOMEAN:.2f}x)"
    )
    lines.append(
        f"operations above {MAX_RATIO:.2f}x (by more than {NOISE_FLOOR_NS} ns): "
        f"{len(result['misses'])}; "
        f"Rust-side allocations where none are expected: {len(result['alloc_violations'])}"
    )
    lines.append(
        f"{result['rounds']} interleaved rounds, min time {result['min_time']}, "
        f"{result['elapsed_s']:.0f}s, load average before/after "
        f"{_fmt_load(result['load_average_before'])} / {_fmt_load(result['load_average_after'])}"
        f" on {result['cpu_count']} CPUs"
    )
    return "\n".join(lines)


def _fmt_load(load):
    return "n/a" if load is None else " ".join(f"{x:.2f}" for x in load)


def _callgrind(prefix, binary, name, iterations, out_file):
    """Runs one benchmark under callgrind; returns {function: instructions}."""
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + str(out_file)]
        + prefix
        + [binary, f"--benchmark_filter=^{_escape(name)}$", f"--benchmark_min_time={iterations}x"],
        capture_output=True,
        check=True,
    )
    listing = subprocess.run(
        ["callgrind_annotate", "--inclusive=no", "--threshold=100", str(out_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    costs = {}
    for line in listing.splitlines():
        match = re.match(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$", line)
        if not match or "PROGRAM TOTALS" in line:
            continue
        function = re.sub(r"\s+\[[^\]]*\]$", "", match.group(2)).replace("???:", "")
        costs[function] = costs.get(function, 0) + int(match.group(1).replace(",", ""))
    return costs


def profile(cc, rust, name, launcher="auto", iterations=100000, top=12):
    """Instructions per iteration of benchmark `name` for both implementations, by function.

    Each binary runs under callgrind with `iterations` and `2 * iterations` iterations; the
    difference divided by `iterations` leaves exactly the cost of the benchmark loop (setup,
    start-up and reporting cancel out).
    """
    lines = []
    pair = None
    for cc_bin, rust_bin in _pairs(cc, rust):
        if name in list_benchmarks(launcher_prefix(cc_bin, launcher), cc_bin, f"^{_escape(name)}$"):
            pair = (cc_bin, rust_bin)
            break
    if pair is None:
        return f"{name}: no such benchmark"
    with tempfile.TemporaryDirectory() as scratch:
        for impl, binary in zip(IMPLS, pair):
            prefix = launcher_prefix(binary, launcher)
            runs = [
                _callgrind(prefix, binary, name, n, Path(scratch) / f"{impl}.{n}.out")
                for n in (iterations, 2 * iterations)
            ]
            per_iteration = {
                function: (runs[1].get(function, 0) - runs[0].get(function, 0)) / iterations
                for function in set(runs[0]) | set(runs[1])
            }
            total = sum(per_iteration.values())
            lines.append(f"{name} [{impl}]: {total:.1f} instructions per iteration")
            ranked = sorted(per_iteration.items(), key=lambda item: -item[1])
            for function, cost in ranked[:top]:
                if cost >= 0.5:
                    lines.append(f"  {cost:7.1f}  {function[:150]}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cc", required=True, action="append",
                        help="a C++ benchmark binary (repeat once per pair)")
    parser.add_argument("--rust", required=True, action="append",
                        help="its Rust-backed build (same order as --cc)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 5, quick 3)")
    parser.add_argument("--min-time", help="per benchmark and round (default 0.05s, quick 0.01s)")
    parser.add_argument("--filter", help="only benchmarks matching this regex")
    parser.add_argument("--json", help="write the comparison here as JSON")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument("--launcher", choices=["auto", "direct", "root"], default="auto")
    parser.add_argument(
        "--profile",
        metavar="NAME",
        action="append",
        help="instead of timing, count instructions per iteration of this benchmark under "
        "valgrind's callgrind, by function, for both binaries (repeatable)",
    )
    args = parser.parse_args(argv)
    if args.profile:
        for name in args.profile:
            print(profile(args.cc, args.rust, name, args.launcher))
        return 0
    rounds = args.rounds or (3 if args.quick else 5)
    min_time = args.min_time or ("0.01s" if args.quick else "0.05s")

    def progress(message):
        print("[compare] " + message, file=sys.stderr, flush=True)

    result = compare(args.cc, args.rust, rounds, min_time, args.filter, args.launcher, progress)
    print(format_table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
