"""RustyRay for Python: Ray's API (``@remote``, ``.remote()``, ``get``, actors) on the
in-process RustyRay runtime.

    import rustyray

    @rustyray.remote
    def add(x, y):
        return x + y

    rustyray.init()
    assert rustyray.get(add.remote(1, add.remote(2, 3))) == 6
"""

from __future__ import annotations

import atexit
import functools
import inspect
import os
import threading
import warnings
import weakref
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import _native, _options, exceptions
from ._serialization import (
    StoredFailure,
    deserialize,
    pickled_definition,
    pickled_size,
    reduce_live,
    serialize,
)
from . import _worker
from ._worker import DynamicObjectRefGenerator, pack, task_local as _task_local
from .exceptions import (
    ActorDiedError,
    GetTimeoutError,
    PendingCallsLimitExceeded,
    RayActorError,
    RayError,
    RayTaskError,
    TaskCancelledError,
)

__version__ = "0.1.0"

__all__ = [
    "ObjectRef",
    "ObjectRefGenerator",
    "DynamicObjectRefGenerator",
    "ActorHandle",
    "ActorClass",
    "RemoteFunction",
    "RustyRayContext",
    "init",
    "shutdown",
    "is_initialized",
    "remote",
    "method",
    "get",
    "put",
    "wait",
    "cancel",
    "kill",
    "get_actor",
    "get_runtime_context",
    "RuntimeContext",
    "cluster_resources",
    "available_resources",
    "exceptions",
    "RayError",
    "RayTaskError",
    "RayActorError",
    "ActorDiedError",
    "GetTimeoutError",
    "TaskCancelledError",
]

ObjectRef = _native.ObjectRef
# Ray keeps the old name of ``ObjectRef`` for legacy code.
ObjectID = _native.ObjectRef


# How long a blocking read of an actor's stream waits before it checks the actor is alive.
_STREAM_POLL = 0.05


class ObjectRefGenerator:
    """The refs of a generator call's items, each available as soon as the generator
    yielded it (Ray's ``ObjectRefGenerator``, what a generator function or method returns
    by default, or with ``num_returns="streaming"``).

    Iterate with ``for ref in gen`` / ``next(gen)`` or ``async for ref in gen``. If the
    generator raises, the refs of the items before come first, then one ref whose
    ``get`` raises the error, then the iteration ends. ``cancel(gen)`` stops the
    generator at its next ``yield``. One reader at a time."""

    def __init__(self, stream: Any, actor: Any = None) -> None:
        self._stream = stream
        # An item that arrived for an ``__anext__`` that was cancelled meanwhile.
        self._early: List[Any] = []
        # The native handle of the actor running the call (a method's stream): if the
        # actor is killed, the stream ends with its death instead of waiting forever.
        self._actor = actor
        self._dead = False

    def __iter__(self) -> "ObjectRefGenerator":
        return self

    def __next__(self) -> ObjectRef:
        if self._early:
            return self._unwrap(self._early.pop(0), StopIteration)
        if self._dead:
            raise StopIteration
        if self._actor is None:
            ref = self._stream.next()
        else:
            ref = self._next_of_actor()
        if ref is None:
            raise StopIteration
        return ref

    def _next_of_actor(self) -> Any:
        actor = self._actor
        while True:
            try:
                return self._stream.next(_STREAM_POLL)
            except GetTimeoutError:
                if actor.is_alive():
                    continue
            # Killed: the items sent before the kill, then the actor's death (as Ray's
            # stream of a killed actor), then the end.
            try:
                return self._stream.next(0.0)
            except GetTimeoutError:
                self._dead = True
                raise ActorDiedError(
                    "The actor is dead because it was killed by `ray.kill` while this "
                    "generator call ran."
                ) from None

    def __aiter__(self) -> "ObjectRefGenerator":
        return self

    async def __anext__(self) -> ObjectRef:
        import asyncio

        if self._early:
            return self._unwrap(self._early.pop(0), StopAsyncIteration)
        loop = asyncio.get_running_loop()
        fut = loop.create_future()

        def arrived(item: Any) -> None:
            try:
                loop.call_soon_threadsafe(deliver, item)
            except RuntimeError:
                self._early.append(item)  # the loop is closed

        def deliver(item: Any) -> None:
            if fut.done():
                self._early.append(item)
            else:
                fut.set_result(item)

        self._stream._on_next(arrived)
        return self._unwrap(await fut, StopAsyncIteration)

    @staticmethod
    def _unwrap(item: Any, end: type) -> ObjectRef:
        if item is None:
            raise end
        if isinstance(item, BaseException):
            raise item
        return item

    def is_finished(self) -> bool:
        """True once the generator returned, failed or was cancelled (items may remain
        unread)."""
        return self._stream.is_finished()

    def task_id(self) -> str:
        """The ID of the generator's task in hex."""
        return self._stream.task_id()

    def completed(self) -> Any:
        raise NotImplementedError(
            "ObjectRefGenerator.completed() is not supported by RustyRay; iterate the "
            "generator to its end instead"
        )

    def __repr__(self) -> str:
        return f"ObjectRefGenerator({self._stream.task_id()})"

_lock = threading.RLock()
_custom_resources: List[str] = []

# Options of ``ray.init`` that have no meaning in one process; accepted and ignored.
_IGNORED_INIT_OPTIONS = frozenset(
    {
        "runtime_env",
        "logging_level",
        "logging_format",
        "log_to_driver",
        "include_dashboard",
        "dashboard_host",
        "dashboard_port",
        "configure_logging",
        "job_config",
        "object_store_memory",
        "local_mode",
        "_system_config",
        "_temp_dir",
    }
)


class RustyRayContext:
    """What ``init`` returns; ``with rustyray.init(): ...`` shuts down on exit."""

    def __init__(self, num_cpus: float) -> None:
        self.num_cpus = num_cpus

    def __enter__(self) -> "RustyRayContext":
        return self

    def __exit__(self, *exc: Any) -> None:
        shutdown()

    def disconnect(self) -> None:
        shutdown()


