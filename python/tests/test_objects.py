from __future__ import annotations

import gc
import time

import rustyray

from conftest import LIMIT


def _settle(expected: int) -> int:
    deadline = time.monotonic() + LIMIT
    while rustyray._live_objects() != expected and time.monotonic() < deadline:
        gc.collect()
        time.sleep(0.01)
    return rustyray._live_objects()


def test_objects_are_freed_when_refs_die(rt):
    @rustyray.remote
    def make(n):
        return list(range(n))

    base = rustyray._live_objects()
    refs = [rustyray.put(i) for i in range(100)] + [make.remote(10) for _ in range(100)]
    rustyray.get(refs, timeout=LIMIT)
    assert rustyray._live_objects() == base + 200
    del refs
    assert _settle(base) == base


def test_nested_refs_keep_their_objects_alive(rt):
    base = rustyray._live_objects()
    inner = rustyray.put("payload")
    outer = rustyray.put([inner])
    del inner
    gc.collect()
    assert rustyray._live_objects() == base + 2
    (restored,) = rustyray.get(outer, timeout=LIMIT)
    assert rustyray.get(restored, timeout=LIMIT) == "payload"
    del outer, restored
    assert _settle(base) == base


def test_failed_and_cancelled_objects_are_freed(rt):
    @rustyray.remote
    def fail():
        raise RuntimeError("x")

    base = rustyray._live_objects()
    ref = fail.remote()
    try:
        rustyray.get(ref, timeout=LIMIT)
    except RuntimeError:
        pass
    del ref
    assert _settle(base) == base
