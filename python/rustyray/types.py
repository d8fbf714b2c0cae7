"""Ray's ``ray.types`` module: ``ObjectRef`` for annotations (``ObjectRef[int]``)."""

from . import ObjectRef

__all__ = ["ObjectRef"]