def init(
    address: Optional[str] = None,
    *,
    num_cpus: Optional[float] = None,
    num_gpus: Optional[float] = None,
    resources: Optional[Dict[str, float]] = None,
    ignore_reinit_error: bool = False,
    object_store_capacity: Optional[int] = None,
    namespace: Optional[str] = None,
    _memory: Optional[float] = None,
    **kwargs: Any,
) -> RustyRayContext:
    """Starts the runtime (Ray's ``ray.init``). ``num_cpus`` defaults to the machine's
    CPUs; ``object_store_capacity`` bounds the number of live objects; ``namespace`` is
    where actor names are registered and looked up (default: an anonymous namespace of
    this job, as in Ray). As in Ray, ``address`` is the only positional parameter; ``None``,
    ``"local"`` and ``"auto"`` all mean this process. Cluster options (``runtime_env``,
    ...) are accepted and ignored."""
    unknown = set(kwargs) - _IGNORED_INIT_OPTIONS
    if unknown:
        raise TypeError(f"init() got unexpected keyword arguments: {sorted(unknown)}")
    if address not in (None, "local", "auto"):
        raise ValueError("RustyRay runs in this process; it cannot connect to a cluster")
    if namespace is not None:
        _check_namespace(namespace)
    with _lock:
        if _native.is_initialized():
            if ignore_reinit_error:
                return RustyRayContext(_total("CPU"))
            raise RuntimeError(
                "Maybe you called rustyray.init twice by accident? This error can be "
                "suppressed by passing in 'ignore_reinit_error=True' or by calling "
                "'rustyray.shutdown()' prior to 'rustyray.init()'."
            )
        given = {str(k): float(v) for k, v in (resources or {}).items()}
        if _memory is not None:
            if isinstance(_memory, bool) or not isinstance(_memory, (int, float)) or _memory < 0:
                raise ValueError(f"_memory must be a non-negative number of bytes, got {_memory!r}")
            given["memory"] = float(int(_memory))
        given.setdefault("memory", _default_memory())
        custom = sorted(given.items())
        _native.init(
            None if num_cpus is None else float(num_cpus),
            float(num_gpus or 0.0),
            custom,
            object_store_capacity,
            namespace,
        )
        _custom_resources[:] = [k for k, _ in custom]
        return RustyRayContext(_total("CPU"))


def _check_namespace(namespace: Any) -> None:
    if not isinstance(namespace, str):
        raise TypeError("namespace must be None or a string.")
    if namespace == "":
        raise ValueError('"" is not a valid namespace. Pass None to not specify a namespace.')


def shutdown() -> None:
    """Stops the runtime (Ray's ``ray.shutdown``): pending tasks are cancelled, actors
    stop. Safe to call when not initialized."""
    with _lock:
        _native.shutdown()
        _scoped_natives.clear()
        _handle_counts.clear()
        _worker.terminating.clear()
        _worker.actor_children.clear()


def is_initialized() -> bool:
    """True between ``init`` and ``shutdown``."""
    return _native.is_initialized()


def _auto_init() -> None:
    with _lock:
        if not _native.is_initialized():
            init()


def _total(name: str) -> float:
    found = _native.resource(name)
    return 0.0 if found is None else found[0]


def _resources(index: int) -> Dict[str, float]:
    if not _native.is_initialized():
        _auto_init()
    out: Dict[str, float] = {}
    for name in ["CPU", "GPU", *_custom_resources]:
        found = _native.resource(name)
        if found is not None and (found[0] > 0 or name == "CPU"):
            out[name] = found[index]
    return out


def cluster_resources() -> Dict[str, float]:
    """Total resources of the runtime."""
    return _resources(0)


def available_resources() -> Dict[str, float]:
    """Resources not held by running tasks and actors."""
    return _resources(1)


def _num_returns(value: Any) -> Union[int, str]:
    if value in ("streaming", "dynamic"):
        return value
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(
            "num_returns must be a non-negative integer, 'streaming' or 'dynamic'"
        )
    return value


def _given(options: Dict[str, Any], key: str, default: Any) -> Any:
    """The option's value; its default when absent or ``None`` (as in Ray)."""
    value = options.get(key)
    return default if value is None else value


def _resource_list(
    resources: Optional[Dict[str, float]], memory: Optional[float] = None
) -> List[Tuple[str, float]]:
    """The custom resources of a request; the `memory` option (bytes) is Ray's `memory`
    resource and wins over a `memory` entry of `resources`, as in Ray."""
    out: Dict[str, float] = {}
    if resources:
        for name in ("CPU", "GPU"):
            if name in resources:
                raise ValueError(f"Use the '{name.lower()}s' arguments, not resources={{'{name}': ...}}")
        out = {str(k): float(v) for k, v in resources.items()}
    if memory is not None:
        out["memory"] = float(memory)
    return list(out.items())


