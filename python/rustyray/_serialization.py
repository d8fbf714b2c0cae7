"""How objects are kept in the Rust object store.

Immutable atoms (``int``, ``str``, ``bytes``, ...) and tuples of them are stored as the
objects themselves: nothing can change them, so nothing is copied. Everything else is
pickled with protocol 5 (cloudpickle when plain pickle cannot, e.g. lambdas and local
classes); out-of-band buffers (NumPy arrays, ``PickleBuffer``s) are kept next to the
pickle, copied once if writable, and handed back zero-copy (read-only, as in Ray).
``ObjectRef``s and actor handles inside a value are kept alive by the stored value.
"""

from __future__ import annotations

import pickle
import threading
from typing import Any, List, Optional

try:
    import cloudpickle as _cloudpickle
except ImportError:  # pragma: no cover - cloudpickle is optional
    _cloudpickle = None

_ATOMS = frozenset({int, float, bool, str, bytes, complex, type(None)})


class Serialized:
    """A pickled value, its out-of-band buffers and the live handles it refers to."""

    __slots__ = ("data", "buffers", "contained")

    def __init__(self, data: bytes, buffers: List[Any], contained: List[Any]) -> None:
        self.data = data
        self.buffers = buffers
        self.contained = contained

    def __repr__(self) -> str:
        return f"Serialized({len(self.data)} bytes, {len(self.buffers)} buffers)"


class _State(threading.local):
    collecting: Optional[List[Any]] = None
    loading: Optional[List[Any]] = None


_state = _State()


def _keep(buffer: pickle.PickleBuffer) -> Any:
    view = buffer.raw()
    if view.readonly:
        return buffer
    return bytes(view)


def _dumps(obj: Any, dumps: Any, contained: List[Any]) -> Serialized:
    buffers: List[pickle.PickleBuffer] = []
    previous = _state.collecting
    _state.collecting = contained
    try:
        data = dumps(obj, protocol=5, buffer_callback=buffers.append)
    finally:
        _state.collecting = previous
    return Serialized(data, [_keep(b) for b in buffers], contained)


def serialize(obj: Any) -> Any:
    """The stored form of ``obj``."""
    kind = type(obj)
    if kind in _ATOMS:
        return obj
    if kind is tuple and all(type(x) in _ATOMS for x in obj):
        return obj
    try:
        return _dumps(obj, pickle.dumps, [])
    except Exception:
        if _cloudpickle is None:
            raise
    return _dumps(obj, _cloudpickle.dumps, [])


def deserialize(stored: Any) -> Any:
    """The object of a stored form (a copy for pickled values)."""
    if type(stored) is not Serialized:
        return stored
    previous = _state.loading
    _state.loading = stored.contained
    try:
        return pickle.loads(stored.data, buffers=stored.buffers)
    finally:
        _state.loading = previous


def reduce_live(obj: Any, by_id: Any) -> Any:
    """``__reduce__`` of handles (refs, actors): inside ``serialize`` the handle itself
    travels with the value; elsewhere ``by_id`` is used."""
    collecting = _state.collecting
    if collecting is not None:
        collecting.append(obj)
        return (_contained, (len(collecting) - 1,))
    return by_id


def _contained(index: int) -> Any:
    loading = _state.loading
    if loading is None:
        raise pickle.UnpicklingError("RustyRay handles can only be unpickled from RustyRay values")
    return loading[index]
