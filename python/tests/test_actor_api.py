"""Actor API pieces: ``@method(num_returns=)``, ``.options``, ``__ray_ready__``,
``__ray_terminate__``, ``exit_actor``, the runtime context and ``ObjectRef`` helpers;
and ``get`` of a list failing at its first error."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time

import pytest

import rustyray
from rustyray.exceptions import ActorDiedError, GetTimeoutError, RayActorError

from conftest import LIMIT


@rustyray.remote
class Multi:
    @rustyray.method(num_returns=2)
    def pair(self, a):
        return a, a * 2

    @rustyray.method(num_returns=3)
    def wrong(self):
        return 1, 2

    def triple(self, a):
        return a, a, a

    @rustyray.method(num_returns=0)
    def nothing(self):
        return None


def test_method_num_returns(rt):
    m = Multi.remote()
    a, b = m.pair.remote(5)
    assert rustyray.get([a, b], timeout=LIMIT) == [5, 10]
    refs = m.triple.options(num_returns=3).remote(7)
    assert len(refs) == 3
    assert rustyray.get(refs, timeout=LIMIT) == [7, 7, 7]
    assert m.nothing.remote() is None
    with pytest.raises(ValueError, match="num_returns=3"):
        rustyray.get(m.wrong.remote()[0], timeout=LIMIT)


def test_method_options_reject_unknown_keys(rt):
    m = Multi.remote()
    with pytest.raises(ValueError):
        m.pair.options(num_cpus=1)
    with pytest.raises(NotImplementedError, match="dynamic"):
        m.triple.options(num_returns="dynamic")


def test_ray_ready_waits_for_init(rt):
    started = threading.Event()

    @rustyray.remote
    class Slow:
        def __init__(self):
            started.set()
            time.sleep(0.2)

    s = Slow.remote()
    ready = s.__ray_ready__.remote()
    assert started.wait(LIMIT)
    with pytest.raises(GetTimeoutError):
        rustyray.get(ready, timeout=0.01)
    assert rustyray.get(ready, timeout=LIMIT) is True


@rustyray.remote
class Exiting:
    def __init__(self):
        self.n = 0

    def incr(self):
        self.n += 1
        return self.n

    def leave(self):
        rustyray.actor.exit_actor()


def test_exit_actor_ends_the_actor(rt):
    a = Exiting.remote()
    assert rustyray.get(a.incr.remote(), timeout=LIMIT) == 1
    with pytest.raises(ActorDiedError):
        rustyray.get(a.leave.remote(), timeout=LIMIT)
    with pytest.raises(RayActorError):
        rustyray.get(a.incr.remote(), timeout=LIMIT)


def test_exit_actor_in_an_async_actor(rt):
    @rustyray.remote
    class AsyncExiting:
        async def leave(self):
            rustyray.actor.exit_actor()

        async def ping(self):
            return "pong"

    a = AsyncExiting.remote()
    assert rustyray.get(a.ping.remote(), timeout=LIMIT) == "pong"
    with pytest.raises(ActorDiedError):
        rustyray.get(a.leave.remote(), timeout=LIMIT)
    with pytest.raises(ActorDiedError):
        rustyray.get(a.ping.remote(), timeout=LIMIT)


def test_exit_actor_outside_an_actor_is_a_type_error(rt):
    with pytest.raises(TypeError):
        rustyray.actor.exit_actor()


def test_ray_terminate_runs_after_earlier_calls(rt):
    a = Exiting.remote()
    earlier = [a.incr.remote() for _ in range(3)]
    end = a.__ray_terminate__.remote()
    assert rustyray.get(earlier, timeout=LIMIT) == [1, 2, 3]
    with pytest.raises(ActorDiedError):
        rustyray.get(end, timeout=LIMIT)
    with pytest.raises(ActorDiedError):
        rustyray.get(a.incr.remote(), timeout=LIMIT)


@rustyray.remote
class Introspect:
    def ids(self):
        ctx = rustyray.get_runtime_context()
        return ctx.get_task_id(), ctx.get_actor_id(), ctx.get_actor_name()

    async def async_ids(self):
        ctx = rustyray.get_runtime_context()
        return ctx.get_task_id(), ctx.get_actor_id()

    def me(self):
        return rustyray.get_runtime_context().current_actor

    def restarted(self):
        return rustyray.get_runtime_context().was_current_actor_reconstructed


def test_runtime_context(rt):
    driver = rustyray.get_runtime_context()
    assert driver.get_task_id() is None
    assert driver.get_actor_id() is None
    assert isinstance(driver.get_job_id(), str) and driver.get_job_id()

    @rustyray.remote
    def task_ids():
        ctx = rustyray.get_runtime_context()
        return ctx.get_task_id(), ctx.get_actor_id()

    ref = task_ids.remote()
    task_id, actor_id = rustyray.get(ref, timeout=LIMIT)
    assert task_id == ref.task_id()
    assert actor_id is None

    named = Introspect.options(name="introspect").remote()
    call = named.ids.remote()
    task_id, actor_id, name = rustyray.get(call, timeout=LIMIT)
    assert task_id == call.task_id()
    assert name == "introspect"
    async_call = named.async_ids.remote()
    task_id, async_actor_id = rustyray.get(async_call, timeout=LIMIT)
    assert task_id == async_call.task_id()
    assert async_actor_id == actor_id
    me = rustyray.get(named.me.remote(), timeout=LIMIT)
    assert me == named
    assert rustyray.get(named.restarted.remote(), timeout=LIMIT) is False


def test_current_actor_outside_an_actor(rt):
    with pytest.raises(RuntimeError):
        rustyray.get_runtime_context().current_actor


def test_object_ref_ids_and_futures(rt):
    ref = rustyray.put(41)
    assert len(ref.binary()) == 28
    assert ref.binary().hex() == ref.hex()
    fut = ref.future()
    assert isinstance(fut, concurrent.futures.Future)
    assert fut.result(timeout=LIMIT) == 41

    @rustyray.remote
    def boom():
        raise KeyError("x")

    with pytest.raises(KeyError):
        boom.remote().future().result(timeout=LIMIT)

    async def via_asyncio():
        return await asyncio.wait_for(ref.as_future(), LIMIT)

    assert asyncio.run(via_asyncio()) == 41
    assert not ref.is_nil()


def test_nil_object_ref(rt):
    nil = rustyray.ObjectRef.nil()
    assert nil.is_nil()
    assert nil.hex() == "ff" * 28
    assert nil == rustyray.ObjectRef.nil() and nil != rustyray.put(1)
    assert len({nil, rustyray.ObjectRef.nil()}) == 1

    @rustyray.remote
    def echo(x):
        return x

    # A nil ref names no object: reading it, waiting on it or passing it as an argument
    # fails at once instead of waiting forever.
    with pytest.raises(ValueError, match="nil"):
        rustyray.get(nil, timeout=LIMIT)
    with pytest.raises(ValueError, match="nil"):
        rustyray.wait([nil], timeout=LIMIT)
    with pytest.raises(ValueError, match="nil"):
        echo.remote(nil)
    with pytest.raises(ValueError, match="nil"):
        nil.future().result(timeout=LIMIT)
    assert rustyray.cancel(nil) is None
    # Inside a value it travels as itself, as any nested ref does.
    [back] = rustyray.get(echo.remote([nil]), timeout=LIMIT)
    assert back.is_nil()


def test_ray_call_runs_a_function_on_the_instance(rt):
    @rustyray.remote
    class Counter:
        def __init__(self):
            self.n = 5

    @rustyray.remote
    class AsyncCounter:
        def __init__(self):
            self.n = 7

        async def noop(self):
            pass

    def add(self, k, *, times=1):
        self.n += k * times
        return self.n

    async def read(self):
        await asyncio.sleep(0)
        return self.n

    c = Counter.remote()
    assert rustyray.get(c.__ray_call__.remote(add, 2, times=3), timeout=LIMIT) == 11
    assert rustyray.get(c.__ray_call__.remote(lambda self: self.n), timeout=LIMIT) == 11
    a = AsyncCounter.remote()
    assert rustyray.get(a.__ray_call__.remote(read), timeout=LIMIT) == 7

    def boom(self):
        raise KeyError("inside")

    with pytest.raises(KeyError):
        rustyray.get(c.__ray_call__.remote(boom), timeout=LIMIT)
    with pytest.raises(TypeError):
        c.__ray_call__.remote()


def test_dir_of_an_actor_class_handle_and_method(rt):
    @rustyray.remote
    class Foo:
        def method_one(self) -> None:
            pass

        def __repr__(self):
            return "Foo()"

    assert {n for n in dir(Foo) if not n.startswith("_")} == {"method_one", "options", "remote"}
    f = Foo.remote()
    assert [n for n in dir(f) if not n.startswith("_")] == ["method_one"]
    assert set(dir(f)) == {
        "__init__",
        "__repr__",
        "method_one",
        "__ray_ready__",
        "__ray_call__",
        "__ray_terminate__",
    }
    assert {n for n in dir(f.method_one) if not n.startswith("_")} == {"options", "remote"}


def test_get_of_a_list_fails_at_the_first_error(rt):
    release = threading.Event()

    @rustyray.remote
    def slow():
        release.wait(LIMIT)
        return 1

    @rustyray.remote
    def fails():
        raise ValueError("early")

    pending = slow.remote()
    try:
        start = time.monotonic()
        with pytest.raises(ValueError, match="early"):
            rustyray.get([pending, fails.remote()], timeout=LIMIT)
        assert time.monotonic() - start < LIMIT / 2
        assert not release.is_set()
    finally:
        release.set()
    assert rustyray.get(pending, timeout=LIMIT) == 1
