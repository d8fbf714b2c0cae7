"""Option checks with Ray's exception types, and call arguments checked against the
signature at ``.remote()`` (as Ray does at submission)."""

from __future__ import annotations

import pytest

import rustyray
from rustyray.exceptions import ActorDiedError

from conftest import LIMIT


def test_remote_with_empty_parentheses_is_rejected():
    with pytest.raises(AssertionError, match="must be applied either with no arguments"):

        @rustyray.remote()
        def f():
            return 1

    with pytest.raises(AssertionError, match="must be applied either with no arguments"):
        rustyray.remote(1, 2)


def test_method_needs_keyword_arguments():
    with pytest.raises(AssertionError):

        @rustyray.method()
        def m(self):
            return 1

    with pytest.raises(ValueError, match="Invalid option keyword bogus"):
        rustyray.method(bogus=1)


def test_async_def_remote_function_is_rejected():
    with pytest.raises(ValueError, match="'async def' should not be used for remote tasks"):

        @rustyray.remote
        async def f():
            return 1


def test_counting_and_resource_options():
    def fn():
        return 1

    class Cls:
        pass

    with pytest.raises(ValueError, match="max_restarts"):
        rustyray.remote(max_restarts=-2)(Cls)
    rustyray.remote(max_restarts=-1)(Cls)
    with pytest.raises(ValueError, match="max_retries"):
        rustyray.remote(max_retries=-2)(fn)
    rustyray.remote(max_retries=-1)(fn)
    with pytest.raises(ValueError, match="cannot be negative"):
        rustyray.remote(num_cpus=-1)(fn)
    with pytest.raises(ValueError, match="cannot be negative"):
        rustyray.remote(num_gpus=-0.5)(Cls)
    with pytest.raises(ValueError, match="cannot be negative"):
        rustyray.remote(resources={"disk": -1})(fn)
    with pytest.raises(ValueError, match="num_cpus"):
        rustyray.remote(resources={"CPU": 1})(fn)
    with pytest.raises(TypeError, match="num_cpus"):
        rustyray.remote(num_cpus="1")(fn)
    with pytest.raises(ValueError, match="max_concurrency"):
        rustyray.remote(max_concurrency=0)(Cls)
    with pytest.raises(ValueError, match="num_returns"):
        rustyray.remote(num_returns=-1)(fn)
    with pytest.raises(ValueError, match="retry_exceptions"):
        rustyray.remote(retry_exceptions=[int])(fn)
    with pytest.raises(ValueError, match="lifetime"):
        rustyray.remote(lifetime="forever")(Cls)
    with pytest.raises(ValueError, match="Invalid option keyword max_restarts for remote functions"):
        rustyray.remote(max_restarts=1)(fn)
    with pytest.raises(ValueError, match="Invalid option keyword max_retries for actors"):
        rustyray.remote(max_retries=1)(Cls)
    with pytest.raises(ValueError, match="get_if_exists"):
        rustyray.remote(get_if_exists=True)(Cls)
    with pytest.raises(ValueError, match="concurrency_groups"):
        rustyray.remote(Cls).options(concurrency_groups={"io": 1})


def test_memory_is_accepted(rt):
    @rustyray.remote(memory=100 * 1024 * 1024)
    def f():
        return 1

    @rustyray.remote(memory=1024)
    class A:
        def m(self):
            return 2

    assert rustyray.get(f.options(memory=10).remote(), timeout=LIMIT) == 1
    assert rustyray.get(A.remote().m.remote(), timeout=LIMIT) == 2


def test_infinite_restarts(rt):
    @rustyray.remote(max_restarts=-1)
    class Phoenix:
        def alive(self):
            return True

    p = Phoenix.remote()
    for _ in range(5):
        assert rustyray.get(p.alive.remote(), timeout=LIMIT)
        rustyray.kill(p, no_restart=False)
    assert rustyray.get(p.alive.remote(), timeout=LIMIT)
    rustyray.kill(p)
    with pytest.raises(ActorDiedError):
        rustyray.get(p.alive.remote(), timeout=LIMIT)


def test_get_actor_needs_a_name(rt):
    with pytest.raises(ValueError, match="non-empty"):
        rustyray.get_actor(None)
    with pytest.raises(ValueError, match="non-empty"):
        rustyray.get_actor("")
    with pytest.raises(TypeError):
        rustyray.get_actor(123)
    with pytest.raises(TypeError):
        rustyray.get_actor("x", namespace=5)
    with pytest.raises(ValueError, match="Failed to look up actor"):
        rustyray.get_actor("nobody")


def test_wrong_arguments_are_a_type_error_at_remote(rt):
    @rustyray.remote
    def two(a, b, *, c=0):
        return a + b + c

    with pytest.raises(TypeError, match="missing a required argument"):
        two.remote(1)
    with pytest.raises(TypeError, match="too many positional arguments"):
        two.remote(1, 2, 3)
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        two.remote(1, 2, d=4)
    assert rustyray.get(two.remote(1, b=2, c=3), timeout=LIMIT) == 6

    @rustyray.remote
    def anything(*args, **kwargs):
        return len(args) + len(kwargs)

    assert rustyray.get(anything.remote(1, 2, x=3), timeout=LIMIT) == 3

    @rustyray.remote
    class Point:
        def __init__(self, x, y=0):
            self.x, self.y = x, y

        def move(self, dx, dy):
            self.x += dx
            self.y += dy
            return self.x, self.y

        @staticmethod
        def origin():
            return 0, 0

    with pytest.raises(TypeError, match="missing a required argument"):
        Point.remote()
    with pytest.raises(TypeError):
        Point.remote(1, 2, 3)
    p = Point.remote(1)
    with pytest.raises(TypeError, match="missing a required argument"):
        p.move.remote(1)
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        p.move.remote(1, 2, dz=2)
    assert rustyray.get(p.move.remote(1, dy=2), timeout=LIMIT) == (2, 2)
    assert rustyray.get(p.origin.remote(), timeout=LIMIT) == (0, 0)
    with pytest.raises(TypeError):
        p.__ray_ready__.remote(1)

    @rustyray.remote
    class Plain:
        def m(self):
            return "m"

    with pytest.raises(TypeError):
        Plain.remote(1)
    assert rustyray.get(Plain.remote().m.remote(), timeout=LIMIT) == "m"
