"""Exceptions raised by RustyRay, named and related as Ray's (``ray.exceptions``)."""

from __future__ import annotations

import logging
import os
from typing import Any, Optional

__all__ = [
    "RayError",
    "CrossLanguageError",
    "TaskCancelledError",
    "RayTaskError",
    "LocalRayletDiedError",
    "WorkerCrashedError",
    "RayActorError",
    "ActorDiedError",
    "ActorUnavailableError",
    "RaySystemError",
    "UserCodeException",
    "ObjectStoreFullError",
    "OutOfDiskError",
    "OutOfMemoryError",
    "NodeDiedError",
    "ObjectLostError",
    "ObjectFetchTimedOutError",
    "RpcError",
    "ReferenceCountingAssertionError",
    "ObjectFreedError",
    "OwnerDiedError",
    "ObjectReconstructionFailedError",
    "ObjectReconstructionFailedMaxAttemptsExceededError",
    "ObjectReconstructionFailedLineageEvictedError",
    "GetTimeoutError",
    "PlasmaObjectNotAvailable",
    "AsyncioActorExit",
    "RuntimeEnvSetupError",
    "TaskPlacementGroupRemoved",
    "ActorPlacementGroupRemoved",
    "PendingCallsLimitExceeded",
    "TaskUnschedulableError",
    "ActorUnschedulableError",
    "ObjectRefStreamEndOfStreamError",
    "OufOfBandObjectRefSerializationException",
    "RayChannelError",
    "RayChannelTimeoutError",
    "RayCgraphCapacityExceeded",
    "UnserializableException",
    "RAY_EXCEPTION_TYPES",
]


# ANSI colors of the task header, as Ray prints it (Ray writes them with colorama).
_CYAN = "\x1b[36m"
_RESET = "\x1b[39m"


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
        proctitle: Optional[str] = None,
        pid: Optional[int] = None,
        ip: Optional[str] = None,
        actor_repr: Optional[str] = None,
        actor_id: Optional[str] = None,
    ) -> None:
        self.function_name = function_name
        self.traceback_str = traceback_str
        self.cause = cause
        # Ray's worker titles its process ``ray::<task name>``; the header names it so.
        self.proctitle = proctitle or f"ray::{function_name}"
        self.pid = os.getpid() if pid is None else pid
        # Everything runs on this machine, reached through loopback.
        self.ip = ip or "127.0.0.1"
        self.actor_repr = actor_repr
        self._actor_id = actor_id
        RayError.__init__(self, str(self))

    def __str__(self) -> str:
        # Ray's layout: the traceback's first line becomes a header naming the task's
        # process (colored as Ray colors it), the rest is the task's own traceback.
        out = []
        for line in self.traceback_str.strip().split("\n"):
            if line.startswith("Traceback "):
                header = f"{_CYAN}{self.proctitle}(){_RESET} (pid={self.pid}, ip={self.ip}"
                if self.actor_repr:
                    header += f", actor_id={self._actor_id}, repr={self.actor_repr})"
                else:
                    header += ")"
                out.append(header)
            else:
                out.append(line)
        return "\n".join(out)

    def __reduce__(self) -> Any:
        return (
            RayTaskError,
            (
                self.function_name,
                self.traceback_str,
                self.cause,
                self.proctitle,
                self.pid,
                self.ip,
                self.actor_repr,
                self._actor_id,
            ),
        )

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
        err.proctitle = self.proctitle
        err.pid = self.pid
        err.ip = self.ip
        err.actor_repr = self.actor_repr
        err._actor_id = self._actor_id
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
    except TypeError as e:
        # As Ray, say why ``except <the user's class>`` will not catch this error.
        logging.getLogger(__name__).warning(
            "The exception class %s of a task cannot be subclassed (%s). This exception "
            "is raised as RayTaskError only. You can use `ray_task_error.cause` to "
            "access the user exception.",
            cause_cls.__qualname__,
            e,
        )
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
    """The task was cancelled with ``rustyray.cancel`` (or the runtime shut down), or it
    raised ``KeyboardInterrupt``. Ray's constructor: the cancelled task's ID (if known) and
    a message."""

    def __init__(self, task_id: Any = None, error_message: Optional[str] = None) -> None:
        self.task_id = task_id
        self.error_message = error_message
        RayError.__init__(self, str(self))

    def __str__(self) -> str:
        text = f"Task: {self.task_id} was cancelled. " if self.task_id else ""
        return text + (self.error_message or "")

    def __reduce__(self) -> Any:
        return (TaskCancelledError, (self.task_id, self.error_message))


class ObjectLostError(RayError):
    """The object no longer exists."""


class ObjectStoreFullError(RayError):
    """The object store reached its capacity."""


class CrossLanguageError(RayError):
    """A call across languages failed (RustyRay runs Python only; never raised)."""


