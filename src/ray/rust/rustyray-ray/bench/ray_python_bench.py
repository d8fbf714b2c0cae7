"""The cluster microbenchmark's baseline on Ray's Python API: the shapes of
examples/cluster_bench.rs with the same function and actor, written as a Ray user would.

    python ray_python_bench.py     (RAY_ADDRESS names the cluster; RUSTYRAY_BENCH_SCALE
                                    multiplies the counts, RUSTYRAY_BENCH_ONLY picks a shape)
Prints one `shape<TAB>operations per second` line per shape.
"""

import os
import time

import ray


@ray.remote
def noop():
    return 0


@ray.remote
class BenchCounter:
    def __init__(self):
        self.count = 0

    def add(self, amount):
        self.count += amount
        return self.count


def measure(shape, n, body):
    only = os.environ.get("RUSTYRAY_BENCH_ONLY")
    if only is not None and only != shape:
        return
    started = time.perf_counter()
    body()
    print(f"{shape}\t{n / (time.perf_counter() - started):.1f}", flush=True)


def expect(what, got, want):
    if got != want:
        raise AssertionError(f"{what}: got {got!r}, expected {want!r}")


def main():
    scale = float(os.environ.get("RUSTYRAY_BENCH_SCALE", "1"))

    def count(base):
        return max(1, round(base * scale))

    ray.init(address=os.environ["RAY_ADDRESS"], log_to_driver=False)
    # Start the workers before anything is timed (Ray starts them on first use).
    ray.get([noop.remote() for _ in range(100)])
    counter = BenchCounter.remote()
    total = ray.get(counter.add.remote(1))

    n = count(300)

    def tasks_sync():
        for _ in range(n):
            expect("noop", ray.get(noop.remote()), 0)

    measure("tasks sync", n, tasks_sync)

    n_async = count(1000)

    def tasks_async():
        refs = [noop.remote() for _ in range(n_async)]
        for value in ray.get(refs):
            expect("noop", value, 0)

    measure("tasks async", n_async, tasks_async)

    state = {"total": total}
    n_calls = count(1000)

    def actor_sync():
        for _ in range(n_calls):
            state["total"] += 1
            expect("add", ray.get(counter.add.remote(1)), state["total"])

    measure("actor calls sync", n_calls, actor_sync)

    n_calls_async = count(2000)

    def actor_async():
        refs = [counter.add.remote(1) for _ in range(n_calls_async)]
        for value in ray.get(refs):
            state["total"] += 1
            expect("add", value, state["total"])

    measure("actor calls async", n_calls_async, actor_async)

    n_put = count(2000)

    def put():
        for i in range(n_put):
            ray.put(i)

    measure("put", n_put, put)

    n_get = count(5000)
    small = ray.put(7)

    def get():
        for _ in range(n_get):
            expect("get", ray.get(small), 7)

    measure("get", n_get, get)

    n_big = count(50)
    payload = b"x" * (1 << 20)

    def big():
        for _ in range(n_big):
            expect("1 MiB length", len(ray.get(ray.put(payload))), len(payload))

    measure("1 MiB put/get", n_big, big)
    ray.shutdown()


if __name__ == "__main__":
    main()
