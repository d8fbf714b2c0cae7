"""``cancel`` of running work, as Ray documents it: ``KeyboardInterrupt`` in a running
task at its next bytecode, its CPU free at once, children cancelled with ``recursive``,
async actor calls cancelled as asyncio tasks, ``force=True`` rejected."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

import rustyray
from rustyray.exceptions import TaskCancelledError

from conftest import LIMIT, Box, run_python


@pytest.fixture
def one_cpu():
    rustyray.shutdown()
    rustyray.init(num_cpus=1)
    yield
    rustyray.shutdown()


def _spin_until(stop: threading.Event, seen: threading.Event) -> None:
    try:
        while not stop.is_set():
            pass
    except KeyboardInterrupt:
        seen.set()
        raise


def test_running_task_gets_keyboard_interrupt_and_frees_its_cpu(one_cpu):
    started, stop, interrupted = threading.Event(), threading.Event(), threading.Event()

    @rustyray.remote
    def spin():
        started.set()
        _spin_until(stop, interrupted)
        return "finished"

    @rustyray.remote
    def quick():
        return "quick"

    try:
        ref = spin.remote()
        assert started.wait(LIMIT)
        rustyray.cancel(ref)
        start = time.monotonic()
        # The only CPU is free at once: the next task starts without waiting for spin.
        assert rustyray.get(quick.remote(), timeout=LIMIT) == "quick"
        assert time.monotonic() - start < 5
        with pytest.raises(TaskCancelledError):
            rustyray.get(ref, timeout=LIMIT)
        assert interrupted.wait(LIMIT), "the running task never saw KeyboardInterrupt"
    finally:
        stop.set()


def test_interrupt_does_not_leak_into_the_next_task(one_cpu):
    started = threading.Event()

    @rustyray.remote
    def sleeper():
        started.set()
        time.sleep(0.3)  # in C: the interrupt waits for it to return
        return "slept"

    @rustyray.remote
    def count():
        return sum(range(10000))

    ref = sleeper.remote()
    assert started.wait(LIMIT)
    rustyray.cancel(ref)
    with pytest.raises(TaskCancelledError):
        rustyray.get(ref, timeout=LIMIT)
    time.sleep(0.5)
    # Later tasks on the same threads run normally.
    assert rustyray.get([count.remote() for _ in range(20)], timeout=LIMIT) == [49995000] * 20


def test_recursive_cancel_interrupts_children(rt):
    started, stop, interrupted = threading.Event(), threading.Event(), threading.Event()

    @rustyray.remote
    def child():
        started.set()
        _spin_until(stop, interrupted)
        return "child"

    @rustyray.remote
    def parent():
        return rustyray.get(child.remote())

    try:
        ref = parent.remote()
        assert started.wait(LIMIT)
        rustyray.cancel(ref)  # recursive=True is the default, as in Ray
        with pytest.raises(TaskCancelledError):
            rustyray.get(ref, timeout=LIMIT)
        assert interrupted.wait(LIMIT)
    finally:
        stop.set()


def test_non_recursive_cancel_leaves_children_running(rt):
    started, stop, interrupted = threading.Event(), threading.Event(), threading.Event()
    box = Box.remote()

    @rustyray.remote
    def child():
        started.set()
        _spin_until(stop, interrupted)
        return "child"

    @rustyray.remote
    def parent():
        ref = child.remote()
        box.put.remote([ref])
        return rustyray.get(ref)

    try:
        ref = parent.remote()
        assert started.wait(LIMIT)
        # The child's ref, handed over by the parent (inside a list, so it stays a ref).
        deadline = time.monotonic() + LIMIT
        while (held := rustyray.get(box.get.remote(), timeout=LIMIT)) is None:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        rustyray.cancel(ref, recursive=False)
        with pytest.raises(TaskCancelledError):
            rustyray.get(ref, timeout=LIMIT)
        time.sleep(0.2)
        assert not interrupted.is_set()
        stop.set()
        [child_ref] = held
        assert rustyray.get(child_ref, timeout=LIMIT) == "child"
    finally:
        stop.set()


def test_task_catching_the_interrupt_still_reads_as_cancelled(one_cpu):
    started = threading.Event()

    @rustyray.remote
    def stubborn():
        started.set()
        try:
            while True:
                pass
        except KeyboardInterrupt:
            return "caught"

    ref = stubborn.remote()
    assert started.wait(LIMIT)
    rustyray.cancel(ref)
    with pytest.raises(TaskCancelledError):
        rustyray.get(ref, timeout=LIMIT)


def test_cancel_of_an_async_actor_call_cancels_its_coroutine(rt):
    @rustyray.remote
    class Waiter:
        def __init__(self):
            self.cancelled = False
            self.started = asyncio.Event()

        async def wait(self):
            self.started.set()
            try:
                await asyncio.sleep(LIMIT * 2)
            except asyncio.CancelledError:
                self.cancelled = True
                raise
            return "woke"

        async def started_once(self):
            await self.started.wait()

        async def was_cancelled(self):
            return self.cancelled

    w = Waiter.remote()
    ref = w.wait.remote()
    rustyray.get(w.started_once.remote(), timeout=LIMIT)
    rustyray.cancel(ref)
    with pytest.raises(TaskCancelledError):
        rustyray.get(ref, timeout=LIMIT)
    deadline = time.monotonic() + LIMIT
    while not rustyray.get(w.was_cancelled.remote(), timeout=LIMIT):
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_force_is_rejected(rt):
    @rustyray.remote
    def f():
        return 1

    @rustyray.remote
    class A:
        def m(self):
            return 1

    with pytest.raises(NotImplementedError, match="force=True"):
        rustyray.cancel(f.remote(), force=True)
    a = A.remote()
    with pytest.raises(ValueError, match="force=True is not supported for actor tasks"):
        rustyray.cancel(a.m.remote(), force=True)
    with pytest.raises(TypeError):
        rustyray.cancel(a)


def test_exit_with_a_spinning_task_interrupts_it():
    start = time.monotonic()
    done = run_python(
        """
        import threading
        import rustyray

        started = threading.Event()

        @rustyray.remote
        def spin():
            started.set()
            while True:
                pass

        rustyray.init(num_cpus=1)
        ref = spin.remote()
        started.wait(10)
        print("running", flush=True)
        """
    )
    assert done.returncode == 0, done.stderr
    assert "running" in done.stdout
    assert time.monotonic() - start < 8


def test_exit_with_a_task_blocked_in_c_waits_a_bounded_time():
    start = time.monotonic()
    done = run_python(
        """
        import threading
        import time
        import rustyray

        started = threading.Event()

        @rustyray.remote
        def sleeper():
            started.set()
            time.sleep(600)

        rustyray.init(num_cpus=1)
        ref = sleeper.remote()
        started.wait(10)
        print("running", flush=True)
        """
    )
    assert done.returncode == 0, done.stderr
    assert "running" in done.stdout
    assert time.monotonic() - start < LIMIT


@pytest.mark.parametrize("through_child", [False, True], ids=["own call", "child's call"])
def test_recursive_cancel_reaches_the_actor_calls_down_the_tree(rt, through_child):
    # Ray's recursive cancel goes down the whole tree: the actor calls the cancelled task
    # made, and those made by the tasks it submitted, are cancelled too.
    @rustyray.remote
    class Sleeper:
        async def nap(self):
            await asyncio.sleep(LIMIT * 2)
            return "woke"

    calls = []
    made = threading.Event()

    @rustyray.remote
    def caller(actor):
        ref = actor.nap.remote()
        calls.append(ref)
        made.set()
        return rustyray.get(ref)

    @rustyray.remote
    def parent(actor):
        return rustyray.get(caller.remote(actor))

    s = Sleeper.remote()
    ref = (parent if through_child else caller).remote(s)
    assert made.wait(LIMIT)
    rustyray.cancel(ref)
    with pytest.raises(TaskCancelledError):
        rustyray.get(ref, timeout=LIMIT)
    with pytest.raises(TaskCancelledError):
        rustyray.get(calls[0], timeout=LIMIT)
    # The actor is not blocked by the cancelled call.
    assert rustyray.get(s.__ray_ready__.remote(), timeout=LIMIT)


def test_non_recursive_cancel_leaves_the_actor_calls(rt):
    @rustyray.remote
    class Echo:
        async def later(self):
            await asyncio.sleep(LIMIT * 2)
            return "done"

    calls = []
    made = threading.Event()

    @rustyray.remote
    def parent(actor):
        ref = actor.later.remote()
        calls.append(ref)
        made.set()
        return rustyray.get(ref)

    e = Echo.remote()
    ref = parent.remote(e)
    assert made.wait(LIMIT)
    rustyray.cancel(ref, recursive=False)
    with pytest.raises(TaskCancelledError):
        rustyray.get(ref, timeout=LIMIT)
    ready, _ = rustyray.wait([calls[0]], timeout=0.1)
    assert ready == []
