"""Concurrency groups (Ray's ``concurrency_groups`` / ``@method(concurrency_group=)`` /
``.options(concurrency_group=)``) and ``max_pending_calls``."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

import rustyray
from rustyray.exceptions import PendingCallsLimitExceeded

from conftest import LIMIT


@rustyray.remote(concurrency_groups={"io": 2, "compute": 1})
class Threaded:
    def __init__(self):
        self.barrier = threading.Barrier(2, timeout=LIMIT)
        self.release = threading.Event()
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()

    @rustyray.method(concurrency_group="io")
    def io_pair(self):
        # Two io calls must run at once to pass the barrier.
        self.barrier.wait()
        return "io"

    @rustyray.method(concurrency_group="compute")
    def compute(self):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.05)
        with self.lock:
            self.running -= 1
        return self.most

    def blocked(self):
        self.release.wait(LIMIT)
        return "released"

    def release_it(self):
        self.release.set()

    def default(self):
        return "default"


def test_group_limits_of_a_threaded_actor(rt):
    a = Threaded.remote()
    assert rustyray.get([a.io_pair.remote(), a.io_pair.remote()], timeout=LIMIT) == ["io", "io"]
    # The compute group runs one call at a time.
    assert max(rustyray.get([a.compute.remote() for _ in range(4)], timeout=LIMIT)) == 1


def test_a_full_group_does_not_hold_back_another(rt):
    a = Threaded.remote()
    blocked = a.blocked.remote()  # fills the default group (max_concurrency=1)
    assert rustyray.get([a.io_pair.remote(), a.io_pair.remote()], timeout=LIMIT) == ["io", "io"]
    # A call of the default group waits behind the blocked one; other groups don't.
    waiting = a.default.remote()
    ready, _ = rustyray.wait([waiting], timeout=0.2)
    assert ready == []
    rustyray.get(a.release_it.options(concurrency_group="io").remote(), timeout=LIMIT)
    assert rustyray.get([blocked, waiting], timeout=LIMIT) == ["released", "default"]


def test_options_concurrency_group_on_a_call(rt):
    a = Threaded.remote()
    blocked = a.blocked.remote()
    # release_it is in the default group, which blocked fills; in "compute" it runs.
    rustyray.get(a.release_it.options(concurrency_group="compute").remote(), timeout=LIMIT)
    assert rustyray.get(blocked, timeout=LIMIT) == "released"
    with pytest.raises(ValueError):
        rustyray.get(a.default.options(concurrency_group="nope").remote(), timeout=LIMIT)


def test_undeclared_group_is_rejected():
    with pytest.raises(ValueError, match="concurrency group"):

        @rustyray.remote(concurrency_groups={"io": 1})
        class Bad:
            @rustyray.method(concurrency_group="cpu")
            def m(self):
                return 1

    with pytest.raises(ValueError):
        rustyray.remote(concurrency_groups={"io": 0})(type("C", (), {}))


def test_group_limits_of_an_async_actor(rt):
    @rustyray.remote(concurrency_groups={"io": 2, "compute": 1})
    class Async:
        def __init__(self):
            self.running = 0
            self.most = 0
            self.event = asyncio.Event()

        @rustyray.method(concurrency_group="io")
        async def io(self):
            self.running += 1
            self.most = max(self.most, self.running)
            await asyncio.sleep(0.05)
            self.running -= 1
            return self.most

        @rustyray.method(concurrency_group="compute")
        async def wait_event(self):
            await self.event.wait()
            return "set"

        @rustyray.method(concurrency_group="compute")
        async def compute(self):
            return "compute"

        async def set_event(self):
            self.event.set()

    a = Async.remote()
    assert max(rustyray.get([a.io.remote() for _ in range(6)], timeout=LIMIT)) == 2
    waiting = a.wait_event.remote()
    queued = a.compute.remote()  # behind wait_event in the one-call compute group
    ready, _ = rustyray.wait([queued], timeout=0.2)
    assert ready == []
    rustyray.get(a.set_event.remote(), timeout=LIMIT)  # default group: not held back
    assert rustyray.get([waiting, queued], timeout=LIMIT) == ["set", "compute"]


def test_max_pending_calls(rt):
    gate = threading.Event()

    @rustyray.remote(max_pending_calls=2)
    class Slow:
        def wait(self):
            gate.wait(LIMIT)
            return "done"

    s = Slow.remote()
    try:
        first = s.wait.remote()
        second = s.wait.remote()
        with pytest.raises(PendingCallsLimitExceeded, match="max_pending_calls"):
            s.wait.remote()
        # The limit is per handle, as in Ray.
        other = Slow.options(name="slow").remote()
        same = rustyray.get_actor("slow")
        refs = [other.wait.remote(), other.wait.remote(), same.wait.remote()]
    finally:
        gate.set()
    assert rustyray.get([first, second, *refs], timeout=LIMIT) == ["done"] * 5


def test_max_pending_calls_frees_slots_as_calls_finish(rt):
    gate = threading.Event()

    @rustyray.remote(max_pending_calls=1)
    class Gate:
        def pass_(self):
            gate.wait(LIMIT)
            return "passed"

    g = Gate.remote()
    ref = g.pass_.remote()
    with pytest.raises(PendingCallsLimitExceeded):
        g.pass_.remote()
    gate.set()
    assert rustyray.get(ref, timeout=LIMIT) == "passed"
    deadline = time.monotonic() + LIMIT
    while True:
        try:
            ref = g.pass_.remote()
            break
        except PendingCallsLimitExceeded:
            assert time.monotonic() < deadline
            time.sleep(0.01)
    assert rustyray.get(ref, timeout=LIMIT) == "passed"
    with pytest.raises(ValueError, match="max_pending_calls"):
        rustyray.remote(max_pending_calls=-2)(Gate._cls)


def test_each_group_of_a_threaded_actor_has_threads_of_its_own(rt):
    # Ray gives every concurrency group a thread pool of its own size: the "io" group's
    # calls all run on its one thread, the default group's on up to two others.
    @rustyray.remote(concurrency_groups={"io": 1}, max_concurrency=2)
    class Grouped:
        @rustyray.method(concurrency_group="io")
        def io(self):
            return threading.get_ident()

        def compute(self):
            return threading.get_ident()

    g = Grouped.remote()
    io_threads = set()
    default_threads = set()
    for _ in range(20):
        io_threads.add(rustyray.get(g.io.remote(), timeout=LIMIT))
        default_threads.add(rustyray.get(g.compute.remote(), timeout=LIMIT))
    assert len(io_threads) == 1
    assert len(default_threads) <= 2
    assert not io_threads & default_threads
