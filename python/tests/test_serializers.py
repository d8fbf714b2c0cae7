"""``rustyray.util.register_serializer`` / ``deregister_serializer`` (Ray's
``ray.util``): used by put/get, task and actor arguments and results."""

from __future__ import annotations

import threading

import pytest

import rustyray
from rustyray.util import deregister_serializer, register_serializer

from conftest import LIMIT


class Locked:
    """Not picklable by itself (it holds a lock)."""

    def __init__(self, value):
        self.value = value
        self.lock = threading.Lock()


@pytest.fixture
def registered():
    register_serializer(Locked, serializer=lambda o: o.value, deserializer=Locked)
    yield
    deregister_serializer(Locked)


def test_unregistered_class_fails_to_serialize(rt):
    with pytest.raises(TypeError):
        rustyray.put(Locked(1))


def test_put_get_and_nested_values(rt, registered):
    assert rustyray.get(rustyray.put(Locked(1)), timeout=LIMIT).value == 1
    got = rustyray.get(rustyray.put({"a": [Locked(2), (Locked(3),)]}), timeout=LIMIT)
    assert got["a"][0].value == 2 and got["a"][1][0].value == 3


def test_task_and_actor_arguments_and_results(rt, registered):
    @rustyray.remote
    def bump(o):
        return Locked(o.value + 1)

    @rustyray.remote
    class Keeper:
        def __init__(self, o):
            self.o = o

        def get(self):
            return self.o

    assert rustyray.get(bump.remote(Locked(1)), timeout=LIMIT).value == 2
    k = Keeper.remote(Locked(7))
    assert rustyray.get(k.get.remote(), timeout=LIMIT).value == 7


def test_serializer_replaces_the_class_pickling(rt):
    class Point:
        def __init__(self, x):
            self.x = x

    register_serializer(Point, serializer=lambda p: p.x * 10, deserializer=lambda x: Point(x + 1))
    try:
        assert rustyray.get(rustyray.put(Point(1)), timeout=LIMIT).x == 11
    finally:
        deregister_serializer(Point)
    assert rustyray.get(rustyray.put(Point(1)), timeout=LIMIT).x == 1


def test_deregister_and_bad_arguments(rt):
    register_serializer(Locked, serializer=lambda o: o.value, deserializer=Locked)
    deregister_serializer(Locked)
    deregister_serializer(Locked)  # no-op
    with pytest.raises(TypeError):
        rustyray.put(Locked(1))
    with pytest.raises(TypeError):
        register_serializer(Locked(1), serializer=str, deserializer=str)
    with pytest.raises(TypeError):
        register_serializer(Locked, serializer=1, deserializer=str)


def test_builtin_atoms_keep_their_own_form(rt):
    # Measured with Ray 2.60: serializers registered for int, str or tuple are not used
    # (Ray stores those values natively); the same values come back here.
    for cls in (int, str, tuple):
        register_serializer(cls, serializer=lambda v: "replaced", deserializer=lambda s: s)
    try:
        assert rustyray.get(rustyray.put(5), timeout=LIMIT) == 5
        assert rustyray.get(rustyray.put("abc"), timeout=LIMIT) == "abc"
        assert rustyray.get(rustyray.put((1, 2)), timeout=LIMIT) == (1, 2)
        assert rustyray.get(rustyray.put([5, 6]), timeout=LIMIT) == [5, 6]
    finally:
        for cls in (int, str, tuple):
            deregister_serializer(cls)
