from __future__ import annotations

import threading
import time

import pytest

import rustyray
from rustyray.exceptions import GetTimeoutError, RayTaskError, TaskCancelledError

from conftest import LIMIT, Tally


@rustyray.remote
def add(x, y=0):
    return x + y


@rustyray.remote
def echo(*args, **kwargs):
    return args, kwargs


def test_init_shutdown_and_context_manager():
    rustyray.shutdown()
    assert not rustyray.is_initialized()
    with rustyray.init(num_cpus=2, resources={"disk": 3}) as ctx:
        assert rustyray.is_initialized()
        assert ctx.num_cpus == 2
        resources = rustyray.cluster_resources()
        assert resources.pop("memory") > 0
        assert resources == {"CPU": 2.0, "disk": 3.0}
        with pytest.raises(RuntimeError, match="twice"):
            rustyray.init()
        rustyray.init(ignore_reinit_error=True)
    assert not rustyray.is_initialized()
    rustyray.shutdown()  # a no-op when not initialized


def test_auto_init():
    rustyray.shutdown()
    try:
        assert rustyray.get(add.remote(1, 2), timeout=LIMIT) == 3
        assert rustyray.is_initialized()
    finally:
        rustyray.shutdown()


def test_remote_calls_and_refs_as_arguments(rt):
    a = add.remote(1, 2)
    b = add.remote(a, y=add.remote(10))
    assert rustyray.get(b, timeout=LIMIT) == 13
    assert rustyray.get([a, b], timeout=LIMIT) == [3, 13]
    assert isinstance(a, rustyray.ObjectRef)
    assert len(a.hex()) == 56 and a == a and a != b and hash(a) == hash(a)


def test_nested_refs_are_passed_through(rt):
    inner = rustyray.put(41)
    args, kwargs = rustyray.get(echo.remote([inner], key={"r": inner}), timeout=LIMIT)
    assert type(args[0][0]) is rustyray.ObjectRef and args[0][0] == inner
    assert rustyray.get(kwargs["key"]["r"], timeout=LIMIT) == 41


def test_direct_call_is_an_error(rt):
    with pytest.raises(TypeError, match="remote"):
        add(1, 2)


def test_options_and_num_returns(rt):
    @rustyray.remote(num_returns=2)
    def pair(x):
        return x, x * 2

    a, b = pair.remote(4)
    assert rustyray.get([a, b], timeout=LIMIT) == [4, 8]
    three = pair.options(num_returns=3)
    with pytest.raises(RayTaskError, match="num_returns=3"):
        rustyray.get(three.remote(1)[0], timeout=LIMIT)
    assert pair.options(num_returns=0).remote(1) is None
    assert rustyray.get(add.options(num_cpus=2, name="adder").remote(5), timeout=LIMIT) == 5
    with pytest.raises(ValueError, match="Invalid option"):
        add.options(bogus=1)


def test_resources_limit_concurrency(rt):
    running = []
    lock = threading.Lock()
    peak = [0]

    @rustyray.remote(num_cpus=2)
    def heavy():
        with lock:
            running.append(1)
            peak[0] = max(peak[0], len(running))
        time.sleep(0.05)
        with lock:
            running.pop()

    rustyray.get([heavy.remote() for _ in range(6)], timeout=LIMIT)
    assert peak[0] <= 2  # 4 CPUs / 2 per task
    with pytest.raises(ValueError, match="infeasible"):
        add.options(num_cpus=64).remote(1)

    @rustyray.remote(resources={"disk": 1})
    def needs_disk():
        return 1

    with pytest.raises(ValueError):
        needs_disk.remote()


def test_errors_are_ray_task_errors_and_the_original_class(rt):
    class Custom(Exception):
        pass

    @rustyray.remote
    def fail(kind):
        if kind == "value":
            raise ValueError("bad value")
        raise Custom("custom")

    with pytest.raises(ValueError, match="bad value") as info:
        rustyray.get(fail.remote("value"), timeout=LIMIT)
    err = info.value
    assert isinstance(err, RayTaskError) and isinstance(err, ValueError)
    assert isinstance(err.cause, ValueError)
    assert "Traceback" in err.traceback_str and "in fail" in str(err) and "fail()" in str(err)
    with pytest.raises(Custom):
        rustyray.get(fail.remote("custom"), timeout=LIMIT)
    # A failed argument fails the dependent task with the same error.
    with pytest.raises(ValueError, match="bad value"):
        rustyray.get(add.remote(fail.remote("value")), timeout=LIMIT)


def test_retries(rt):
    tally = Tally.remote()

    @rustyray.remote(max_retries=2, retry_exceptions=True)
    def flaky():
        n = rustyray.get(tally.add.remote())
        if n < 3:
            raise OSError("flaky")
        return n

    assert rustyray.get(flaky.remote(), timeout=LIMIT) == 3
    tally = Tally.remote()

    @rustyray.remote(max_retries=5, retry_exceptions=[KeyError])
    def picky():
        rustyray.get(tally.add.remote())
        raise ValueError("not retried")

    with pytest.raises(ValueError):
        rustyray.get(picky.remote(), timeout=LIMIT)
    assert rustyray.get(tally.count.remote(), timeout=LIMIT) == 1
    tally = Tally.remote()

    @rustyray.remote(max_retries=3)
    def no_retry():
        rustyray.get(tally.add.remote())
        raise ValueError("no retry_exceptions")

    with pytest.raises(ValueError):
        rustyray.get(no_retry.remote(), timeout=LIMIT)
    assert rustyray.get(tally.count.remote(), timeout=LIMIT) == 1


