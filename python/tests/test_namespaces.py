"""Namespaces and the lifetime of named actors, as in Ray: a named actor that is not
detached lives while a handle to it does; a detached one until it is killed or the
runtime shuts down."""

from __future__ import annotations

import gc
import time

import pytest

import rustyray

from conftest import LIMIT


@rustyray.remote
class Box:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


def _gone(name, namespace=None):
    deadline = time.monotonic() + LIMIT
    while True:
        gc.collect()
        try:
            rustyray.get_actor(name, namespace=namespace)
        except ValueError:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)


def test_init_namespace_and_runtime_context():
    rustyray.shutdown()
    with rustyray.init(num_cpus=2, namespace="shop"):
        assert rustyray.get_runtime_context().namespace == "shop"
        assert rustyray.get_runtime_context().get_namespace() == "shop"
        b = Box.options(name="b").remote(1)
        assert rustyray.get(rustyray.get_actor("b").get.remote(), timeout=LIMIT) == 1
        assert rustyray.get(rustyray.get_actor("b", namespace="shop").get.remote()) == 1
        with pytest.raises(ValueError):
            rustyray.get_actor("b", namespace="other")
        del b
    with pytest.raises(ValueError):
        rustyray.init(namespace="")


def test_default_namespace_is_anonymous(rt):
    ns = rustyray.get_runtime_context().namespace
    assert isinstance(ns, str) and ns


def test_same_name_in_two_namespaces_is_two_actors(rt):
    a = Box.options(name="x", namespace="n1").remote("one")
    b = Box.options(name="x", namespace="n2").remote("two")
    assert a != b
    assert rustyray.get(rustyray.get_actor("x", namespace="n1").get.remote(), timeout=LIMIT) == "one"
    assert rustyray.get(rustyray.get_actor("x", namespace="n2").get.remote(), timeout=LIMIT) == "two"
    with pytest.raises(ValueError):
        rustyray.get_actor("x")  # not in the job's namespace
    same = Box.options(name="x", namespace="n1", get_if_exists=True).remote("ignored")
    assert same == a
    assert rustyray.get(same.get.remote(), timeout=LIMIT) == "one"


def test_named_actor_ends_with_its_last_handle(rt):
    h = Box.options(name="scoped").remote(5)
    copy = h
    again = rustyray.get_actor("scoped")
    assert rustyray.get(again.get.remote(), timeout=LIMIT) == 5
    del h
    gc.collect()
    # Another handle is alive: the actor is too.
    assert rustyray.get(rustyray.get_actor("scoped").get.remote(), timeout=LIMIT) == 5
    del copy
    # As in Ray, a handle looked up by name does not keep the actor alive.
    assert _gone("scoped")
    with pytest.raises(rustyray.exceptions.RayActorError):
        rustyray.get(again.get.remote(), timeout=LIMIT)
    # The name is free again.
    fresh = Box.options(name="scoped").remote(6)
    assert rustyray.get(fresh.get.remote(), timeout=LIMIT) == 6


def test_calls_queued_before_the_last_handle_went_still_run(rt):
    ref = Box.options(name="brief").remote(9).get.remote()
    assert rustyray.get(ref, timeout=LIMIT) == 9
    assert _gone("brief")


def test_detached_actor_outlives_its_handles(rt):
    h = Box.options(name="kept", lifetime="detached").remote(3)
    del h
    gc.collect()
    time.sleep(0.05)
    kept = rustyray.get_actor("kept")
    assert rustyray.get(kept.get.remote(), timeout=LIMIT) == 3
    rustyray.kill(kept)
    assert _gone("kept")


def test_detached_actor_ends_at_shutdown():
    rustyray.shutdown()
    rustyray.init(num_cpus=1, namespace="d")
    Box.options(name="d1", lifetime="detached").remote(1)
    rustyray.shutdown()
    rustyray.init(num_cpus=1, namespace="d")
    try:
        with pytest.raises(ValueError):
            rustyray.get_actor("d1")
    finally:
        rustyray.shutdown()