# Ray's `memory` resource of a node is the memory available when it starts less the 30%
# it gives its object store; counted in bytes, up to what an exact 1/10000 count holds.
_MAX_MEMORY = float(2**53 // 10_000)


def _default_memory() -> float:
    available = None
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
                    break
    except OSError:
        pass
    if available is None:
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (AttributeError, ValueError, OSError):
            return 0.0
    return float(min(available - int(available * 0.3), _MAX_MEMORY))


# Ray pickles a remote function or actor class on its first `.remote()` to export it,
# warns above 10 MB and refuses it from FUNCTION_SIZE_ERROR_THRESHOLD (100 MB unless the
# environment says otherwise): usually a definition capturing a large array by mistake.
_FUNCTION_SIZE_WARN_THRESHOLD = 10**7
# Exported definitions: definition -> the copy its calls run (None: the definition).
_exported: "weakref.WeakKeyDictionary[Any, Any]" = weakref.WeakKeyDictionary()


def _export(definition: Any, name: str, kind: str) -> Any:
    """Ray's export of a definition at its first ``.remote()``: checks its pickled size
    as Ray does, and returns what its calls run. For a function that is a copy unpickled
    from the export, as a Ray worker runs: a function defined in ``__main__`` or inside
    another function gets its own globals and closed-over values, taken now, so what
    its calls change is not the driver's (a function of an importable module is pickled
    by reference, so the copy is the function itself). A class is used as it is
    (cloudpickle keeps a class's identity within a process)."""
    try:
        if definition not in _exported:
            _check_definition_size(definition, name, kind)
    except TypeError:  # not weak-referenceable: a builtin, nothing captured
        return definition
    copy = _exported[definition]
    return definition if copy is None else copy


def _copy_of(definition: Any, pickled: Any) -> Any:
    if isinstance(definition, type) or pickled is None:
        return None
    try:
        copy = deserialize(pickled)
    except Exception:  # noqa: BLE001 - it runs as defined, like one that cannot be pickled
        return None
    return copy if callable(copy) else None


def _check_definition_size(definition: Any, name: str, kind: str) -> None:
    pickled = pickled_definition(definition)
    if isinstance(pickled, Exception):
        # Ray's export would fail here (its TypeError "Could not serialize ..."); the
        # definition runs in this process, so it is said rather than refused.
        warnings.warn(
            f"The {kind} {name} cannot be pickled ({type(pickled).__name__}: {pickled}); "
            "RustyRay runs it in this process, but Ray could not export it to its workers.",
            UserWarning,
            stacklevel=3,
        )
        _exported[definition] = None
        return
    length = 0 if pickled is None else pickled_size(pickled)
    limit = int(os.environ.get("FUNCTION_SIZE_ERROR_THRESHOLD", 10**8))
    if length >= limit and length > _FUNCTION_SIZE_WARN_THRESHOLD:
        raise ValueError(
            f"The {kind} {name} is too large ({length // (1024 * 1024)} MiB > "
            f"FUNCTION_SIZE_ERROR_THRESHOLD={limit // (1024 * 1024)} MiB). Check that its "
            "definition is not implicitly capturing a large array or other object in "
            "scope. Tip: use ray.put() to put large objects in the Ray object store."
        )
    if length > _FUNCTION_SIZE_WARN_THRESHOLD:
        warnings.warn(
            f"Warning: The {kind} {name} is very large ({length // (1024 * 1024)} MiB). "
            "Check that its definition is not implicitly capturing a large array or "
            "other object in scope. Tip: use ray.put() to put large objects in the Ray "
            "object store.",
            UserWarning,
            stacklevel=3,
        )
    _exported[definition] = _copy_of(definition, pickled)


class RemoteFunction:
    """A function made remote by ``@rustyray.remote``: call ``f.remote(...)``."""

    def __init__(self, function: Callable[..., Any], options: Dict[str, Any]) -> None:
        _options.validate_task(options)
        if inspect.iscoroutinefunction(function):
            raise ValueError(
                "'async def' should not be used for remote tasks. You can wrap the async "
                "function with `asyncio.run(f())`, or use an async actor."
            )
        self._function = function
        self._arity = _options.Arity(function)
        self._options = options
        name = options.get("name") or getattr(function, "__qualname__", repr(function))
        self._name = name
        generator = inspect.isgeneratorfunction(function) or inspect.isasyncgenfunction(function)
        num_returns = _num_returns(_given(options, "num_returns", "streaming" if generator else 1))
        self._num_returns = num_returns
        max_retries = int(_given(options, "max_retries", 3))
        retry = options.get("retry_exceptions", False)
        stored = 1 if isinstance(num_returns, str) else max(num_returns, 1)
        self._spec_args = (
            name,
            (name, num_returns if num_returns == "dynamic" else stored, max_retries, retry),
            stored,
            float(_given(options, "num_cpus", 1)),
            float(options.get("num_gpus", 0) or 0),
            _resource_list(options.get("resources"), options.get("memory")),
        )
        self._spec: Any = None
        functools.update_wrapper(self, function)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            f"Remote functions cannot be called directly. Instead of running "
            f"'{self._name}()', try '{self._name}.remote()'."
        )

    def remote(self, *args: Any, **kwargs: Any) -> Any:
        """Submits a call; returns its ``ObjectRef`` (a list of them with
        ``num_returns > 1``, ``None`` with ``num_returns=0``, an ``ObjectRefGenerator``
        for generators)."""
        if self._spec is None:
            f = self._function
            name = f"{getattr(f, '__module__', None)}.{getattr(f, '__name__', self._name)}"
            runs = _export(f, name, "remote function")
            name, payload, *rest = self._spec_args
            self._spec = _native.TaskSpec(name, (runs, *payload), *rest)
        a = self._arity
        if kwargs or not a.low <= len(args) <= a.high:
            a.check(args, kwargs)
        submit = self._spec.submit
        if self._num_returns == "streaming":
            submit = self._spec.submit_streaming
        try:
            refs = submit(pack(args, kwargs))
        except RuntimeError:
            if _native.is_initialized():
                raise
            _auto_init()
            refs = submit(pack(args, kwargs))
        n = self._num_returns
        if n == "streaming":
            return ObjectRefGenerator(refs)
        if n == "dynamic":
            return refs[0]
        if n == 1:
            return refs[0]
        if n == 0:
            return None
        return refs

    def options(self, **options: Any) -> "RemoteFunction":
        """A copy with some options replaced (Ray's ``f.options(...)``)."""
        return RemoteFunction(self._function, {**self._options, **options})

    def __reduce__(self) -> Any:
        # As in Ray, a remote function can be passed to a task or stored in a value:
        # inside a RustyRay value it travels as itself, elsewhere it is rebuilt from
        # its function and options.
        return reduce_live(self, (RemoteFunction, (self._function, self._options)))

    def __repr__(self) -> str:
        return f"RemoteFunction({self._name})"


