from __future__ import annotations

import asyncio
import threading
import time

import pytest

import rustyray
from rustyray.exceptions import ActorDiedError, RayTaskError

from conftest import LIMIT


@rustyray.remote
class Counter:
    def __init__(self, start=0):
        self.value = start
        self.log = []

    def incr(self, by=1):
        self.value += by
        self.log.append(by)
        return self.value

    def get_log(self):
        return self.log

    def fail(self):
        raise ZeroDivisionError("nope")


def test_actor_calls_run_in_order(rt):
    c = Counter.remote(10)
    refs = [c.incr.remote(i) for i in range(1, 501)]
    assert rustyray.get(refs[-1], timeout=LIMIT) == 10 + sum(range(1, 501))
    assert rustyray.get(c.get_log.remote(), timeout=LIMIT) == list(range(1, 501))
    assert rustyray.get(refs, timeout=LIMIT)[:3] == [11, 13, 16]


def test_actor_arguments_and_errors(rt):
    c = Counter.remote(start=rustyray.put(5))
    assert rustyray.get(c.incr.remote(by=rustyray.put(2)), timeout=LIMIT) == 7
    with pytest.raises(ZeroDivisionError) as info:
        rustyray.get(c.fail.remote(), timeout=LIMIT)
    assert isinstance(info.value, RayTaskError)
    assert "Counter.fail" in str(info.value)
    assert rustyray.get(c.incr.remote(), timeout=LIMIT) == 8  # the actor survives
    with pytest.raises(AttributeError):
        c.missing
    with pytest.raises(TypeError):
        Counter(1)
    with pytest.raises(TypeError):
        c.incr(1)


def test_constructor_failure_is_actor_died(rt):
    @rustyray.remote
    class Broken:
        def __init__(self):
            raise ValueError("cannot build")

        def m(self):
            return 1

    b = Broken.remote()
    with pytest.raises(ActorDiedError, match="cannot build"):
        rustyray.get(b.m.remote(), timeout=LIMIT)


def test_named_actors_get_actor_and_kill(rt):
    # A named actor lives while a handle to it does (as in Ray), so the test keeps one.
    created = Counter.options(name="counter").remote(100)
    found = rustyray.get_actor("counter")
    assert found == created
    assert rustyray.get(found.incr.remote(), timeout=LIMIT) == 101
    with pytest.raises(ValueError):
        Counter.options(name="counter").remote()
    same = Counter.options(name="counter", get_if_exists=True).remote()
    assert rustyray.get(same.incr.remote(), timeout=LIMIT) == 102
    rustyray.kill(found)
    with pytest.raises(ActorDiedError):
        rustyray.get(found.incr.remote(), timeout=LIMIT)
    with pytest.raises(ValueError):
        rustyray.get_actor("counter")


def test_kill_fails_pending_calls(rt):
    @rustyray.remote
    class Slow:
        def work(self):
            time.sleep(0.2)
            return 1

    s = Slow.remote()
    refs = [s.work.remote() for _ in range(5)]
    time.sleep(0.05)
    rustyray.kill(s)
    with pytest.raises(ActorDiedError):
        rustyray.get(refs[-1], timeout=LIMIT)


def test_max_restarts(rt):
    c = Counter.options(max_restarts=1).remote(1)
    assert rustyray.get(c.incr.remote(), timeout=LIMIT) == 2
    rustyray.kill(c, no_restart=False)
    assert rustyray.get(c.incr.remote(), timeout=LIMIT) == 2  # rebuilt from its arguments
    rustyray.kill(c, no_restart=False)
    with pytest.raises(ActorDiedError):
        rustyray.get(c.incr.remote(), timeout=LIMIT)


def test_max_concurrency(rt):
    @rustyray.remote(max_concurrency=4)
    class Pool:
        def __init__(self):
            self.lock = threading.Lock()
            self.active = 0
            self.peak = 0

        def work(self):
            with self.lock:
                self.active += 1
                self.peak = max(self.peak, self.active)
            time.sleep(0.05)
            with self.lock:
                self.active -= 1

        def peak_seen(self):
            return self.peak

    p = Pool.remote()
    rustyray.get([p.work.remote() for _ in range(12)], timeout=LIMIT)
    assert 2 <= rustyray.get(p.peak_seen.remote(), timeout=LIMIT) <= 4


