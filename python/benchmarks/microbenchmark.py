"""The shapes of ``ray microbenchmark`` on RustyRay, and on Ray in the same run when
``ray`` is importable.

    python python/benchmarks/microbenchmark.py [--duration SECONDS] [--no-ray]

Each shape prints ``<name> per second <mean> +- <sd>`` (over repeated timed rounds);
with Ray it also prints Ray's figure and the ratio RustyRay / Ray (target: >= 10).
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any, Callable, Dict, List, Tuple

import numpy as np


def timeit(name: str, fn: Callable[[], None], multiplier: int, duration: float) -> Tuple[float, float]:
    """Runs ``fn`` (``multiplier`` operations per call) in rounds of ``duration`` / 5
    seconds after a warm-up; returns the mean and standard deviation of ops/s."""
    end = time.perf_counter() + min(1.0, duration / 5)
    while time.perf_counter() < end:
        fn()
    rates: List[float] = []
    for _ in range(5):
        count = 0
        start = time.perf_counter()
        end = start + duration / 5
        while time.perf_counter() < end:
            fn()
            count += 1
        rates.append(count * multiplier / (time.perf_counter() - start))
    return statistics.mean(rates), statistics.stdev(rates)


def shapes(api: Any) -> List[Tuple[str, Callable[[], None], int]]:
    """The benchmark shapes on ``api`` (``rustyray`` or ``ray``)."""

    @api.remote
    def small_value() -> bytes:
        return b"ok"

    @api.remote
    class Actor:
        def small_value(self) -> bytes:
            return b"ok"

    actor = Actor.remote()
    api.get(actor.small_value.remote())
    value = api.put(0)
    array = np.zeros(1024 * 1024, dtype=np.uint8)

    return [
        ("single client tasks sync", lambda: api.get(small_value.remote()), 1),
        ("single client tasks async", lambda: api.get([small_value.remote() for _ in range(1000)]), 1000),
        ("1:1 actor calls sync", lambda: api.get(actor.small_value.remote()), 1),
        ("1:1 actor calls async", lambda: api.get([actor.small_value.remote() for _ in range(1000)]), 1000),
        ("single client get calls", lambda: api.get(value), 1),
        ("single client put calls", lambda: api.put(0), 1),
        ("single client put/get 1 MiB array", lambda: api.get(api.put(array)), 1),
    ]


def run(api: Any, duration: float, **init: Any) -> Dict[str, Tuple[float, float]]:
    api.init(**init)
    try:
        return {name: timeit(name, fn, n, duration) for name, fn, n in shapes(api)}
    finally:
        api.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per shape")
    parser.add_argument("--no-ray", action="store_true", help="skip Ray even if installed")
    args = parser.parse_args()

    import rustyray

    ours = run(rustyray, args.duration)
    theirs: Dict[str, Tuple[float, float]] = {}
    if not args.no_ray:
        try:
            import ray
        except ImportError:
            print("(ray is not installed: RustyRay's numbers only)")
        else:
            theirs = run(ray, args.duration, include_dashboard=False, log_to_driver=False)
    for name, (mean, sd) in ours.items():
        print(f"{name} per second {mean:.2f} +- {sd:.2f}")
        if name in theirs:
            ray_mean, ray_sd = theirs[name]
            print(f"  ray: {name} per second {ray_mean:.2f} +- {ray_sd:.2f}; ratio {mean / ray_mean:.1f}x")


if __name__ == "__main__":
    main()