def test_get_timeout(rt):
    @rustyray.remote
    def slow():
        time.sleep(1.0)
        return 1

    ref = slow.remote()
    start = time.monotonic()
    with pytest.raises(GetTimeoutError):
        rustyray.get(ref, timeout=0.1)
    assert time.monotonic() - start < 0.9
    with pytest.raises(TimeoutError):
        rustyray.get([ref], timeout=0)
    assert rustyray.get(ref, timeout=LIMIT) == 1


def test_wait(rt):
    @rustyray.remote
    def sleep(s):
        time.sleep(s)
        return s

    fast, slow = sleep.remote(0), sleep.remote(2.0)
    ready, not_ready = rustyray.wait([slow, fast], num_returns=1, timeout=LIMIT)
    assert ready == [fast] and not_ready == [slow]
    ready, not_ready = rustyray.wait([slow, fast], num_returns=2, timeout=0.05)
    assert ready == [fast] and not_ready == [slow]
    with pytest.raises(ValueError):
        rustyray.wait([fast], num_returns=2)
    with pytest.raises(ValueError, match="unique"):
        rustyray.wait([fast, fast])
    with pytest.raises(TypeError):
        rustyray.wait(fast)
    ready, _ = rustyray.wait([slow, fast], num_returns=2, timeout=LIMIT)
    assert ready == [slow, fast]


def test_cancel(rt):
    gate = threading.Event()

    @rustyray.remote(num_cpus=4)
    def block():
        gate.wait(LIMIT)
        return "done"

    running = block.remote()
    queued = block.remote()
    rustyray.cancel(queued)
    with pytest.raises(TaskCancelledError):
        rustyray.get(queued, timeout=LIMIT)
    gate.set()
    assert rustyray.get(running, timeout=LIMIT) == "done"


def test_put_get(rt):
    ref = rustyray.put({"a": [1, 2]})
    value = rustyray.get(ref, timeout=LIMIT)
    assert value == {"a": [1, 2]}
    value["a"].append(3)  # values are copies
    assert rustyray.get(ref, timeout=LIMIT) == {"a": [1, 2]}
    with pytest.raises(TypeError):
        rustyray.put(ref)
    with pytest.raises(ValueError):
        rustyray.get("not a ref")
    data = b"x" * 1_000_000
    assert rustyray.get(rustyray.put(data), timeout=LIMIT) is data  # immutable: no copy


def test_closures_and_lambdas_are_serialized(rt):
    pytest.importorskip("cloudpickle")
    factor = 3
    fn = lambda x: x * factor  # noqa: E731
    assert rustyray.get(rustyray.put(fn), timeout=LIMIT)(2) == 6

    @rustyray.remote
    def apply(f, x):
        return f(x)

    assert rustyray.get(apply.remote(lambda x: x + factor, 1), timeout=LIMIT) == 4


def test_numpy_zero_copy(rt):
    np = pytest.importorskip("numpy")
    array = np.arange(1_000_000, dtype=np.float64)
    ref = rustyray.put(array)
    out = rustyray.get(ref, timeout=LIMIT)
    assert np.array_equal(out, array)
    assert not out.flags.writeable  # a read-only view of the stored buffer, as in Ray
    again = rustyray.get(ref, timeout=LIMIT)
    assert np.shares_memory(out, again)
    array[0] = -1  # the stored copy is independent of the original
    assert rustyray.get(ref, timeout=LIMIT)[0] == 0

    @rustyray.remote
    def total(a):
        return float(a.sum())

    assert rustyray.get(total.remote(ref), timeout=LIMIT) == float(np.arange(1_000_000).sum())


def test_await_ref_in_asyncio(rt):
    import asyncio

    @rustyray.remote
    def slow_add(x, y):
        time.sleep(0.05)
        return x + y

    async def main():
        a = await slow_add.remote(1, 2)
        both = await asyncio.gather(slow_add.remote(a, 1), slow_add.remote(a, 2))
        return a, both

    assert asyncio.run(asyncio.wait_for(main(), LIMIT)) == (3, [4, 5])

    @rustyray.remote
    def fail():
        raise KeyError("k")

    async def failing():
        await fail.remote()

    with pytest.raises(KeyError):
        asyncio.run(asyncio.wait_for(failing(), LIMIT))


def test_fan_out_10k(rt):
    refs = [add.remote(i, 1) for i in range(10_000)]
    assert rustyray.get(refs, timeout=LIMIT) == list(range(1, 10_001))


def test_nested_tasks_do_not_deadlock(rt):
    @rustyray.remote
    def leaf(x):
        return x * 2

    @rustyray.remote
    def middle(x):
        return sum(rustyray.get([leaf.remote(x), leaf.remote(x + 1)], timeout=LIMIT))

    @rustyray.remote
    def root(n):
        return rustyray.get([middle.remote(i) for i in range(n)], timeout=LIMIT)

    # More blocked parents than CPUs: waiting tasks give their CPU back.
    assert rustyray.get([root.remote(8) for _ in range(8)], timeout=LIMIT) == [
        [4 * i + 2 for i in range(8)]
    ] * 8


def test_gil_is_released_while_waiting(rt):
    @rustyray.remote
    def spin(seconds):
        end = time.monotonic() + seconds
        n = 0
        while time.monotonic() < end:
            n += 1
        return n

    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        @rustyray.remote
        def sleeper():
            time.sleep(0.3)  # releases the GIL

        rustyray.get([sleeper.remote() for _ in range(4)], timeout=LIMIT)
    finally:
        stop.set()
        t.join(LIMIT)
    assert len(ticks) > 20  # the driver thread and the Python thread kept running
    start = time.monotonic()
    rustyray.get([sleeper.remote() for _ in range(4)], timeout=LIMIT)
    assert time.monotonic() - start < 1.0  # the 4 sleeps overlapped
    assert rustyray.get(spin.remote(0.01), timeout=LIMIT) > 0
