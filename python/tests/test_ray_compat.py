"""Ray API details found by running Ray-style programs against RustyRay."""

from __future__ import annotations

from typing import List

import pytest

import rustyray
import rustyray.types
from rustyray.actor import ActorClassInheritanceException

from conftest import LIMIT


def test_init_takes_the_address_as_its_only_positional_argument() -> None:
    # Ray: init(address=None, *, num_cpus=None, ...); "local" starts a local instance.
    rustyray.shutdown()
    try:
        rustyray.init("local", num_cpus=2)
        assert rustyray.cluster_resources()["CPU"] == 2
    finally:
        rustyray.shutdown()
    with pytest.raises(TypeError):
        rustyray.init(None, 2)  # type: ignore[misc]
    with pytest.raises(ValueError):
        rustyray.init("ray://elsewhere:10001")
    assert not rustyray.is_initialized()


def test_object_ref_is_subscriptable_for_annotations(rt: None) -> None:
    def consume(refs: List[rustyray.ObjectRef[int]]) -> int:
        return sum(rustyray.get(refs, timeout=LIMIT))

    assert consume([rustyray.put(1), rustyray.put(2)]) == 3
    assert rustyray.ObjectRef[int].__origin__ is rustyray.ObjectRef
    assert rustyray.types.ObjectRef is rustyray.ObjectRef
    assert rustyray.types.ObjectRef[str] is not None
    # Ray's legacy name.
    assert rustyray.ObjectID is rustyray.ObjectRef
    assert isinstance(rustyray.put(1), rustyray.ObjectID)


def test_subclassing_an_actor_class_is_refused() -> None:
    @rustyray.remote
    class Base:
        pass

    with pytest.raises(ActorClassInheritanceException, match="Inheriting from actor classes"):

        class Derived(Base):  # type: ignore[misc, valid-type]
            pass

    assert issubclass(ActorClassInheritanceException, TypeError)


def test_remote_functions_and_actor_methods_are_task_arguments(rt: None) -> None:
    def join(a: int, b: int, **kwargs: int) -> tuple:
        return a, b, kwargs

    class Joiner:
        def join(self, a: int, b: int, **kwargs: int) -> tuple:
            return a, b, kwargs

    @rustyray.remote
    def call(f, *args, **kwargs):  # type: ignore[no-untyped-def]
        return rustyray.get(f.remote(*args, **kwargs), timeout=LIMIT)

    remote_join = rustyray.remote(join)
    handle = rustyray.remote(Joiner).remote()
    assert rustyray.get(call.remote(remote_join, 1, 2, x=3), timeout=LIMIT) == (1, 2, {"x": 3})
    assert rustyray.get(call.remote(handle.join, 1, 2, x=3), timeout=LIMIT) == (1, 2, {"x": 3})
    # Inside another value too.
    box = rustyray.put({"f": remote_join})
    assert rustyray.get(rustyray.get(box, timeout=LIMIT)["f"].remote(4, 5), timeout=LIMIT) == (
        4,
        5,
        {},
    )


def test_generator_with_integer_num_returns(rt: None) -> None:
    # Ray: a generator task (or actor method) given an integer num_returns returns its
    # values as that many refs; fewer values is a ValueError, extra values are dropped.
    @rustyray.remote
    def gen(n: int):  # type: ignore[no-untyped-def]
        yield from range(n)

    @rustyray.remote
    class Gen:
        def gen(self, n: int):  # type: ignore[no-untyped-def]
            yield from range(n)

        @rustyray.method(num_returns=3)
        def three(self, n: int):  # type: ignore[no-untyped-def]
            yield from range(n)

    g = Gen.remote()
    for f in (gen, g.gen):
        refs = f.options(num_returns=3).remote(3)
        assert rustyray.get(refs, timeout=LIMIT) == [0, 1, 2]
        assert rustyray.get(f.options(num_returns=3).remote(5), timeout=LIMIT) == [0, 1, 2]
        with pytest.raises(ValueError, match="num_returns=3"):
            rustyray.get(f.options(num_returns=3).remote(2), timeout=LIMIT)
    assert rustyray.get(g.three.remote(3), timeout=LIMIT) == [0, 1, 2]
    assert rustyray.get(gen.options(num_returns=1).remote(1), timeout=LIMIT) == 0
    # The default is still a stream.
    assert [rustyray.get(r, timeout=LIMIT) for r in g.gen.remote(2)] == [0, 1]


def test_task_reading_a_generator_lends_its_cpu() -> None:
    # Ray releases a task's CPU while it blocks on its child's results; a task that
    # iterates a generator it started must not starve the generator of the last CPU.
    rustyray.shutdown()
    rustyray.init(num_cpus=1)
    try:

        @rustyray.remote
        def produce(n: int):  # type: ignore[no-untyped-def]
            yield from range(n)

        @rustyray.remote
        def consume(n: int) -> list:
            return [rustyray.get(r, timeout=LIMIT) for r in produce.remote(n)]

        assert rustyray.get(consume.remote(3), timeout=LIMIT) == [0, 1, 2]
        assert rustyray.get([consume.remote(2) for _ in range(3)], timeout=LIMIT) == [[0, 1]] * 3
    finally:
        rustyray.shutdown()


