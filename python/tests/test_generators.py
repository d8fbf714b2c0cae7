"""Generator tasks and methods: ``ObjectRefGenerator`` (streaming, the default for
generators) and ``num_returns="dynamic"``."""

from __future__ import annotations

import asyncio
import gc
import threading
import time

import pytest

import rustyray
from rustyray import DynamicObjectRefGenerator, ObjectRef, ObjectRefGenerator
from rustyray.exceptions import GetTimeoutError, RayTaskError, TaskCancelledError

from conftest import LIMIT, Tally


@rustyray.remote
def count(n):
    for i in range(n):
        yield i * 10


@rustyray.remote
def fails_after(n):
    for i in range(n):
        yield i
    raise ValueError(f"failed after {n}")


def test_generator_function_returns_an_object_ref_generator(rt):
    gen = count.remote(4)
    assert isinstance(gen, ObjectRefGenerator)
    refs = list(gen)
    assert all(type(r) is ObjectRef for r in refs)
    assert rustyray.get(refs, timeout=LIMIT) == [0, 10, 20, 30]


def test_next_and_stop_iteration(rt):
    gen = count.remote(2)
    assert rustyray.get(next(gen), timeout=LIMIT) == 0
    assert rustyray.get(next(gen), timeout=LIMIT) == 10
    with pytest.raises(StopIteration):
        next(gen)
    with pytest.raises(StopIteration):
        next(gen)


def test_explicit_streaming_option(rt):
    gen = count.options(num_returns="streaming").remote(3)
    assert [rustyray.get(r, timeout=LIMIT) for r in gen] == [0, 10, 20]


def test_items_are_readable_before_the_generator_finishes(rt):
    release = threading.Event()

    @rustyray.remote
    def gated():
        yield "first"
        # Holds the generator open until the test has read the first item.
        if not release.wait(LIMIT):
            raise TimeoutError("never released")
        yield "second"

    gen = gated.remote()
    first = next(gen)
    assert rustyray.get(first, timeout=LIMIT) == "first"
    assert not gen.is_finished()
    release.set()
    assert rustyray.get(next(gen), timeout=LIMIT) == "second"
    with pytest.raises(StopIteration):
        next(gen)
    assert gen.is_finished()


def test_error_mid_stream_comes_after_the_earlier_items(rt):
    gen = fails_after.remote(2)
    assert rustyray.get(next(gen), timeout=LIMIT) == 0
    assert rustyray.get(next(gen), timeout=LIMIT) == 1
    failed = next(gen)
    with pytest.raises(ValueError, match="failed after 2"):
        rustyray.get(failed, timeout=LIMIT)
    with pytest.raises(StopIteration):
        next(gen)


def test_a_non_generator_with_streaming_fails_on_read(rt):
    @rustyray.remote(num_returns="streaming")
    def plain():
        return 1

    gen = plain.remote()
    with pytest.raises(TypeError, match="generator"):
        rustyray.get(next(gen), timeout=LIMIT)


def test_async_iteration(rt):
    async def read_all():
        return [await ref async for ref in count.remote(3)]

    assert asyncio.run(asyncio.wait_for(read_all(), LIMIT)) == [0, 10, 20]


def test_async_generator_function(rt):
    @rustyray.remote
    async def ticks(n):
        for i in range(n):
            await asyncio.sleep(0)
            yield i

    assert rustyray.get(list(ticks.remote(3)), timeout=LIMIT) == [0, 1, 2]


def test_cancel_stops_a_running_generator(rt):
    produced = []

    @rustyray.remote
    def endless():
        i = 0
        while True:
            produced.append(i)
            yield i
            i += 1
            time.sleep(0.01)

    gen = endless.remote()
    assert rustyray.get(next(gen), timeout=LIMIT) == 0
    rustyray.cancel(gen)
    deadline = time.monotonic() + LIMIT
    while not gen.is_finished():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.1)
    stopped_at = len(produced)
    time.sleep(0.1)
    assert len(produced) == stopped_at, "the generator kept running after cancel"
    # The reader gets what was sent before, then the cancellation, then the end.
    rest = list(gen)
    with pytest.raises(TaskCancelledError):
        rustyray.get(rest[-1], timeout=LIMIT)
    assert rustyray.get(rest[:-1], timeout=LIMIT) == list(range(1, len(rest)))


def test_next_waits_with_the_gil_released(rt):
    @rustyray.remote
    def slow():
        time.sleep(0.2)
        yield 1

    gen = slow.remote()
    ticks = []
    t = threading.Thread(target=lambda: [ticks.append(time.sleep(0.01)) for _ in range(5)])
    t.start()
    ref = next(gen)
    t.join(LIMIT)
    assert len(ticks) == 5
    assert rustyray.get(ref, timeout=LIMIT) == 1


@rustyray.remote
class Producer:
    def __init__(self):
        self.calls = 0

    def numbers(self, n):
        self.calls += 1
        for i in range(n):
            yield i

    def bad(self):
        yield "ok"
        raise KeyError("bad")

    def count_calls(self):
        return self.calls


def test_generator_methods_of_actors(rt):
    p = Producer.remote()
    gen = p.numbers.remote(3)
    assert isinstance(gen, ObjectRefGenerator)
    assert rustyray.get(list(gen), timeout=LIMIT) == [0, 1, 2]
    refs = list(p.bad.remote())
    assert rustyray.get(refs[0], timeout=LIMIT) == "ok"
    with pytest.raises(KeyError):
        rustyray.get(refs[1], timeout=LIMIT)
    assert len(refs) == 2
    assert rustyray.get(p.count_calls.remote(), timeout=LIMIT) == 1