def test_async_actor(rt):
    @rustyray.remote
    class AsyncActor:
        async def slow(self, x):
            await asyncio.sleep(0.1)
            return x

    a = AsyncActor.remote()
    start = time.monotonic()
    assert rustyray.get([a.slow.remote(i) for i in range(8)], timeout=LIMIT) == list(range(8))
    assert time.monotonic() - start < 0.7  # the coroutines overlapped


def test_handles_can_be_passed_to_tasks(rt):
    c = Counter.remote()

    @rustyray.remote
    def bump(counter, n):
        return rustyray.get([counter.incr.remote() for _ in range(n)], timeout=LIMIT)[-1]

    assert rustyray.get(bump.remote(c, 5), timeout=LIMIT) == 5
    assert rustyray.get(c.incr.remote(), timeout=LIMIT) == 6


def test_a_call_waiting_for_an_argument_holds_back_only_its_callers_calls(rt):
    # Ray orders an actor's calls per caller: the driver's incr(from_task) waits for a
    # task whose own call on the same actor has to run first.
    c = Counter.remote()

    @rustyray.remote
    def incr_then_return(counter, n):
        rustyray.get(counter.incr.remote(n), timeout=LIMIT)
        return n

    from_task = incr_then_return.remote(c, 7)
    waiting = c.incr.remote(from_task)
    after = c.incr.remote(100)  # the driver's next call still runs after its waiting one
    assert rustyray.get([waiting, after], timeout=LIMIT) == [14, 114]
    assert rustyray.get(c.get_log.remote(), timeout=LIMIT) == [7, 7, 100]


def test_actor_method_calls_nested_task(rt):
    @rustyray.remote
    def double(x):
        return 2 * x

    @rustyray.remote
    class Caller:
        def call(self, x):
            return rustyray.get(double.remote(x), timeout=LIMIT)

    c = Caller.remote()
    assert rustyray.get([c.call.remote(i) for i in range(10)], timeout=LIMIT) == [2 * i for i in range(10)]


def test_a_sequential_actor_keeps_one_thread(rt):
    # Ray runs a sequential actor in one thread of its worker: what __init__ binds to its
    # thread (an sqlite3 connection, a threading.local) works in every later call.
    import sqlite3

    @rustyray.remote
    class Db:
        def __init__(self):
            self.conn = sqlite3.connect(":memory:")
            self.conn.execute("create table t (x)")
            self.local = threading.local()
            self.local.calls = 0
            self.thread = threading.get_ident()

        def add(self, x):
            self.conn.execute("insert into t values (?)", (x,))
            self.local.calls += 1
            return threading.get_ident() == self.thread

        def total(self):
            return self.conn.execute("select sum(x) from t").fetchone()[0], self.local.calls

    db = Db.remote()
    same = []
    for i in range(30):
        same.append(rustyray.get(db.add.remote(i), timeout=LIMIT))
        if i % 10 == 0:
            time.sleep(0.02)  # spread over time: a pool would change threads
    same += rustyray.get([db.add.remote(100) for _ in range(10)], timeout=LIMIT)
    assert all(same)
    assert rustyray.get(db.total.remote(), timeout=LIMIT) == (sum(range(30)) + 1000, 40)


def test_a_threaded_actor_runs_on_its_own_pool(rt):
    # Ray runs a threaded actor's calls on a pool of max_concurrency threads: two calls
    # meet at a barrier, and every later call runs on one of those two threads, where
    # its thread-local state is found again.
    @rustyray.remote(max_concurrency=2)
    class Pool:
        def __init__(self):
            self.barrier = threading.Barrier(2)
            self.local = threading.local()

        def meet(self):
            self.barrier.wait(LIMIT)
            return threading.get_ident()

        def count(self):
            self.local.n = getattr(self.local, "n", 0) + 1
            return threading.get_ident(), self.local.n

    p = Pool.remote()
    pair = set(rustyray.get([p.meet.remote(), p.meet.remote()], timeout=LIMIT))
    assert len(pair) == 2
    seen = {}
    for _ in range(30):
        ident, n = rustyray.get(p.count.remote(), timeout=LIMIT)
        assert ident in pair
        seen[ident] = n
    assert sum(seen.values()) == 30
