"""Ray's ``ray.util``: custom serializers."""

from __future__ import annotations

from typing import Any, Callable

from .. import _serialization

__all__ = ["register_serializer", "deregister_serializer"]


def register_serializer(
    cls: type, *, serializer: Callable[[Any], Any], deserializer: Callable[[Any], Any]
) -> None:
    """Stores every instance of ``cls`` (exactly that class, not subclasses) as
    ``serializer(obj)`` and rebuilds it with ``deserializer(that)`` (Ray's
    ``ray.util.register_serializer``): in ``put``/``get``, task and actor arguments and
    results, also inside other values. It replaces the class's own pickling (useful for
    classes that cannot be pickled). Instances of the immutable atoms that are stored
    as they are (``int``, ``str``, ``bytes``, ...) are not affected."""
    if not isinstance(cls, type):
        raise TypeError(f"register_serializer() expected a class, got {cls!r}")
    if not callable(serializer) or not callable(deserializer):
        raise TypeError("serializer and deserializer must be callable")
    _serialization.register(cls, serializer, deserializer)


def deregister_serializer(cls: type) -> None:
    """Removes the serializer registered for ``cls`` (Ray's
    ``ray.util.deregister_serializer``); a no-op if there is none."""
    _serialization.deregister(cls)