class _Calls:
    """What the methods of one actor handle share: its native handle (and one per
    concurrency group) and its count of pending calls for ``max_pending_calls``."""

    __slots__ = ("native", "groups", "limit", "pending", "lock", "actor")

    def __init__(self, native: Any, limit: int, actor: str) -> None:
        self.native = native
        self.groups: Dict[str, Any] = {}
        self.limit = limit
        self.pending = 0
        self.lock = threading.Lock()
        self.actor = actor

    def in_group(self, group: Optional[str]) -> Any:
        if group is None:
            return self.native
        native = self.groups.get(group)
        if native is None:
            native = self.groups[group] = self.native.in_group(group)
        return native

    def enter(self, name: str) -> None:
        with self.lock:
            if self.pending >= self.limit:
                raise PendingCallsLimitExceeded(
                    f"The task {name} could not be submitted to {self.actor} because more "
                    f"than {self.limit} tasks are queued on the actor. This limit can be "
                    "adjusted with the `max_pending_calls` actor option."
                )
            self.pending += 1

    def leave(self) -> None:
        with self.lock:
            self.pending -= 1


class ActorMethod:
    """``handle.method``: call ``handle.method.remote(...)``."""

    __slots__ = (
        "_native",
        "_name",
        "_method",
        "_num_returns",
        "_arity",
        "_calls",
        "_group",
        "_owner",
    )

    def __init__(
        self,
        native: Any,
        name: str,
        method: str,
        num_returns: Any = 1,
        arity: Optional[_options.Arity] = None,
        calls: Optional[_Calls] = None,
        group: Optional[str] = None,
    ) -> None:
        self._native = native
        self._name = name
        self._method = method
        self._num_returns = num_returns
        self._arity = arity or _NO_ARGS
        # Only for handles with ``max_pending_calls`` or concurrency groups.
        self._calls = calls
        self._group = group
        # The handle, kept alive by its method as in Ray (``Named.remote().m.remote()``
        # must not end a named actor before the call is submitted).
        self._owner: Any = None

    def __reduce__(self) -> Any:
        # As in Ray, a bound actor method can be passed to a task (it names its actor).
        return reduce_live(self, (_unpicklable_handle, (self._name,)))

    def remote(self, *args: Any, **kwargs: Any) -> Any:
        a = self._arity
        if kwargs or not a.low <= len(args) <= a.high:
            a.check(args, kwargs)
        n = self._num_returns
        calls = self._calls
        if _task_local.in_task:
            return self._remote_in_task(args, kwargs)
        if calls is not None and calls.limit >= 0 and n != "streaming":
            return self._remote_counted(calls, args, kwargs)
        if n == 1 or n == "dynamic":
            return self._native.call(self._method, pack(args, kwargs))
        if n == "streaming":
            return ObjectRefGenerator(
                self._native.call_streaming(self._method, pack(args, kwargs)), self._native
            )
        return self._returns(self._native.call(self._method, pack(args, kwargs)))

    def _remote_in_task(self, args: Any, kwargs: Any) -> Any:
        # A call made by a task: recorded so that cancelling the task cancels it too.
        n = self._num_returns
        calls = self._calls
        if n == "streaming":
            gen = ObjectRefGenerator(
                self._native.call_streaming(self._method, pack(args, kwargs)), self._native
            )
            _worker.note_actor_call(gen)
            return gen
        if calls is not None and calls.limit >= 0:
            calls.enter(self._name)
        try:
            ref = self._native.call(self._method, pack(args, kwargs))
        except BaseException:
            if calls is not None and calls.limit >= 0:
                calls.leave()
            raise
        if calls is not None and calls.limit >= 0:
            ref._on_ready(calls.leave)
        _worker.note_actor_call(ref)
        return self._returns(ref)

    def _returns(self, ref: ObjectRef) -> Any:
        n = self._num_returns
        if n == 1 or n == "dynamic":
            return ref
        if n == 0:
            return None
        # The call stores its tuple once; each return is an element of it, and an error
        # of the call is the error of every one.
        return [_pick_spec().submit(pack((ref, i, n), {}))[0] for i in range(n)]

    def _remote_counted(self, calls: _Calls, args: Any, kwargs: Any) -> Any:
        calls.enter(self._name)
        try:
            ref = self._native.call(self._method, pack(args, kwargs))
        except BaseException:
            calls.leave()
            raise
        ref._on_ready(calls.leave)
        return self._returns(ref)

    def options(self, **options: Any) -> "ActorMethod":
        """A copy with ``num_returns`` or ``concurrency_group`` replaced (Ray's
        ``handle.method.options(...)``)."""
        _options.validate(options, _options.METHOD_OPTIONS, "actor methods")
        n = _num_returns(_given(options, "num_returns", self._num_returns))
        if (n == "dynamic") != (self._num_returns == "dynamic"):
            raise NotImplementedError(
                "num_returns='dynamic' on an actor method is supported through "
                "@method(num_returns='dynamic') only, not switched by .options()"
            )
        native, group = self._native, self._group
        if options.get("concurrency_group") is not None:
            group = options["concurrency_group"]
            if self._calls is None:
                raise ValueError(
                    f"{self._name} cannot run in concurrency group {group!r}: the actor "
                    "declares no concurrency_groups"
                )
            native = self._calls.in_group(group)
        method = ActorMethod(native, self._name, self._method, n, self._arity, self._calls, group)
        method._owner = self._owner
        return method

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            f"Actor methods cannot be called directly. Instead of running "
            f"'object.{self._method}()', try 'object.{self._method}.remote()'."
        )


def _pick(values: Any, index: int, count: int) -> Any:
    if isinstance(values, _worker.GeneratorValues):
        # As in Ray: each value yielded before an error (or an early end) is kept, the
        # returns the generator did not reach hold the error, extra values are dropped.
        if index < len(values):
            return values[index]
        if values and type(values[-1]) is StoredFailure:
            return values[-1]
        raise ValueError(f"Task returned {len(values)} objects, but num_returns={count}.")
    values = tuple(values)
    if len(values) != count:
        raise ValueError(f"Task returned {len(values)} objects, but num_returns={count}.")
    return values[index]


_pick_specs: List[Any] = []


