"""How objects are kept in the Rust object store.

Immutable atoms (``int``, ``str``, ``bytes``, ...) and tuples of them are stored as the
objects themselves: nothing can change them, so nothing is copied. Everything else is
pickled with protocol 5 (cloudpickle when plain pickle cannot, e.g. lambdas and local
classes); out-of-band buffers (NumPy arrays, ``PickleBuffer``s) are kept next to the
pickle, copied once if writable, and handed back zero-copy (read-only, as in Ray).
``ObjectRef``s and actor handles inside a value are kept alive by the stored value.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import threading
from collections import ChainMap
from collections.abc import Mapping
from typing import Any, Callable, Dict, List, Optional

try:
    import cloudpickle as _cloudpickle
except ImportError:  # pragma: no cover - cloudpickle is optional
    _cloudpickle = None


class StoredFailure:
    """A return object that holds its call's error instead of a value: what a generator
    with an integer ``num_returns`` leaves in the returns it did not reach, as Ray keeps
    the values yielded before the error. Reading it raises the error."""

    __slots__ = ("failure",)

    def __init__(self, failure: Any) -> None:
        self.failure = failure

    def __reduce__(self) -> Any:
        return (StoredFailure, (self.failure,))


# The exception a stored failure raises; set by the worker module, which knows the
# error classes.
error_of: Callable[[Any], BaseException] = lambda failure: RuntimeError(str(failure))

# Stored as they are; a stored failure too, so that reading it raises.
_ATOMS = frozenset({int, float, bool, str, bytes, complex, type(None), StoredFailure})


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


# Serializers registered with ``rustyray.util.register_serializer``: class -> reducer.
_custom: Dict[type, Callable[[Any], Any]] = {}


def _rebuild(deserializer: Callable[[Any], Any], state: Any) -> Any:
    return deserializer(state)


def register(cls: type, serializer: Callable[[Any], Any], deserializer: Callable[[Any], Any]) -> None:
    """Pickles instances of exactly ``cls`` as ``deserializer(serializer(obj))``."""

    def reduce(obj: Any) -> Any:
        return _rebuild, (deserializer, serializer(obj))

    _custom[cls] = reduce


def deregister(cls: type) -> None:
    _custom.pop(cls, None)


def _custom_dumps(base: Any) -> Callable[..., bytes]:
    """``dumps`` with a pickler of class ``base`` that also uses the registered
    serializers (a subclass whose ``dispatch_table`` puts them first: the C pickler reads
    the table when it is created)."""
    own = getattr(base, "dispatch_table", None)
    table = ChainMap(_custom, own if isinstance(own, Mapping) else copyreg.dispatch_table)
    pickler = type(f"Custom{base.__name__}", (base,), {"dispatch_table": table})

    def dumps(obj: Any, protocol: int, buffer_callback: Any) -> bytes:
        out = io.BytesIO()
        pickler(out, protocol=protocol, buffer_callback=buffer_callback).dump(obj)
        return out.getvalue()

    return dumps


_custom_picklers: List[Callable[..., bytes]] = []


def _custom_dumpers() -> List[Callable[..., bytes]]:
    if not _custom_picklers:
        _custom_picklers.append(_custom_dumps(pickle.Pickler))
        if _cloudpickle is not None:
            _custom_picklers.append(_custom_dumps(_cloudpickle.Pickler))
    return _custom_picklers


def pickled_definition(definition: Any) -> Any:
    """A function or class pickled as Ray's export pickles it (cloudpickle: by value
    where it is not importable, with what it closes over; refs and handles it refers to
    stay live): the ``Serialized`` form, the exception when cloudpickle cannot pickle it
    (the definition runs in this process all the same), or None without cloudpickle."""
    if _cloudpickle is None:
        return None
    try:
        return _dumps(definition, _cloudpickle.dumps, [])
    except Exception as exc:  # noqa: BLE001 - whatever stops the export is reported
        return exc


def pickled_size(pickled: Serialized) -> int:
    return len(pickled.data) + sum(memoryview(b).nbytes for b in pickled.buffers)


def serialize(obj: Any) -> Any:
    """The stored form of ``obj``."""
    kind = type(obj)
    if kind in _ATOMS:
        return obj
    if kind is tuple and all(type(x) in _ATOMS for x in obj):
        return obj
    if _custom:
        return _serialize_custom(obj)
    try:
        return _dumps(obj, pickle.dumps, [])
    except Exception:
        if _cloudpickle is None:
            raise
    return _dumps(obj, _cloudpickle.dumps, [])


def _serialize_custom(obj: Any) -> Any:
    dumpers = _custom_dumpers()
    for dumps in dumpers[:-1]:
        try:
            return _dumps(obj, dumps, [])
        except Exception:
            pass
    return _dumps(obj, dumpers[-1], [])


def deserialize(stored: Any) -> Any:
    """The object of a stored form (a copy for pickled values)."""
    if type(stored) is not Serialized:
        if type(stored) is StoredFailure:
            raise error_of(stored.failure)
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
