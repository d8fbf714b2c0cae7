"""Code the native module calls: running tasks and actor methods on RustyRay's workers,
turning runtime errors into exceptions, ``await ref`` and pickling of refs."""

from __future__ import annotations

import asyncio
import builtins
import inspect
import os
import sys
import threading
import traceback
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import _native
from ._serialization import deserialize, reduce_live, serialize
from .exceptions import (
    ActorDiedError,
    GetTimeoutError,
    ObjectLostError,
    ObjectStoreFullError,
    RayActorError,
    RaySystemError,
    RayTaskError,
    TaskCancelledError,
    WorkerCrashedError,
)

ObjectRef = _native.ObjectRef
# Python 3.11's exception groups (none before).
_EXCEPTION_GROUPS = tuple(t for t in (getattr(builtins, "BaseExceptionGroup", None),) if t)
_ATOMS = frozenset({int, float, bool, str, bytes, complex, type(None)})


def pack(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> List[Any]:
    """The native call arguments: a template (the arguments, serialized, with top-level
    ``ObjectRef``s taken out) followed by those refs, which the runtime resolves first."""
    refs: Optional[List[Any]] = None
    for a in args:
        if type(a) is ObjectRef:
            refs = []
            break
    else:
        for v in kwargs.values():
            if type(v) is ObjectRef:
                refs = []
                break
    if refs is None:
        if not kwargs:
            if not args:
                return [None]
            if all(type(a) in _ATOMS for a in args):
                return [args]
        return [serialize((args, kwargs, ()))]
    slots: List[Any] = []
    plain = list(args)
    for i, a in enumerate(plain):
        if type(a) is ObjectRef:
            slots.append(i)
            refs.append(a)
            plain[i] = None
    plain_kwargs = dict(kwargs)
    for k, v in kwargs.items():
        if type(v) is ObjectRef:
            slots.append(k)
            refs.append(v)
            plain_kwargs[k] = None
    return [serialize((tuple(plain), plain_kwargs, tuple(slots))), *refs]


def unpack(values: Sequence[Any]) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
    """The call's ``(args, kwargs)`` from the resolved native arguments."""
    template = values[0]
    if template is None:
        return (), {}
    if type(template) is tuple:
        return template, {}
    args, kwargs, slots = deserialize(template)
    if slots:
        args = list(args)
        for slot, stored in zip(slots, values[1:]):
            value = deserialize(stored)
            if type(slot) is int:
                args[slot] = value
            else:
                kwargs[slot] = value
    return tuple(args), kwargs


class TaskFailure:
    """What a failed task leaves in the store: the exception and its traceback text."""

    __slots__ = ("function_name", "cause", "traceback_str", "creation", "pid")

    def __init__(self, function_name: str, cause: BaseException, creation: bool = False) -> None:
        self.function_name = function_name
        if isinstance(cause, RayTaskError):
            self.traceback_str = cause.traceback_str
            self.cause = cause.cause
        else:
            self.traceback_str = "".join(traceback.format_exception(cause))
            self.cause = cause
        if self.cause is not None:
            self.cause.__traceback__ = None
        self.creation = creation
        self.pid = os.getpid()

    def __str__(self) -> str:
        return self.traceback_str


def _should_retry(retry_exceptions: Any, exc: BaseException) -> bool:
    if retry_exceptions is True:
        return isinstance(exc, Exception)
    if isinstance(retry_exceptions, (list, tuple)):
        return isinstance(exc, tuple(retry_exceptions))
    return False


def run_task(payload: Tuple[Any, ...], values: List[Any]) -> Tuple[bool, Any]:
    func, name, num_returns, max_retries, retry_exceptions = payload
    left = max_retries
    while True:
        try:
            args, kwargs = unpack(values)
            result = func(*args, **kwargs)
            if num_returns == 1:
                return True, [serialize(result)]
            results = tuple(result)
            if len(results) != num_returns:
                raise ValueError(
                    f"Task returned {len(results)} objects, but num_returns={num_returns}."
                )
            return True, [serialize(r) for r in results]
        except BaseException as exc:  # noqa: BLE001 - every failure belongs to the task
            if left != 0 and _should_retry(retry_exceptions, exc):
                left -= 1
                continue
            return False, TaskFailure(name, exc)


class ActorState:
    """An actor instance and, for classes with ``async def`` methods, its event loop."""

    __slots__ = ("instance", "class_name", "loop", "__weakref__")

    def __init__(self, instance: Any, class_name: str, is_async: bool) -> None:
        self.instance = instance
        self.class_name = class_name
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        if is_async:
            loop = asyncio.new_event_loop()
            threading.Thread(
                target=loop.run_forever, name=f"rustyray-actor-{class_name}", daemon=True
            ).start()
            self.loop = loop

    def run(self, coro: Any) -> Any:
        if self.loop is None:
            return asyncio.run(coro)
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def __del__(self) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(loop.stop)
            except RuntimeError:
                pass


def construct_actor(payload: Tuple[Any, ...], values: List[Any]) -> Tuple[bool, Any]:
    cls, class_name, is_async = payload
    try:
        args, kwargs = unpack(values)
        return True, ActorState(cls(*args, **kwargs), class_name, is_async)
    except BaseException as exc:  # noqa: BLE001
        return False, TaskFailure(f"{class_name}.__init__", exc, creation=True)


def run_method(state: ActorState, method: str, values: List[Any]) -> Tuple[bool, Any]:
    try:
        args, kwargs = unpack(values)
        result = getattr(state.instance, method)(*args, **kwargs)
        if inspect.iscoroutine(result):
            result = state.run(result)
        return True, serialize(result)
    except BaseException as exc:  # noqa: BLE001
        return False, TaskFailure(f"{state.class_name}.{method}", exc)


def make_error(kind: str, message: str, payload: Any) -> BaseException:
    if isinstance(payload, TaskFailure):
        # What Ray reports for exits its worker would not survive: an interrupt is a cancel,
        # an exit a dead worker; neither may reach the caller as itself (it would interrupt
        # or exit the caller).
        if isinstance(payload.cause, KeyboardInterrupt):
            return TaskCancelledError(
                error_message=f"{payload.function_name}() raised KeyboardInterrupt."
            )
        if isinstance(payload.cause, SystemExit):
            return WorkerCrashedError()
        if isinstance(payload.cause, _EXCEPTION_GROUPS):
            return TypeError(
                f"{payload.function_name}() raised an exception group, which cannot be "
                f"raised again as a task error:\n{payload.traceback_str}"
            )
        if payload.creation:
            return ActorDiedError(
                "The actor died because of an error raised in its creation task, "
                f"{payload.function_name}():\n{payload.traceback_str}",
                payload.cause,
            )
        err = RayTaskError(payload.function_name, payload.traceback_str, payload.cause, payload.pid)
        return err.as_instanceof_cause()
    if kind == "task":
        return RayTaskError("<task>", message)
    if kind == "actor_died":
        return ActorDiedError(message)
    if kind == "actor_not_found":
        return ValueError(f"Failed to look up actor: {message}")
    if kind == "timeout":
        return GetTimeoutError(f"Get timed out: {message}")
    if kind == "cancelled":
        return TaskCancelledError(error_message=message)
    if kind == "store_full":
        return ObjectStoreFullError(message)
    if kind == "object_lost":
        return ObjectLostError(message)
    if kind == "shut_down":
        return TaskCancelledError(
            error_message=f"{message} (the object was pending when it shut down)"
        )
    if kind in ("not_initialized", "already_initialized"):
        return RuntimeError(message)
    if kind == "invalid":
        return ValueError(message)
    if kind == "actor":
        return RayActorError(message)
    return RaySystemError(message)


def _resolve(fut: "asyncio.Future[None]") -> None:
    if not fut.done():
        fut.set_result(None)


async def _ready_then_get(ref: Any, fut: "asyncio.Future[None]") -> Any:
    await fut
    return deserialize(_native.get([ref])[0])


def await_ref(ref: Any) -> Any:
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def done() -> None:
        try:
            loop.call_soon_threadsafe(_resolve, fut)
        except RuntimeError:
            pass  # the loop is closed: nobody waits any more

    ref._on_ready(done)
    return _ready_then_get(ref, fut).__await__()


def _unpicklable_ref(hex_id: str) -> Any:
    raise RaySystemError(
        f"ObjectRef({hex_id}) was pickled outside a RustyRay value; pass refs as task "
        "arguments or inside put/return values instead"
    )


def reduce_ref(ref: Any) -> Any:
    return reduce_live(ref, (_unpicklable_ref, (ref.hex(),)))


_native._set_hooks(sys.modules[__name__])