def _pick_spec() -> Any:
    # Zero CPUs: picking an element must not wait for a CPU the caller may hold.
    if not _pick_specs:
        _pick_specs.append(
            _native.TaskSpec("ActorMethod.num_returns", (_pick, "num_returns", 1, 0, False), 1, 0.0)
        )
    return _pick_specs[0]


class _ActorMeta:
    __slots__ = (
        "class_name",
        "methods",
        "sequential",
        "is_async",
        "groups",
        "arities",
        "max_pending_calls",
        "declares_groups",
        "dir_names",
        "__weakref__",
    )

    def __init__(
        self,
        class_name: str,
        methods: Dict[str, Any],
        sequential: bool,
        is_async: bool,
        groups: Optional[Dict[str, str]] = None,
        arities: Optional[Dict[str, _options.Arity]] = None,
        max_pending_calls: int = -1,
        declares_groups: bool = False,
        dir_names: Optional[List[str]] = None,
    ) -> None:
        self.class_name = class_name
        # Method name -> its num_returns.
        self.methods = methods
        # Calls run inline on the actor's task (one at a time, no concurrency groups).
        self.sequential = sequential
        self.is_async = is_async
        # Method name -> its concurrency group (``@method(concurrency_group=...)``).
        self.groups = groups or {}
        # Method name -> its signature.
        self.arities = arities or {}
        self.max_pending_calls = max_pending_calls
        self.declares_groups = declares_groups
        # What ``dir(handle)`` lists.
        self.dir_names = dir_names or sorted(set(methods) | {"__init__"})


_named_meta: Dict[str, _ActorMeta] = {}
# Metadata of live actors by ID, for ``get_runtime_context().current_actor``.
_actor_meta: "weakref.WeakValueDictionary[str, _ActorMeta]" = weakref.WeakValueDictionary()

# Named actors that are not detached live while a handle to them does (as in Ray): the
# number of live handles by actor ID, and a native handle to end the actor with.
_handle_counts: Dict[str, int] = {}
_scoped_natives: Dict[str, Any] = {}


def _handle_gone(actor_id: str) -> None:
    with _lock:
        left = _handle_counts.get(actor_id, 0) - 1
        if left > 0:
            _handle_counts[actor_id] = left
            return
        _handle_counts.pop(actor_id, None)
        native = _scoped_natives.pop(actor_id, None)
    if native is None:
        return
    try:
        # Ends after the calls already queued, as an actor whose handles are gone in Ray.
        _worker.terminating[actor_id] = native
        native.call("__ray_terminate__", [None])
    except Exception:  # noqa: BLE001 - the runtime is gone (shut down, exiting)
        _worker.terminating.pop(actor_id, None)


class ActorHandle:
    """A handle to an actor: ``handle.method.remote(...)``. Handles can be passed to
    tasks and other actors; an actor that is not detached stops when its last handle is
    gone."""

    def __init__(self, native: Any, meta: _ActorMeta, counted: bool = True) -> None:
        self._native_handle = native
        self._meta = meta
        self._calls: Optional[_Calls] = None
        if meta.declares_groups or meta.max_pending_calls >= 0:
            self._calls = _Calls(native, meta.max_pending_calls, repr(self))
        actor_id = native.actor_id()
        # A handle from ``get_actor`` does not keep the actor alive (as in Ray, where
        # looking an actor up by name acts as a weak reference).
        self._scoped = counted and actor_id in _scoped_natives
        if self._scoped:
            with _lock:
                _handle_counts[actor_id] = _handle_counts.get(actor_id, 0) + 1

    def __del__(self) -> None:
        if self.__dict__.get("_scoped"):
            try:
                _handle_gone(self._native_handle.actor_id())
            except Exception:  # noqa: BLE001 - at interpreter exit
                pass

    def __getattr__(self, name: str) -> ActorMethod:
        meta = self.__dict__.get("_meta")
        if meta is None or name not in meta.methods:
            raise AttributeError(
                f"'{meta.class_name if meta else 'ActorHandle'}' actor has no method '{name}'"
            )
        calls = self._calls
        group = meta.groups.get(name)
        native = self._native_handle if calls is None else calls.in_group(group)
        method = ActorMethod(
            native,
            f"{meta.class_name}.{name}",
            name,
            meta.methods[name],
            meta.arities.get(name),
            calls,
            group,
        )
        if self._scoped:
            # Not cached: the method refers to the handle, and a cycle would keep the
            # handle (and so the actor) alive until the garbage collector runs.
            method._owner = self
        else:
            self.__dict__[name] = method
        return method

    def __reduce__(self) -> Any:
        return reduce_live(self, (_unpicklable_handle, (self._native_handle.actor_id(),)))

    def __dir__(self) -> List[str]:
        return list(self._meta.dir_names)

    def __repr__(self) -> str:
        return f"Actor({self._meta.class_name}, {self._native_handle.actor_id()})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ActorHandle) and other._native_handle == self._native_handle

    def __hash__(self) -> int:
        return hash(self._native_handle)


def _unpicklable_handle(actor_id: str) -> Any:
    raise exceptions.RaySystemError(
        f"the handle of actor {actor_id} was pickled outside a RustyRay value"
    )


# Methods every actor has (Ray's): ``__ray_ready__`` returns once the actor is
# constructed, ``__ray_call__(fn, *args)`` runs ``fn(instance, *args)`` in the actor,
# ``__ray_terminate__`` ends it after the calls queued before it.
_BUILTIN_METHODS = {"__ray_ready__": 1, "__ray_call__": 1, "__ray_terminate__": 1}
_NO_ARGS = _options.Arity(lambda: None)
_RAY_CALL_ARGS = _options.Arity(lambda fn, *args, **kwargs: None)


