"""Exceptions raised by RustyRay, named and related as Ray's (``ray.exceptions``)."""

from __future__ import annotations

import os
from typing import Any, Optional

__all__ = [
    "RayError",
    "RayTaskError",
    "RayActorError",
    "ActorDiedError",
    "GetTimeoutError",
    "TaskCancelledError",
    "ObjectLostError",
    "ObjectStoreFullError",
    "RaySystemError",
]


class RayError(Exception):
    """Base class of RustyRay's exceptions."""


class RaySystemError(RayError):
    """The runtime failed (not the user's code)."""


class RayTaskError(RayError):
    """A task or actor method raised an exception.

    ``rustyray.get`` raises an instance of a class deriving from both ``RayTaskError`` and
    the original exception's class (when Python allows such a class), so ``except
    ValueError`` catches a ``ValueError`` raised in a task. ``cause`` is the original
    exception and ``traceback_str`` its formatted traceback.
    """

    def __init__(
        self,
        function_name: str,
        traceback_str: str,
        cause: Optional[BaseException] = None,
        pid: Optional[int] = None,
    ) -> None:
        self.function_name = function_name
        self.traceback_str = traceback_str
        self.cause = cause
        self.pid = os.getpid() if pid is None else pid
        RayError.__init__(self, str(self))

    def __str__(self) -> str:
        return f"rustyray::{self.function_name}() (pid={self.pid})\n{self.traceback_str}"

    def __reduce__(self) -> Any:
        return (RayTaskError, (self.function_name, self.traceback_str, self.cause, self.pid))

    def as_instanceof_cause(self) -> "RayTaskError":
        """This error as an instance of ``RayTaskError`` and of the cause's class."""
        cause = self.cause
        if cause is None or isinstance(cause, RayTaskError):
            return self
        cls = _dual_class(type(cause))
        if cls is None:
            return self
        err = cls.__new__(cls)
        err.function_name = self.function_name
        err.traceback_str = self.traceback_str
        err.cause = cause
        err.pid = self.pid
        err.args = (str(err),)
        return err


_dual_classes: dict[type, Optional[type]] = {}


def _dual_class(cause_cls: type) -> Optional[type]:
    if cause_cls in _dual_classes:
        return _dual_classes[cause_cls]
    cls: Optional[type]
    try:

        def __getattr__(self: RayTaskError, name: str) -> Any:
            return getattr(self.cause, name)

        cls = type(
            f"RayTaskError({cause_cls.__name__})",
            (RayTaskError, cause_cls),
            {
                "__module__": RayTaskError.__module__,
                "__init__": RayTaskError.__init__,
                "__str__": RayTaskError.__str__,
                "__getattr__": __getattr__,
                "__reduce__": RayTaskError.__reduce__,
            },
        )
    except TypeError:
        cls = None
    _dual_classes[cause_cls] = cls
    return cls


class RayActorError(RayError):
    """An actor could not run a call."""

    def __init__(self, message: str = "The actor died unexpectedly.", cause: Optional[BaseException] = None) -> None:
        super().__init__(message)
        self.error_msg = message
        self.cause = cause


class ActorDiedError(RayActorError):
    """The actor is dead: killed, or its constructor raised."""


class GetTimeoutError(RayError, TimeoutError):
    """``get`` (or a ``timeout`` wait) ran out of time."""


class TaskCancelledError(RayError):
    """The task was cancelled with ``rustyray.cancel`` (or the runtime shut down)."""


class ObjectLostError(RayError):
    """The object no longer exists."""


class ObjectStoreFullError(RayError):
    """The object store reached its capacity."""
