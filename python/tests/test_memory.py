"""Ray's `memory` resource: a node has the bytes given to `init(_memory=...)` (by default
the memory available at start less the object store's 30%), and a task or actor with
`memory=` holds that many while it runs, or for its lifetime."""

from __future__ import annotations

import threading
import time

import pytest

import rustyray

from conftest import LIMIT


@pytest.fixture
def small():
    rustyray.shutdown()
    rustyray.init(num_cpus=4, _memory=3000.7)
    yield
    rustyray.shutdown()


def test_init_memory_is_whole_bytes_and_listed(small):
    assert rustyray.cluster_resources()["memory"] == 3000.0
    assert rustyray.available_resources()["memory"] == 3000.0


def test_the_default_is_what_the_machine_has_free():
    rustyray.shutdown()
    try:
        rustyray.init(num_cpus=1)
        memory = rustyray.cluster_resources()["memory"]
        with open("/proc/meminfo") as f:
            total = next(int(line.split()[1]) * 1024 for line in f if line.startswith("MemTotal:"))
        assert 0 < memory <= 0.7 * total
    finally:
        rustyray.shutdown()


def test_a_task_holds_its_memory_while_it_runs(small):
    started = {name: threading.Event() for name in "ab"}
    release = threading.Event()

    @rustyray.remote(memory=2000)
    def hold(name):
        started[name].set()
        assert release.wait(LIMIT)
        return rustyray.available_resources()["memory"]

    a = hold.remote("a")
    assert started["a"].wait(LIMIT)
    assert rustyray.available_resources()["memory"] == 1000.0
    b = hold.remote("b")
    # Four CPUs are free, but not 2000 bytes: b waits for a.
    assert not started["b"].wait(0.3)
    release.set()
    assert rustyray.get(a, timeout=LIMIT) == 1000.0
    assert rustyray.get(b, timeout=LIMIT) == 1000.0
    deadline = time.monotonic() + LIMIT
    while rustyray.available_resources()["memory"] != 3000.0:
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_options_and_resources_entries_ask_for_memory(small):
    @rustyray.remote
    def free():
        return rustyray.available_resources()["memory"]

    assert rustyray.get(free.options(memory=2500).remote(), timeout=LIMIT) == 500.0
    # As in Ray, `resources={"memory": ...}` is the same request, and `memory=` wins.
    assert rustyray.get(free.options(resources={"memory": 1000}).remote(), timeout=LIMIT) == 2000.0
    assert (
        rustyray.get(free.options(resources={"memory": 1000}, memory=3000).remote(), timeout=LIMIT)
        == 0.0
    )
    with pytest.raises(ValueError, match="infeasible"):
        free.options(memory=4000).remote()


def test_an_actor_holds_its_memory_for_its_lifetime(small):
    @rustyray.remote(memory=2500)
    class Holder:
        def free(self):
            return rustyray.available_resources()["memory"]

    h = Holder.remote()
    assert rustyray.get(h.free.remote(), timeout=LIMIT) == 500.0
    rustyray.kill(h)
    deadline = time.monotonic() + LIMIT
    while rustyray.available_resources()["memory"] != 3000.0:
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_bad_memory_amounts_are_refused():
    rustyray.shutdown()
    with pytest.raises(ValueError, match="_memory"):
        rustyray.init(_memory=-1)
    assert not rustyray.is_initialized()
    with pytest.raises(ValueError):
        rustyray.init(_memory=1e20)
    assert not rustyray.is_initialized()