def _public_methods(
    cls: type,
) -> Tuple[Dict[str, Any], Dict[str, str], Dict[str, _options.Arity]]:
    """Method name -> num_returns (``@method``, else streaming for generators), method
    name -> concurrency group, method name -> signature."""
    methods: Dict[str, Any] = dict(_BUILTIN_METHODS)
    groups: Dict[str, str] = {}
    arities: Dict[str, _options.Arity] = {}
    for name, member in inspect.getmembers(cls):
        if name.startswith("__") and name.endswith("__"):
            continue
        if callable(member):
            generator = inspect.isgeneratorfunction(member) or inspect.isasyncgenfunction(member)
            default = "streaming" if generator else 1
            methods[name] = getattr(member, "__rustyray_num_returns__", default)
            group = getattr(member, "__rustyray_concurrency_group__", None)
            if group is not None:
                groups[name] = group
            bound = isinstance(inspect.getattr_static(cls, name), (staticmethod, classmethod))
            arities[name] = _options.Arity(member, skip_first=not bound)
    arities["__ray_call__"] = _RAY_CALL_ARGS
    return methods, groups, arities


def _handle_dir(cls: type, methods: Dict[str, Any]) -> List[str]:
    """What ``dir()`` of a handle lists, as in Ray: the actor's methods, the built-in
    ones, ``__init__``, and the special methods the class defines in Python."""
    names = set(methods) | {"__init__"}
    names.update(
        name
        for name, member in inspect.getmembers(cls)
        if name.startswith("__")
        and name.endswith("__")
        and (inspect.isfunction(member) or inspect.ismethod(member))
    )
    return sorted(names)


def _constructor_arity(cls: type) -> _options.Arity:
    if cls.__init__ is object.__init__:
        return _NO_ARGS
    return _options.Arity(cls.__init__, skip_first=True)


class ActorClassInheritanceException(TypeError):
    """Raised by a ``class`` statement that names an actor class as a base (Ray's
    ``ray.actor.ActorClassInheritanceException``)."""


class ActorClass:
    """A class made remote by ``@rustyray.remote``: ``Cls.remote(...)`` creates an actor."""

    def __mro_entries__(self, bases: Tuple[Any, ...]) -> Tuple[type, ...]:
        # Python asks a non-class base for its classes when a class statement names it:
        # an actor class cannot be one (as in Ray).
        raise ActorClassInheritanceException(
            f"Attempted to define a subclass of actor class '{self._cls.__name__}'. "
            "Inheriting from actor classes is not currently supported. You can instead "
            "inherit from a non-actor base class and make the derived class an actor "
            "class (with @rustyray.remote)."
        )

    def __init__(self, cls: type, options: Dict[str, Any]) -> None:
        _options.validate_actor(options, in_options=False)
        self._cls = cls
        self._options = options
        self._methods, self._groups, self._arities = _public_methods(cls)
        self._arity = _constructor_arity(cls)
        self._dir = _handle_dir(cls, self._methods)
        # As in Ray, one async method makes every method run on the actor's event loop.
        self._is_async = any(
            inspect.iscoroutinefunction(member) or inspect.isasyncgenfunction(member)
            for name, member in inspect.getmembers(cls)
            if name in self._methods
        )
        groups = options.get("concurrency_groups")
        if isinstance(groups, list):
            raise NotImplementedError(
                "concurrency_groups as a list is not supported by RustyRay; pass a dict "
                "of group name -> max concurrency"
            )
        declared = set(groups or {})
        for name, group in self._groups.items():
            if group not in declared:
                raise ValueError(
                    f"The method {cls.__name__}.{name} is in concurrency group "
                    f"{group!r}, which the actor does not declare (declared: "
                    f"{sorted(declared) or 'none'})"
                )
        self.__name__ = cls.__name__
        self.__qualname__ = cls.__qualname__
        self.__doc__ = cls.__doc__
        self.__module__ = cls.__module__

    def __getattr__(self, name: str) -> Any:
        # As in Ray, the class's own attributes (class attributes, classmethods,
        # staticmethods, also inherited ones) are reachable through the actor class.
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        cls = self.__dict__.get("_cls")
        if cls is None:
            raise AttributeError(name)
        return getattr(cls, name)

    def __dir__(self) -> List[str]:
        # As in Ray, the methods show beside options() and remote() (autocompletion).
        own = (name for name in self._methods if not name.startswith("__"))
        return sorted(set(object.__dir__(self)) | set(own))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        name = self._cls.__name__
        raise TypeError(
            f"Actors cannot be instantiated directly. Instead of '{name}()', use '{name}.remote()'."
        )

    def options(self, **options: Any) -> "ActorClass":
        """A copy with some options replaced (Ray's ``Cls.options(...)``)."""
        _options.validate_actor(options, in_options=True)
        return ActorClass(self._cls, {**self._options, **options})

    def remote(self, *args: Any, **kwargs: Any) -> ActorHandle:
        _export(self._cls, self._cls.__name__, "actor")
        a = self._arity
        if kwargs or not a.low <= len(args) <= a.high:
            a.check(args, kwargs)
        if not _native.is_initialized():
            _auto_init()
        o = self._options
        name = o.get("name")
        namespace = o.get("namespace")
        max_concurrency = int(_given(o, "max_concurrency", 1000 if self._is_async else 1))
        max_restarts = int(_given(o, "max_restarts", 0))
        if max_restarts == -1:
            max_restarts = 2**32 - 1  # unbounded
        groups = [(str(g), int(n)) for g, n in (o.get("concurrency_groups") or {}).items()]
        meta = _ActorMeta(
            self._cls.__name__,
            self._methods,
            max_concurrency == 1 and not groups,
            self._is_async,
            self._groups,
            self._arities,
            int(_given(o, "max_pending_calls", -1)),
            bool(groups),
            self._dir,
        )
        native = _native.create_actor(
            (self._cls, self._cls.__name__, self._is_async),
            pack(args, kwargs),
            float(o.get("num_cpus", 0) or 0),
            float(o.get("num_gpus", 0) or 0),
            _resource_list(o.get("resources"), o.get("memory")),
            max_restarts,
            max_concurrency,
            name,
            bool(o.get("get_if_exists", False)),
            self._is_async,
            namespace,
            groups,
        )
        actor_id = native.actor_id()
        _worker.actor_handles[actor_id] = native
        if name is not None:
            with _lock:
                known = _named_meta.get(actor_id)
                if known is None:
                    _named_meta[actor_id] = meta
                    if o.get("lifetime") != "detached":
                        _scoped_natives[actor_id] = native
                else:
                    meta = known
        _actor_meta[actor_id] = meta
        return ActorHandle(native, meta)

    def __repr__(self) -> str:
        return f"ActorClass({self._cls.__name__})"