class LocalRayletDiedError(RayError):
    """The node's scheduler died (not raised in one process)."""

    def __str__(self) -> str:
        return "The task's local raylet died. Check raylet.out for more information."


class WorkerCrashedError(RayError):
    """The worker running the task died. In one process: the task raised ``SystemExit``
    (Ray's worker would have exited)."""

    def __str__(self) -> str:
        return (
            "The worker died unexpectedly while executing this task. "
            "Check python-core-worker-*.log files for more information."
        )


class ActorUnavailableError(RayActorError):
    """The actor cannot be reached for now (not raised in one process)."""


class UserCodeException(RayError):
    """An error raised by user code that Ray wraps (for Ray's compatibility)."""


class OutOfDiskError(RayError):
    """The node ran out of disk (not raised in one process)."""


class OutOfMemoryError(RayError):
    """The task was killed by the memory monitor (not raised in one process)."""


class NodeDiedError(RayError):
    """The node died (not raised in one process)."""


class ObjectFetchTimedOutError(ObjectLostError):
    """Fetching the object from another node timed out (not raised in one process)."""


class RpcError(RayError):
    """A remote procedure call failed (not raised in one process)."""


class ReferenceCountingAssertionError(ObjectLostError, AssertionError):
    """The object was deleted while a reference to it was still in use."""


class ObjectFreedError(ObjectLostError):
    """The object was freed explicitly."""


class OwnerDiedError(ObjectLostError):
    """The object's owner died (not raised in one process)."""


class ObjectReconstructionFailedError(ObjectLostError):
    """The lost object could not be rebuilt from its lineage."""


class ObjectReconstructionFailedMaxAttemptsExceededError(ObjectLostError):
    """Rebuilding the lost object failed too many times."""


class ObjectReconstructionFailedLineageEvictedError(ObjectLostError):
    """The lost object's lineage was evicted, so it cannot be rebuilt."""


class PlasmaObjectNotAvailable(RayError):
    """The object is not in the object store yet (internal to Ray)."""


class AsyncioActorExit(RayError):
    """Raised inside an async actor to make it exit."""


class RuntimeEnvSetupError(RayError):
    """The task's runtime environment could not be set up (runtime_env is not supported)."""


class TaskPlacementGroupRemoved(RayError):
    """The task's placement group was removed (placement groups are not supported)."""


class ActorPlacementGroupRemoved(RayError):
    """The actor's placement group was removed (placement groups are not supported)."""


class PendingCallsLimitExceeded(RayError):
    """Too many calls are queued on the actor (``max_pending_calls``)."""


class TaskUnschedulableError(RayError):
    """The task can never be scheduled (for example, it asks for more than the node has)."""


class ActorUnschedulableError(RayError):
    """The actor can never be scheduled (for example, it asks for more than the node has)."""


class ObjectRefStreamEndOfStreamError(RayError):
    """A streaming generator has no more items."""


class OufOfBandObjectRefSerializationException(RayError):
    """An ObjectRef was serialized outside Ray's serializer (Ray spells it this way)."""


class RayChannelError(RaySystemError):
    """A compiled-graph channel failed (compiled graphs are not supported)."""


class RayChannelTimeoutError(RayChannelError, TimeoutError):
    """A compiled-graph channel timed out (compiled graphs are not supported)."""


class RayCgraphCapacityExceeded(RaySystemError):
    """A compiled graph has too many executions in flight (not supported)."""


class UnserializableException(RayError):
    """An exception raised in a task could not be deserialized; this carries its text."""

    def __init__(self, original_stack_trace: str) -> None:
        self._original_stack_trace = original_stack_trace
        RayError.__init__(self, str(self))

    def __str__(self) -> str:
        return f"Failed to deserialize exception.\nOriginal exception:\n{self._original_stack_trace}"


# Every exception class Ray lists as its own, in Ray's order.
RAY_EXCEPTION_TYPES = [
    PlasmaObjectNotAvailable,
    RayError,
    RayTaskError,
    WorkerCrashedError,
    RayActorError,
    ObjectStoreFullError,
    ObjectLostError,
    ObjectFetchTimedOutError,
    ReferenceCountingAssertionError,
    ObjectReconstructionFailedError,
    ObjectReconstructionFailedMaxAttemptsExceededError,
    ObjectReconstructionFailedLineageEvictedError,
    OwnerDiedError,
    GetTimeoutError,
    AsyncioActorExit,
    RuntimeEnvSetupError,
    TaskPlacementGroupRemoved,
    ActorPlacementGroupRemoved,
    PendingCallsLimitExceeded,
    LocalRayletDiedError,
    TaskUnschedulableError,
    ActorDiedError,
    ActorUnschedulableError,
    ActorUnavailableError,
    RayChannelError,
    RayChannelTimeoutError,
    OufOfBandObjectRefSerializationException,
    RayCgraphCapacityExceeded,
    UnserializableException,
]