def test_generator_methods_of_async_actors(rt):
    @rustyray.remote
    class AsyncProducer:
        def __init__(self):
            self.go = asyncio.Event()

        async def stream(self, n):
            for i in range(n):
                yield i
                await self.go.wait()

        def sync_stream(self):
            yield "a"
            yield "b"

        def release(self):
            self.go.set()

    a = AsyncProducer.remote()
    gen = a.stream.remote(3)
    # Item 0 is out while the generator waits for release().
    assert rustyray.get(next(gen), timeout=LIMIT) == 0
    assert not gen.is_finished()
    rustyray.get(a.release.remote(), timeout=LIMIT)
    assert rustyray.get(list(gen), timeout=LIMIT) == [1, 2]
    assert rustyray.get(list(a.sync_stream.remote()), timeout=LIMIT) == ["a", "b"]


def test_dynamic_returns_one_ref_to_a_generator_of_refs(rt):
    @rustyray.remote(num_returns="dynamic")
    def split(n):
        for i in range(n):
            yield i + 100

    ref = split.remote(3)
    assert type(ref) is ObjectRef
    dynamic = rustyray.get(ref, timeout=LIMIT)
    assert isinstance(dynamic, DynamicObjectRefGenerator)
    assert len(dynamic) == 3
    assert rustyray.get(list(dynamic), timeout=LIMIT) == [100, 101, 102]


def test_dynamic_actor_method(rt):
    @rustyray.remote
    class Splitter:
        @rustyray.method(num_returns="dynamic")
        def parts(self, n):
            for i in range(n):
                yield str(i)

    s = Splitter.remote()
    dynamic = rustyray.get(s.parts.remote(2), timeout=LIMIT)
    assert rustyray.get(list(dynamic), timeout=LIMIT) == ["0", "1"]


def test_wait_on_a_generator_is_not_supported(rt):
    with pytest.raises(NotImplementedError, match="ObjectRefGenerator"):
        rustyray.wait([count.remote(1)], timeout=0.1)


def test_reading_past_a_timeout(rt):
    release = threading.Event()

    @rustyray.remote
    def held():
        release.wait(LIMIT)
        yield 1

    gen = held.remote()
    with pytest.raises(GetTimeoutError):
        gen._stream.next(0.05)
    release.set()
    assert rustyray.get(next(gen), timeout=LIMIT) == 1


@rustyray.remote(num_returns=3)
def two_then_fail():
    yield "a"
    yield "b"
    raise KeyError("boom")


@rustyray.remote(num_returns=3)
def only_one():
    yield "a"


@rustyray.remote
class Yielder:
    @rustyray.method(num_returns=3)
    def two_then_fail(self):
        yield "a"
        yield "b"
        raise KeyError("boom")

    @rustyray.method(num_returns=3)
    def only_one(self):
        yield "a"


@rustyray.remote
def echo(x):
    return x


def test_integer_num_returns_keeps_the_values_yielded_before_an_error(rt):
    # Ray stores each value as it is yielded: the returns reached before the generator
    # raised hold their values, the others the error.
    y = Yielder.remote()
    for refs in (two_then_fail.remote(), y.two_then_fail.remote()):
        assert rustyray.get(refs[:2], timeout=LIMIT) == ["a", "b"]
        with pytest.raises(RayTaskError) as info:
            rustyray.get(refs[2], timeout=LIMIT)
        assert isinstance(info.value, KeyError)
        assert "two_then_fail" in str(info.value) and "boom" in str(info.value)
        assert isinstance(refs[2].future().exception(timeout=LIMIT), KeyError)
        ready, pending = rustyray.wait(refs, num_returns=3, timeout=LIMIT)
        assert len(ready) == 3 and not pending
        # Passed on, the failed return fails the task it is passed to.
        with pytest.raises(KeyError):
            rustyray.get(echo.remote(refs[2]), timeout=LIMIT)
        assert rustyray.get(echo.remote(refs[1]), timeout=LIMIT) == "b"


def test_integer_num_returns_keeps_the_values_of_a_generator_that_ends_early(rt):
    y = Yielder.remote()
    for refs in (only_one.remote(), y.only_one.remote()):
        assert rustyray.get(refs[0], timeout=LIMIT) == "a"
        for r in refs[1:]:
            with pytest.raises(ValueError, match="Task returned 1 objects, but num_returns=3"):
                rustyray.get(r, timeout=LIMIT)


def test_a_generator_error_is_retried_as_a_whole(rt):
    tally = Tally.remote()

    @rustyray.remote(num_returns=2, max_retries=1, retry_exceptions=True)
    def flaky():
        attempt = rustyray.get(tally.add.remote())
        yield attempt
        if attempt == 1:
            raise KeyError("first attempt")
        yield "done"

    assert rustyray.get(flaky.remote(), timeout=LIMIT) == [2, "done"]
    assert rustyray.get(tally.count.remote(), timeout=LIMIT) == 2


def test_a_generator_whose_reader_is_gone_runs_to_its_end(rt):
    # As in Ray, dropping an ObjectRefGenerator does not cancel its task: the generator
    # runs on and its items are freed as they come.
    produced = []
    done = threading.Event()

    @rustyray.remote
    def slow(n):
        for i in range(n):
            time.sleep(0.01)
            produced.append(i)
            yield i
        done.set()

    gen = slow.remote(20)
    assert rustyray.get(next(gen), timeout=LIMIT) == 0
    del gen
    gc.collect()
    assert done.wait(LIMIT)
    assert produced == list(range(20))