def remote(*args: Any, **options: Any) -> Any:
    """``@rustyray.remote`` or ``@rustyray.remote(num_cpus=..., ...)`` on a function or a
    class (Ray's ``@ray.remote``)."""
    if len(args) == 1 and not options and callable(args[0]):
        return _make_remote(args[0], {})
    if args or not options:
        # Ray asserts this; the same exception type and meaning.
        raise AssertionError(_options.REMOTE_ARGS_ERROR)
    return lambda target: _make_remote(target, options)


def _make_remote(target: Any, options: Dict[str, Any]) -> Any:
    if inspect.isclass(target):
        return ActorClass(target, options)
    if inspect.isfunction(target) or inspect.ismethod(target) or callable(target):
        return RemoteFunction(target, options)
    raise TypeError("The @rustyray.remote decorator must be applied to either a function or a class.")


def method(*args: Any, **options: Any) -> Any:
    """Ray's ``@ray.method(...)`` on an actor method: ``num_returns`` (an integer, the
    method returns that many values, each its own ref; ``"streaming"`` or
    ``"dynamic"``) and ``concurrency_group`` (the group of the actor's
    ``concurrency_groups`` its calls run in)."""
    if args or not options:
        # Ray asserts this; the same exception type and meaning.
        raise AssertionError(
            "The @rustyray.method decorator must be applied using at least one of the "
            f"arguments in the list {list(_options.METHOD_OPTIONS)}, for example "
            "'@rustyray.method(num_returns=2)'."
        )
    _options.validate(options, _options.METHOD_OPTIONS, "@method")

    def decorate(f: Any) -> Any:
        if options.get("num_returns") is not None:
            f.__rustyray_num_returns__ = _num_returns(options["num_returns"])
        if options.get("concurrency_group") is not None:
            f.__rustyray_concurrency_group__ = options["concurrency_group"]
        return f

    return decorate


def get(
    object_refs: Union[ObjectRef, Sequence[ObjectRef]], *, timeout: Optional[float] = None
) -> Any:
    """The value of a ref, or the values of a list of refs, waiting up to ``timeout``
    seconds (``GetTimeoutError``) with the GIL released. A failed task's exception is
    raised as ``RayTaskError`` (also an instance of the original class)."""
    if type(object_refs) is ObjectRef:
        return deserialize(_native.get([object_refs], timeout)[0])
    if isinstance(object_refs, (list, tuple)):
        refs = list(object_refs)
        return [deserialize(v) for v in _native.get(refs, timeout)]
    raise ValueError(
        "'object_refs' must either be an ObjectRef or a list of ObjectRefs, "
        f"got {type(object_refs).__name__}"
    )


def put(value: Any) -> ObjectRef:
    """Stores ``value`` in the object store and returns its ref (Ray's ``ray.put``)."""
    if type(value) is ObjectRef:
        raise TypeError("Calling 'put' on an ObjectRef is not allowed.")
    stored = serialize(value)
    try:
        return _native.put(stored)
    except RuntimeError:
        if _native.is_initialized():
            raise
        _auto_init()
        return _native.put(stored)


def wait(
    object_refs: Sequence[ObjectRef],
    *,
    num_returns: int = 1,
    timeout: Optional[float] = None,
    fetch_local: bool = True,
) -> Tuple[List[ObjectRef], List[ObjectRef]]:
    """``(ready, not_ready)`` once ``num_returns`` refs are ready or ``timeout`` seconds
    passed; both lists keep the order of ``object_refs`` (Ray's ``ray.wait``)."""
    if type(object_refs) is ObjectRef or not isinstance(object_refs, (list, tuple)):
        raise TypeError("wait() expected a list of ObjectRef")
    refs = list(object_refs)
    if any(isinstance(r, ObjectRefGenerator) for r in refs):
        raise NotImplementedError(
            "wait() on an ObjectRefGenerator is not supported by RustyRay; iterate it "
            "(next(gen) blocks until the next item is ready)"
        )
    if len(set(refs)) != len(refs):
        raise ValueError("Wait requires a list of unique object refs.")
    if num_returns <= 0:
        raise ValueError("Invalid number of objects to return, must be positive.")
    if not refs:
        return [], []
    ready_at = set(_native.wait(refs, num_returns, timeout))
    ready = [r for i, r in enumerate(refs) if i in ready_at]
    not_ready = [r for i, r in enumerate(refs) if i not in ready_at]
    return ready, not_ready


def _is_actor_task(ref: ObjectRef) -> bool:
    # A task ID is 8 bytes of its own then its actor's ID (12 bytes + the job's 4); a
    # task of no actor has the actor part's 12 bytes all 0xff.
    return ref.task_id()[16:40] != "f" * 24


