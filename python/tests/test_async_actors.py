"""Actors with ``async def`` methods: every method, sync or async, and ``__init__`` run on
the actor's one event loop, as in Ray."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

import rustyray
from rustyray.exceptions import ActorDiedError, GetTimeoutError, RayTaskError

from conftest import LIMIT


@rustyray.remote
class Signal:
    """Ray's test-helper pattern: coroutines wait, a sync method releases them."""

    def __init__(self):
        self.ready = asyncio.Event()
        self.waiting = 0

    async def wait(self, should_wait=True):
        if should_wait:
            self.waiting += 1
            await self.ready.wait()
            self.waiting -= 1
        return "released"

    def send(self, clear=False):
        self.ready.set()
        if clear:
            self.ready.clear()

    def num_waiters(self):
        return self.waiting


def test_sync_method_wakes_coroutines_waiting_on_an_event(rt):
    s = Signal.remote()
    waiters = [s.wait.remote() for _ in range(5)]
    ready, _ = rustyray.wait(waiters, timeout=0.2)
    assert ready == []
    rustyray.get(s.send.remote(), timeout=LIMIT)
    assert rustyray.get(waiters, timeout=LIMIT) == ["released"] * 5


def test_a_thousand_waiters_released_by_one_sync_call(rt):
    # Room for the waiters and the calls that watch and release them.
    s = Signal.options(max_concurrency=1100).remote()
    waiters = [s.wait.remote() for _ in range(1000)]
    deadline = time.monotonic() + LIMIT
    while rustyray.get(s.num_waiters.remote(), timeout=LIMIT) < 1000:
        assert time.monotonic() < deadline, "the waiters never all started"
        time.sleep(0.01)
    rustyray.get(s.send.remote(), timeout=LIMIT)
    assert rustyray.get(waiters, timeout=LIMIT) == ["released"] * 1000


def test_all_methods_and_init_run_on_the_loop_thread(rt):
    @rustyray.remote
    class Where:
        def __init__(self):
            self.init_thread = threading.get_ident()
            self.init_loop = asyncio.get_event_loop()
            self.running = asyncio.get_running_loop()

        def sync_thread(self):
            return threading.get_ident()

        async def async_thread(self):
            return threading.get_ident(), asyncio.get_running_loop() is self.init_loop

        def init_info(self):
            return self.init_thread, self.init_loop is self.running

    w = Where.remote()
    init_thread, same_loop = rustyray.get(w.init_info.remote(), timeout=LIMIT)
    assert same_loop
    sync_thread = rustyray.get(w.sync_thread.remote(), timeout=LIMIT)
    async_thread, on_init_loop = rustyray.get(w.async_thread.remote(), timeout=LIMIT)
    assert init_thread == sync_thread == async_thread
    assert on_init_loop
    assert async_thread != threading.get_ident()


def test_max_concurrency_bounds_running_coroutines(rt):
    @rustyray.remote(max_concurrency=3)
    class Gauge:
        def __init__(self):
            self.now = 0
            self.peak = 0

        async def work(self):
            self.now += 1
            self.peak = max(self.peak, self.now)
            await asyncio.sleep(0.02)
            self.now -= 1

        def peak_seen(self):
            return self.peak

    g = Gauge.remote()
    rustyray.get([g.work.remote() for _ in range(15)], timeout=LIMIT)
    assert rustyray.get(g.peak_seen.remote(), timeout=LIMIT) == 3


def test_default_max_concurrency_lets_coroutines_overlap(rt):
    @rustyray.remote
    class Sleeper:
        async def nap(self):
            await asyncio.sleep(0.3)

    s = Sleeper.remote()
    start = time.monotonic()
    rustyray.get([s.nap.remote() for _ in range(50)], timeout=LIMIT)
    # Run one after another they would take 15 s.
    assert time.monotonic() - start < 5


def test_errors_of_async_and_sync_methods(rt):
    @rustyray.remote
    class Faulty:
        async def bad_async(self):
            await asyncio.sleep(0)
            raise KeyError("async")

        def bad_sync(self):
            raise ValueError("sync")

        async def exits(self):
            raise SystemExit(1)

        async def ok(self):
            return 7

    f = Faulty.remote()
    with pytest.raises(KeyError):
        rustyray.get(f.bad_async.remote(), timeout=LIMIT)
    with pytest.raises(ValueError) as info:
        rustyray.get(f.bad_sync.remote(), timeout=LIMIT)
    assert isinstance(info.value, RayTaskError)
    with pytest.raises(rustyray.exceptions.WorkerCrashedError):
        rustyray.get(f.exits.remote(), timeout=LIMIT)
    # The loop survives all of them.
    assert rustyray.get(f.ok.remote(), timeout=LIMIT) == 7


def test_init_error_of_an_async_actor(rt):
    @rustyray.remote
    class Broken:
        def __init__(self):
            raise RuntimeError("no")

        async def m(self):
            return 1

    b = Broken.remote()
    with pytest.raises(ActorDiedError):
        rustyray.get(b.m.remote(), timeout=LIMIT)


def test_killing_an_async_actor_fails_waiting_calls(rt):
    s = Signal.remote()
    waiting = s.wait.remote()
    with pytest.raises(GetTimeoutError):
        rustyray.get(waiting, timeout=0.1)
    rustyray.kill(s)
    with pytest.raises(ActorDiedError):
        rustyray.get(waiting, timeout=LIMIT)


def test_named_async_actor_from_get_actor(rt):
    created = Signal.options(name="signal").remote()
    s = rustyray.get_actor("signal")
    assert s == created
    waiting = s.wait.remote()
    rustyray.get(s.send.remote(), timeout=LIMIT)
    assert rustyray.get(waiting, timeout=LIMIT) == "released"


def test_tasks_await_an_async_actor(rt):
    s = Signal.remote()

    @rustyray.remote
    def waits_on(signal):
        return rustyray.get(signal.wait.remote(), timeout=LIMIT)

    refs = [waits_on.remote(s) for _ in range(3)]
    time.sleep(0.05)
    rustyray.get(s.send.remote(), timeout=LIMIT)
    assert rustyray.get(refs, timeout=LIMIT) == ["released"] * 3