def test_runtime_context_task_names(rt: None) -> None:
    ctx = rustyray.get_runtime_context()
    assert ctx.get_task_name() is None and ctx.get_task_function_name() is None

    @rustyray.remote
    def named() -> tuple:
        c = rustyray.get_runtime_context()
        return c.get_task_name(), c.get_task_function_name()

    @rustyray.remote
    class Actor:
        def names(self) -> tuple:
            c = rustyray.get_runtime_context()
            return c.get_task_name(), c.get_task_function_name()

        async def anames(self) -> tuple:
            c = rustyray.get_runtime_context()
            return c.get_task_name(), c.get_task_function_name()

    @rustyray.remote
    class Sync:
        def names(self) -> tuple:
            c = rustyray.get_runtime_context()
            return c.get_task_name(), c.get_task_function_name()

    assert rustyray.get(named.options(name="custom").remote(), timeout=LIMIT) == (
        "custom",
        f"{__name__}.named",
    )
    assert rustyray.get(named.remote(), timeout=LIMIT)[1] == f"{__name__}.named"
    a = Actor.remote()
    # Ray names an async actor's methods by their qualified name.
    local = "test_runtime_context_task_names.<locals>"
    for method in ("names", "anames"):
        got = rustyray.get(getattr(a, method).remote(), timeout=LIMIT)
        assert got == (f"Actor.{method}", f"{__name__}.{local}.Actor.{method}")
    for s in (Sync.remote(), Sync.options(max_concurrency=2).remote()):
        assert rustyray.get(s.names.remote(), timeout=LIMIT) == (
            "Sync.names",
            f"{__name__}.Sync.names",
        )


def test_task_traceback_shows_the_task_code_only(rt: None) -> None:
    # Ray's RayTaskError text shows the frames of the task's code, not the runtime's.
    def inner() -> None:
        raise ValueError("deep")

    @rustyray.remote
    def task() -> None:
        inner()

    @rustyray.remote
    class Actor:
        def method(self) -> None:
            inner()

    for ref in (task.remote(), Actor.remote().method.remote()):
        with pytest.raises(rustyray.exceptions.RayTaskError) as info:
            rustyray.get(ref, timeout=LIMIT)
        text = str(info.value)
        assert "_worker.py" not in text
        assert "in inner" in text and "ValueError: deep" in text


def test_actor_class_exposes_class_attributes(rt: None) -> None:
    class Base:
        BASE = 2

        @staticmethod
        def static() -> int:
            return 5

    @rustyray.remote
    class Actor(Base):
        X = 3

        def __init__(self, x: int = 0) -> None:
            self.x = x

        @classmethod
        def make(cls, x: int) -> "Actor":
            return cls(x)

        def read(self) -> tuple:
            return Actor.X, Actor.BASE, Actor.static()

    assert (Actor.X, Actor.BASE, Actor.static()) == (3, 2, 5)
    assert Actor.make(4).x == 4  # a local instance of the class, as in Ray
    assert rustyray.get(Actor.remote().read.remote(), timeout=LIMIT) == (3, 2, 5)
    with pytest.raises(AttributeError):
        Actor.missing  # noqa: B018


def test_final_exception_class_is_raised_as_ray_task_error_with_a_warning(
    rt: None, caplog: pytest.LogCaptureFixture
) -> None:
    class Final(Exception):
        def __init_subclass__(cls, **kwargs: object) -> None:
            raise TypeError("final")

    @rustyray.remote
    def fail() -> None:
        raise Final("from task")

    with caplog.at_level("WARNING"):
        with pytest.raises(rustyray.exceptions.RayTaskError) as info:
            rustyray.get(fail.remote(), timeout=LIMIT)
    assert isinstance(info.value.cause, Final)
    assert str(info.value.cause) == "from task"
    assert "raised as RayTaskError only" in caplog.text


def test_killing_a_sequential_actor_fails_its_running_call_and_ends_its_stream(rt: None) -> None:
    # Ray kills the actor's process: the running call fails with RayActorError and a
    # stream of the actor ends (the items sent before, then the actor's death).
    import time

    @rustyray.remote
    class Slow:
        def call(self) -> int:
            time.sleep(0.5)
            return 1

        def stream(self):  # type: ignore[no-untyped-def]
            for i in range(5):
                time.sleep(0.2)
                yield i

    a = Slow.remote()
    ref = a.call.remote()
    time.sleep(0.1)
    rustyray.kill(a)
    with pytest.raises(rustyray.exceptions.RayActorError):
        rustyray.get(ref, timeout=LIMIT)

    b = Slow.remote()
    gen = b.stream.remote()
    seen = []
    with pytest.raises(rustyray.exceptions.RayActorError):
        for i, r in enumerate(gen):
            if i == 1:
                rustyray.kill(b)
            seen.append(rustyray.get(r, timeout=LIMIT))
    assert seen[:2] == [0, 1] and len(seen) < 5
    with pytest.raises(StopIteration):
        next(gen)
    # A stream of a live actor is unchanged.
    c = Slow.remote()
    assert [rustyray.get(r, timeout=LIMIT) for r in c.stream.remote()] == [0, 1, 2, 3, 4]
