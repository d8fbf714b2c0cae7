"""Code the native module calls: running tasks and actor methods on RustyRay's workers,
turning runtime errors into exceptions, ``await ref`` and pickling of refs."""

from __future__ import annotations

import asyncio
import builtins
import concurrent.futures
import contextvars
import inspect
import itertools
import weakref
import os
import sys
import threading
import traceback
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import _native
from . import _serialization
from ._serialization import StoredFailure, deserialize, reduce_live, serialize
from .exceptions import (
    ActorDiedError,
    AsyncioActorExit,
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


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _user_traceback(exc: BaseException) -> str:
    """The traceback text of a task's exception without RustyRay's own frames at its
    top (as Ray shows only the frames of the task's code)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        tb = tb.tb_next
    if tb is None:
        tb = exc.__traceback__
    return "".join(traceback.format_exception(type(exc), exc, tb))


def _safe_repr(value: Any) -> Optional[str]:
    try:
        return repr(value)
    except Exception:  # noqa: BLE001 - a failing __repr__ must not hide the task's error
        return None


class TaskFailure:
    """What a failed task leaves in the store: the exception and its traceback text."""

    __slots__ = (
        "function_name",
        "cause",
        "traceback_str",
        "creation",
        "pid",
        "actor_id",
        "actor_repr",
    )

    def __init__(
        self,
        function_name: str,
        cause: BaseException,
        creation: bool = False,
        actor: Optional["ActorState"] = None,
    ) -> None:
        self.function_name = function_name
        # A method's error names its actor, as Ray's header does.
        self.actor_id = actor.actor_id if actor is not None else None
        self.actor_repr = _safe_repr(actor.instance) if actor is not None else None
        if isinstance(cause, RayTaskError):
            self.traceback_str = cause.traceback_str
            self.cause = cause.cause
        else:
            self.traceback_str = _user_traceback(cause)
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


class _TaskLocal(threading.local):
    # True on a thread while it runs a task's code.
    in_task = False


task_local = _TaskLocal()
# The actor calls made by running tasks, by the task's ID, for ``cancel(recursive=True)``
# (the runtime cancels a task's child tasks itself).
actor_children: Dict[Optional[str], List[Any]] = {}


def note_actor_call(call: Any) -> None:
    """Records an actor call made by the running task."""
    actor_children.setdefault(_native.current_context()[0], []).append(call)


def _task_done() -> None:
    task_local.in_task = False
    # A cancelled task's actor calls stay recorded for its canceller, which cancels
    # them with a recursive cancel (and forgets them otherwise).
    if actor_children and not _native.current_task_cancelled():
        actor_children.pop(_native.current_context()[0], None)


# (task name, function name) of the running task or actor call, for
# ``get_runtime_context().get_task_name()`` / ``get_task_function_name()``.
running_name: "contextvars.ContextVar[Optional[Tuple[str, str]]]" = contextvars.ContextVar(
    "rustyray_running_name", default=None
)


def _function_name(func: Any) -> str:
    return f"{getattr(func, '__module__', None)}.{getattr(func, '__name__', repr(func))}"


def _method_names(state: "ActorState", method: str, on_loop: bool = False) -> Tuple[str, str]:
    cls = type(state.instance)
    if on_loop:
        # Ray names an async actor's method by its qualified name (a class defined in a
        # function shows as module.function.<locals>.Class.method).
        func = getattr(cls, method, None)
        qualname = getattr(func, "__qualname__", None)
        if qualname:
            return f"{state.class_name}.{method}", f"{cls.__module__}.{qualname}"
    return f"{state.class_name}.{method}", f"{cls.__module__}.{state.class_name}.{method}"


def run_task(payload: Tuple[Any, ...], values: List[Any]) -> Tuple[bool, Any]:
    task_local.in_task = True
    token = running_name.set((payload[1], _function_name(payload[0])))
    try:
        return _run_task(payload, values)
    finally:
        running_name.reset(token)
        _task_done()


class GeneratorValues(tuple):
    """The values of a generator an actor method returned (a stored failure last if it
    raised); the caller, which knows the call's ``num_returns``, picks its returns from
    them."""

    __slots__ = ()


def take_generated(gen: Any, limit: Optional[int]) -> Tuple[List[Any], Optional[BaseException]]:
    """Up to ``limit`` values of a generator (all without a limit) and the exception it
    raised before, if any. As in Ray, values past the limit are dropped (Ray logs them)."""
    values: List[Any] = []
    try:
        if limit is None:
            for v in gen:
                values.append(v)
        else:
            for v in itertools.islice(gen, limit + 1):
                values.append(v)
            if len(values) > limit:
                gen.close()
                del values[limit:]
    except BaseException as exc:  # noqa: BLE001 - the generator's error belongs to the call
        return values, exc
    return values, None


def generated_returns(
    name: str, values: List[Any], exc: Optional[BaseException], num_returns: int
) -> List[Any]:
    """The stored returns of a generator with an integer ``num_returns``: as Ray does,
    each value yielded before an error (or before the generator ended early) is kept, the
    returns it did not reach hold the error."""
    if exc is None and len(values) < num_returns:
        exc = ValueError(f"Task returned {len(values)} objects, but num_returns={num_returns}.")
    out = [serialize(v) for v in values]
    if exc is not None and len(values) < num_returns:
        out.extend([StoredFailure(TaskFailure(name, exc))] * (num_returns - len(values)))
    return out


def generator_values(gen: Any, name: str, state: "ActorState") -> GeneratorValues:
    values, exc = take_generated(gen, None)
    if exc is not None:
        values.append(StoredFailure(TaskFailure(name, exc, actor=state)))
    return GeneratorValues(values)


def _run_task(payload: Tuple[Any, ...], values: List[Any]) -> Tuple[bool, Any]:
    func, name, num_returns, max_retries, retry_exceptions = payload
    left = max_retries
    while True:
        try:
            args, kwargs = unpack(values)
            result = func(*args, **kwargs)
            if num_returns == "dynamic":
                return True, [serialize(collect_dynamic(result))]
            if inspect.isgenerator(result):
                # A generator with an integer num_returns: its values are the returns.
                yielded, exc = take_generated(result, num_returns)
                if exc is not None and left != 0 and _should_retry(retry_exceptions, exc):
                    left -= 1
                    continue
                return True, generated_returns(name, yielded, exc, num_returns)
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


class DynamicObjectRefGenerator:
    """The value of a ``num_returns="dynamic"`` call: the refs of the items its generator
    yielded, all stored by the time the call finished (Ray's class of the same name)."""

    def __init__(self, refs: List[Any]) -> None:
        self._refs = refs

    def __iter__(self) -> Any:
        return iter(self._refs)

    def __len__(self) -> int:
        return len(self._refs)

    def __repr__(self) -> str:
        return f"DynamicObjectRefGenerator({self._refs!r})"


def collect_dynamic(result: Any) -> DynamicObjectRefGenerator:
    """Stores each item of a ``"dynamic"`` call's generator as an object of its own."""
    if inspect.isasyncgen(result):
        result = _drain_async(result)
    if not inspect.isgenerator(result) and not isinstance(result, list):
        raise TypeError(
            f"num_returns='dynamic' needs a generator, the call returned "
            f"{type(result).__name__}"
        )
    return DynamicObjectRefGenerator([_native.put(serialize(item)) for item in result])


def _drain_async(agen: Any) -> List[Any]:
    async def drain() -> List[Any]:
        return [item async for item in agen]

    return asyncio.run(drain())


def _not_a_generator(result: Any) -> TypeError:
    return TypeError(
        "a streaming call (num_returns='streaming', the default for generator functions) "
        f"must return a generator, it returned {type(result).__name__}"
    )


def _stream(result: Any, yielder: Any) -> None:
    """Sends the items of a (sync or async) generator until it ends or the reader stops
    listening (cancelled or gone)."""
    if inspect.isasyncgen(result):
        asyncio.run(_stream_async(result, yielder))
        return
    if not inspect.isgenerator(result):
        raise _not_a_generator(result)
    try:
        for item in result:
            if not yielder.send(serialize(item)):
                break
    finally:
        result.close()


async def _stream_async(agen: Any, yielder: Any) -> None:
    try:
        async for item in agen:
            if not yielder.send(serialize(item)):
                break
    finally:
        await agen.aclose()


def stream_task(payload: Tuple[Any, ...], values: List[Any], yielder: Any) -> Tuple[bool, Any]:
    task_local.in_task = True
    token = running_name.set((payload[1], _function_name(payload[0])))
    try:
        return _stream_task(payload, values, yielder)
    finally:
        running_name.reset(token)
        _task_done()


def _stream_task(payload: Tuple[Any, ...], values: List[Any], yielder: Any) -> Tuple[bool, Any]:
    func, name = payload[0], payload[1]
    try:
        args, kwargs = unpack(values)
        _stream(func(*args, **kwargs), yielder)
        return True, None
    except BaseException as exc:  # noqa: BLE001
        return False, TaskFailure(name, exc)


class _ActorExit(SystemExit):
    """Raised by ``exit_actor()`` in a sequential actor; its call ends the actor."""


# Native handles of live actors by ID, for ``exit_actor`` and ``current_actor``.
actor_handles: "weakref.WeakValueDictionary[str, Any]" = weakref.WeakValueDictionary()
# Native handles of actors sent ``__ray_terminate__`` because their last handle is gone.
terminating: Dict[str, Any] = {}
# (task ID, actor state) of the call running on an actor's event loop, where the
# runtime's own task context does not reach.
loop_call: "contextvars.ContextVar[Optional[Tuple[Optional[str], ActorState]]]" = (
    contextvars.ContextVar("rustyray_loop_call", default=None)
)


class ActorState:
    """An actor instance and, for classes with ``async def`` methods, the event loop that
    runs all of its methods (sync ones too, as in Ray)."""

    __slots__ = ("instance", "class_name", "actor_id", "loop", "__weakref__")

    def __init__(self, class_name: str, actor_id: Optional[str], is_async: bool) -> None:
        self.instance: Any = None
        self.class_name = class_name
        self.actor_id = actor_id
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        if is_async:
            loop = asyncio.new_event_loop()
            threading.Thread(
                target=_run_loop, args=(loop,), name=f"rustyray-actor-{class_name}", daemon=True
            ).start()
            self.loop = loop

    def stop(self) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(_stop_loop, loop)
            except RuntimeError:
                pass


def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        loop.close()


def _stop_loop(loop: asyncio.AbstractEventLoop) -> None:
    # The actor is gone: its coroutines are cancelled rather than dropped mid-flight.
    for task in asyncio.all_tasks(loop):
        task.cancel()
    loop.call_soon(loop.stop)

    def __del__(self) -> None:
        self.stop()


async def _construct_on_loop(state: ActorState, cls: Any, args: Any, kwargs: Any) -> Any:
    loop_call.set((None, state))
    return cls(*args, **kwargs)


def construct_actor(payload: Tuple[Any, ...], values: List[Any]) -> Tuple[bool, Any]:
    cls, class_name, is_async = payload
    state = ActorState(class_name, _native.current_context()[1], is_async)
    try:
        args, kwargs = unpack(values)
        if state.loop is None:
            state.instance = cls(*args, **kwargs)
        else:
            # __init__ runs on the actor's loop, so what it binds to "the current loop"
            # (asyncio.Event, get_event_loop()) is the loop its methods run on.
            coro = _construct_on_loop(state, cls, args, kwargs)
            state.instance = asyncio.run_coroutine_threadsafe(coro, state.loop).result()
        return True, state
    except BaseException as exc:  # noqa: BLE001
        state.stop()
        return False, TaskFailure(f"{class_name}.__init__", exc, creation=True)


def _builtin_method(state: ActorState, method: str) -> Any:
    if method == "__ray_ready__":
        return lambda: True
    if method == "__ray_terminate__":
        return _terminate
    if method == "__ray_call__":
        instance = state.instance
        return lambda fn, *args, **kwargs: fn(instance, *args, **kwargs)
    return getattr(state.instance, method)


def _terminate() -> None:
    raise _ActorExit(0)


def _exited(state: ActorState, name: str, exc: BaseException) -> Optional[Tuple[bool, Any]]:
    """Ends the actor if ``exc`` asks for it (``exit_actor()``); the call then fails as a
    call of a dead actor."""
    if not isinstance(exc, (_ActorExit, AsyncioActorExit)):
        return None
    handle = terminating.pop(state.actor_id or "", None) or actor_handles.get(state.actor_id or "")
    if handle is not None:
        handle.kill(True)
    return False, TaskFailure(name, exc)


def run_method(state: ActorState, method: str, values: List[Any]) -> Tuple[bool, Any]:
    token = running_name.set(_method_names(state, method))
    try:
        return _run_method(state, method, values)
    finally:
        running_name.reset(token)


def _lives(state: ActorState) -> Any:
    """What tells whether the actor was killed since: (handle, restarts), or None."""
    native = actor_handles.get(state.actor_id or "")
    return None if native is None else (native, native.num_restarts())


def _killed_since(lives: Any) -> bool:
    if lives is None:
        return False
    native, restarts = lives
    return not native.is_alive() or native.num_restarts() != restarts


def _killed_error() -> ActorDiedError:
    return ActorDiedError(
        "The actor is dead because it was killed by `ray.kill` while this call ran."
    )


def _run_method(state: ActorState, method: str, values: List[Any]) -> Tuple[bool, Any]:
    lives = _lives(state)
    try:
        args, kwargs = unpack(values)
        result = _builtin_method(state, method)(*args, **kwargs)
        if _killed_since(lives):
            # Ray's worker process died with the call: its result is lost.
            raise _killed_error()
        if num_returns_dynamic(state, method):
            result = collect_dynamic(result)
        elif inspect.isgenerator(result):
            # Called with an integer num_returns: the caller picks the values.
            result = generator_values(result, f"{state.class_name}.{method}", state)
        elif inspect.iscoroutine(result):
            result = asyncio.run(result)
        return True, serialize(result)
    except BaseException as exc:  # noqa: BLE001
        name = f"{state.class_name}.{method}"
        return _exited(state, name, exc) or (False, TaskFailure(name, exc, actor=state))


def num_returns_dynamic(state: ActorState, method: str) -> bool:
    member = getattr(type(state.instance), method, None)
    return getattr(member, "__rustyray_num_returns__", 1) == "dynamic"


def stream_method(
    state: ActorState, method: str, values: List[Any], yielder: Any
) -> Tuple[bool, Any]:
    token = running_name.set(_method_names(state, method))
    try:
        args, kwargs = unpack(values)
        _stream(getattr(state.instance, method)(*args, **kwargs), yielder)
        return True, None
    except BaseException as exc:  # noqa: BLE001
        name = f"{state.class_name}.{method}"
        return _exited(state, name, exc) or (False, TaskFailure(name, exc, actor=state))
    finally:
        running_name.reset(token)


def _loop_stopped(state: ActorState, method: str, completion: Any) -> None:
    completion.finish(
        False,
        TaskFailure(
            f"{state.class_name}.{method}",
            ActorDiedError("the actor's event loop has stopped"),
        ),
    )


def start_method(state: ActorState, method: str, values: List[Any], completion: Any) -> None:
    task_id = _native.current_context()[0]
    try:
        state.loop.call_soon_threadsafe(  # type: ignore[union-attr]
            _start_on_loop, state, method, values, completion, task_id, None
        )
    except RuntimeError:
        _loop_stopped(state, method, completion)


def start_stream_method(
    state: ActorState, method: str, values: List[Any], yielder: Any, completion: Any
) -> None:
    task_id = _native.current_context()[0]
    try:
        state.loop.call_soon_threadsafe(  # type: ignore[union-attr]
            _start_on_loop, state, method, values, completion, task_id, yielder
        )
    except RuntimeError:
        _loop_stopped(state, method, completion)


async def _guarded(coro: Any) -> Tuple[bool, Any]:
    # Catches everything, SystemExit and KeyboardInterrupt too: raised out of a task
    # they would stop the actor's event loop.
    try:
        return True, await coro
    except BaseException as exc:  # noqa: BLE001
        return False, exc


def _start_on_loop(
    state: ActorState,
    method: str,
    values: List[Any],
    completion: Any,
    task_id: Optional[str],
    yielder: Any,
) -> None:
    """Runs on the actor's event loop: a sync method runs to its end here, a coroutine
    (or async generator) becomes a task of the loop."""
    name = f"{state.class_name}.{method}"
    loop_call.set((task_id, state))
    running_name.set(_method_names(state, method, on_loop=True))
    try:
        args, kwargs = unpack(values)
        result = _builtin_method(state, method)(*args, **kwargs)
        if yielder is not None:
            if inspect.isasyncgen(result):
                result = _stream_async(result, yielder)
            else:
                _stream(result, yielder)
                completion.finish(True, None)
                return
        elif num_returns_dynamic(state, method):
            if inspect.isasyncgen(result):
                result = _collect_async(result)
            else:
                result = collect_dynamic(result)
        elif inspect.isgenerator(result):
            result = generator_values(result, name, state)
    except BaseException as exc:  # noqa: BLE001
        _finish(state, name, completion, False, exc)
        return
    if inspect.isawaitable(result):
        task = asyncio.ensure_future(_guarded(result))
        if task_id is not None:
            if task_id in _cancelled_early:
                _cancelled_early.discard(task_id)
                task.cancel()
            loop_tasks[task_id] = task
        task.add_done_callback(
            lambda t: _done_on_loop(state, name, completion, task_id, t, result)
        )
    else:
        _finish(state, name, completion, True, result)


def _done_on_loop(
    state: ActorState,
    name: str,
    completion: Any,
    task_id: Optional[str],
    task: Any,
    call: Any,
) -> None:
    loop_tasks.pop(task_id, None)
    if task.cancelled():
        # Cancelled before its first step, the call's coroutine never started: closed
        # here, it is not reported as never awaited.
        if inspect.iscoroutine(call):
            call.close()
        _finish(state, name, completion, False, asyncio.CancelledError())
    else:
        _finish(state, name, completion, *task.result())


# The running coroutine calls of async actors by task ID, for ``cancel``.
loop_tasks: Dict[Optional[str], "asyncio.Task[Any]"] = {}
# Calls cancelled before their coroutine started (bounded: most never start at all).
_cancelled_early: set = set()


def cancel_on_loop(task_id: str) -> None:
    """Cancels the asyncio task of an async actor's call (Ray's cancel of an async actor
    task), on the actor's loop."""
    task = loop_tasks.get(task_id)
    if task is None:
        if len(_cancelled_early) > 10000:
            _cancelled_early.clear()
        _cancelled_early.add(task_id)
        return
    try:
        task.get_loop().call_soon_threadsafe(task.cancel)
    except RuntimeError:
        pass  # the loop has stopped


async def _collect_async(agen: Any) -> DynamicObjectRefGenerator:
    return DynamicObjectRefGenerator([_native.put(serialize(i)) async for i in agen])


def _finish(state: ActorState, name: str, completion: Any, ok: bool, result: Any) -> None:
    if ok:
        try:
            completion.finish(True, serialize(result))
            return
        except BaseException as exc:  # noqa: BLE001 - an unpicklable result
            result = exc
    if isinstance(result, asyncio.CancelledError):
        result = TaskCancelledError(error_message=f"{name}() was cancelled")
    failed = _exited(state, name, result) or (False, TaskFailure(name, result, actor=state))
    completion.finish(*failed)


def current_ids() -> Tuple[Optional[str], Optional[str], bool]:
    """(task ID, actor ID, on an actor's event loop) of the running code."""
    running = loop_call.get()
    if running is not None:
        task_id, state = running
        return task_id, state.actor_id, True
    task_id, actor_id = _native.current_context()
    return task_id, actor_id, False


def exit_actor() -> None:
    """Ends the actor whose method calls it (Ray's ``ray.actor.exit_actor``): the call
    fails with ``ActorDiedError``, as do queued and later calls."""
    _, actor_id, on_loop = current_ids()
    if actor_id is None:
        raise TypeError(
            "exit_actor() was called outside an actor; call it inside an actor's method "
            "to end that actor."
        )
    if on_loop:
        raise AsyncioActorExit()
    raise _ActorExit(0)


def make_error(kind: str, message: str, payload: Any) -> BaseException:
    if isinstance(payload, TaskFailure):
        # What Ray reports for exits its worker would not survive: an interrupt is a cancel,
        # an exit a dead worker; neither may reach the caller as itself (it would interrupt
        # or exit the caller).
        if isinstance(payload.cause, KeyboardInterrupt):
            return TaskCancelledError(
                error_message=f"{payload.function_name}() raised KeyboardInterrupt."
            )
        if isinstance(payload.cause, SystemExit) and not isinstance(payload.cause, _ActorExit):
            return WorkerCrashedError()
        if isinstance(payload.cause, _EXCEPTION_GROUPS):
            return TypeError(
                f"{payload.function_name}() raised an exception group, which cannot be "
                f"raised again as a task error:\n{payload.traceback_str}"
            )
        if isinstance(payload.cause, (_ActorExit, AsyncioActorExit)):
            return ActorDiedError(
                f"The actor exited intentionally: {payload.function_name}() called "
                "exit_actor()."
            )
        if payload.creation:
            return ActorDiedError(
                "The actor died because of an error raised in its creation task, "
                f"{payload.function_name}():\n{payload.traceback_str}",
                payload.cause,
            )
        err = RayTaskError(
            payload.function_name,
            payload.traceback_str,
            payload.cause,
            pid=payload.pid,
            actor_repr=payload.actor_repr,
            actor_id=payload.actor_id,
        )
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


def ref_future(ref: Any) -> "concurrent.futures.Future[Any]":
    fut: "concurrent.futures.Future[Any]" = concurrent.futures.Future()

    def done() -> None:
        if not fut.set_running_or_notify_cancel():
            return
        try:
            fut.set_result(deserialize(_native.get([ref])[0]))
        except BaseException as exc:  # noqa: BLE001 - the object's error is the result
            fut.set_exception(exc)

    ref._on_ready(done)
    return fut


def _unpicklable_ref(hex_id: str) -> Any:
    raise RaySystemError(
        f"ObjectRef({hex_id}) was pickled outside a RustyRay value; pass refs as task "
        "arguments or inside put/return values instead"
    )


def reduce_ref(ref: Any) -> Any:
    return reduce_live(ref, (_unpicklable_ref, (ref.hex(),)))


_serialization.error_of = lambda failure: make_error("task", str(failure), failure)
_native._set_hooks(sys.modules[__name__])