def cancel(object_ref: ObjectRef, *, force: bool = False, recursive: bool = True) -> None:
    """Cancels the task producing ``object_ref`` (Ray's ``ray.cancel``); ``get`` raises
    ``TaskCancelledError``. A task that has not started never runs; a running task gets
    ``KeyboardInterrupt`` at its next Python bytecode (code blocked in C, such as
    ``time.sleep``, sees it when it returns) and its CPU is free at once. With
    ``recursive`` the tasks it submitted are cancelled too. A running call of an async
    actor is cancelled as its asyncio task; a running call of a sync actor runs on (as
    in Ray). ``force=True`` is a ``ValueError`` for actor tasks (as in Ray) and not
    supported for tasks."""
    if isinstance(object_ref, ObjectRefGenerator):
        if force:
            raise NotImplementedError(
                "cancel(force=True) is not supported by RustyRay: Ray kills the worker "
                "process running the task, and RustyRay runs tasks in this process. Use "
                "force=False, which interrupts the task at its next bytecode."
            )
        object_ref._stream.cancel()
        return
    if type(object_ref) is not ObjectRef:
        raise TypeError(
            "rustyray.cancel() only supported for object refs. For actors, try "
            f"rustyray.kill(). Got: {type(object_ref)}."
        )
    actor_task = _is_actor_task(object_ref)
    if force:
        if actor_task:
            raise ValueError("force=True is not supported for actor tasks.")
        raise NotImplementedError(
            "cancel(force=True) is not supported by RustyRay: Ray kills the worker process "
            "running the task, and RustyRay runs tasks in this process. Use force=False, "
            "which interrupts the task at its next bytecode."
        )
    _, interrupted = _native.cancel(object_ref, recursive)
    if actor_task:
        _worker.cancel_on_loop(object_ref.task_id())
    if _worker.actor_children:
        # The runtime cancelled the task (and with `recursive` the tasks under it); the
        # actor calls they made are cancelled here, as Ray's recursive cancel does.
        for task_id in {object_ref.task_id(), *interrupted}:
            calls = _worker.actor_children.pop(task_id, ())
            if recursive:
                for call in calls:
                    cancel(call, recursive=True)


def kill(actor: ActorHandle, *, no_restart: bool = True) -> None:
    """Kills an actor (Ray's ``ray.kill``); pending and later calls raise
    ``ActorDiedError``. With ``no_restart=False`` it restarts if ``max_restarts`` allows."""
    if not isinstance(actor, ActorHandle):
        raise ValueError(f"kill() expected an actor handle, got {type(actor).__name__}")
    actor._native_handle.kill(no_restart)


def get_actor(name: str, namespace: Optional[str] = None) -> ActorHandle:
    """The live actor created with ``name=`` in ``namespace`` (default: the job's), as
    Ray's ``ray.get_actor``; ``ValueError`` if there is none."""
    if not name:
        raise ValueError("Please supply a non-empty value to get_actor")
    if not isinstance(name, str):
        raise TypeError(f"The actor name must be a string, got {type(name).__name__}")
    if namespace is not None:
        _check_namespace(namespace)
    if not _native.is_initialized():
        _auto_init()
    try:
        native = _native.get_actor(name, False, False, namespace)
    except ValueError:
        native = None
    meta = None if native is None else _named_meta.get(native.actor_id())
    if meta is None or not native.is_alive():
        raise ValueError(
            f"Failed to look up actor with name '{name}'. This could be because 1. You "
            "are trying to look up a named actor you didn't create. 2. The named actor "
            "died. 3. You did not use a namespace matching the namespace of the actor."
        )
    if meta.sequential or meta.is_async:
        native = _native.get_actor(name, meta.sequential, meta.is_async, namespace)
    return ActorHandle(native, meta, counted=False)


class RuntimeContext:
    """What ``get_runtime_context()`` returns (Ray's ``RuntimeContext``): the job, and
    the task and actor of the running code."""

    def __init__(self) -> None:
        self._task_id, self._actor_id, _ = _worker.current_ids()

    def get_job_id(self) -> str:
        return _native.job_id()

    def get_task_id(self) -> Optional[str]:
        """The running task's ID in hex; ``None`` on the driver."""
        return self._task_id

    def get_actor_id(self) -> Optional[str]:
        """The ID of the actor whose method (or ``__init__``) runs, in hex; ``None``
        elsewhere."""
        return self._actor_id

    def get_actor_name(self) -> Optional[str]:
        """The name of the running actor (``None`` if unnamed, or not in an actor)."""
        native = _worker.actor_handles.get(self._actor_id or "")
        return None if native is None else native.name()

    def get_task_name(self) -> Optional[str]:
        """The running task's name (its ``name=`` option, else the function's name;
        ``Class.method`` for an actor call); ``None`` on the driver."""
        names = _worker.running_name.get()
        return None if names is None else names[0]

    def get_task_function_name(self) -> Optional[str]:
        """The running task's function as ``module.function`` (``module.Class.method``
        for an actor call); ``None`` on the driver."""
        names = _worker.running_name.get()
        return None if names is None else names[1]

    def get_node_id(self) -> str:
        # One process is one node.
        return _native.job_id()

    def get_namespace(self) -> str:
        """The job's namespace (``init(namespace=)``, else an anonymous one)."""
        return _native.namespace()

    @property
    def namespace(self) -> str:
        return _native.namespace()

    @property
    def current_actor(self) -> ActorHandle:
        """A handle to the running actor; raises outside an actor."""
        native = _worker.actor_handles.get(self._actor_id or "")
        if native is None:
            raise RuntimeError("This method is only available in an actor.")
        meta = _named_meta.get(native.actor_id()) or _actor_meta.get(native.actor_id())
        if meta is None:
            raise RuntimeError("This method is only available in an actor.")
        return ActorHandle(native, meta)

    @property
    def was_current_actor_reconstructed(self) -> bool:
        """True in an actor that was restarted at least once."""
        native = _worker.actor_handles.get(self._actor_id or "")
        return native is not None and native.num_restarts() > 0

    def get(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"job_id": self.get_job_id(), "node_id": self.get_node_id()}
        if self._task_id is not None:
            out["task_id"] = self._task_id
        if self._actor_id is not None:
            out["actor_id"] = self._actor_id
        return out


def get_runtime_context() -> RuntimeContext:
    """The context of the running code (Ray's ``ray.get_runtime_context()``)."""
    if not _native.is_initialized():
        _auto_init()
    return RuntimeContext()


def _live_objects() -> int:
    """Objects alive in the object store (a debugging counter)."""
    return _native.live_objects()


def _shutdown_at_exit() -> None:
    try:
        _native.shutdown(True)
    except Exception:  # pragma: no cover - best effort at exit
        pass


atexit.register(_shutdown_at_exit)

from . import actor  # noqa: E402 - ray.actor.exit_actor(); needs the classes above
