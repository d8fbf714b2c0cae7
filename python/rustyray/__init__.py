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
import threading
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import _native, exceptions
from ._serialization import deserialize, reduce_live, serialize
from ._worker import pack
from .exceptions import (
    ActorDiedError,
    GetTimeoutError,
    RayActorError,
    RayError,
    RayTaskError,
    TaskCancelledError,
)

__version__ = "0.1.0"

__all__ = [
    "ObjectRef",
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

_lock = threading.RLock()
_custom_resources: List[str] = []

# Options of ``ray.init`` that have no meaning in one process; accepted and ignored.
_IGNORED_INIT_OPTIONS = frozenset(
    {
        "address",
        "namespace",
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
    num_cpus: Optional[float] = None,
    num_gpus: Optional[float] = None,
    resources: Optional[Dict[str, float]] = None,
    *,
    ignore_reinit_error: bool = False,
    object_store_capacity: Optional[int] = None,
    **kwargs: Any,
) -> RustyRayContext:
    """Starts the runtime (Ray's ``ray.init``). ``num_cpus`` defaults to the machine's
    CPUs; ``object_store_capacity`` bounds the number of live objects. Cluster options
    (``address``, ``namespace``, ``runtime_env``, ...) are accepted and ignored."""
    unknown = set(kwargs) - _IGNORED_INIT_OPTIONS
    if unknown:
        raise TypeError(f"init() got unexpected keyword arguments: {sorted(unknown)}")
    address = kwargs.get("address")
    if address not in (None, "local", "auto"):
        raise ValueError("RustyRay runs in this process; it cannot connect to a cluster")
    with _lock:
        if _native.is_initialized():
            if ignore_reinit_error:
                return RustyRayContext(_total("CPU"))
            raise RuntimeError(
                "Maybe you called rustyray.init twice by accident? This error can be "
                "suppressed by passing in 'ignore_reinit_error=True' or by calling "
                "'rustyray.shutdown()' prior to 'rustyray.init()'."
            )
        custom = sorted((str(k), float(v)) for k, v in (resources or {}).items())
        _native.init(
            None if num_cpus is None else float(num_cpus),
            float(num_gpus or 0.0),
            custom,
            object_store_capacity,
        )
        _custom_resources[:] = [k for k, _ in custom]
        return RustyRayContext(_total("CPU"))


def shutdown() -> None:
    """Stops the runtime (Ray's ``ray.shutdown``): pending tasks are cancelled, actors
    stop. Safe to call when not initialized."""
    with _lock:
        _native.shutdown()


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


_TASK_OPTIONS = frozenset(
    {"num_cpus", "num_gpus", "resources", "num_returns", "max_retries", "retry_exceptions", "name"}
)
_IGNORED_TASK_OPTIONS = frozenset(
    {"memory", "runtime_env", "scheduling_strategy", "max_calls", "accelerator_type", "label_selector"}
)
_ACTOR_OPTIONS = frozenset(
    {"num_cpus", "num_gpus", "resources", "max_restarts", "max_concurrency", "name", "get_if_exists", "lifetime"}
)
_IGNORED_ACTOR_OPTIONS = frozenset(
    {"memory", "runtime_env", "scheduling_strategy", "max_task_retries", "namespace", "accelerator_type", "concurrency_groups", "label_selector"}
)


def _check_options(options: Dict[str, Any], known: frozenset, ignored: frozenset) -> None:
    for key in options:
        if key not in known and key not in ignored:
            raise ValueError(f"Invalid option keyword {key} for remote functions or actors.")


def _resource_list(resources: Optional[Dict[str, float]]) -> List[Tuple[str, float]]:
    if not resources:
        return []
    for name in ("CPU", "GPU"):
        if name in resources:
            raise ValueError(f"Use the '{name.lower()}s' arguments, not resources={{'{name}': ...}}")
    return [(str(k), float(v)) for k, v in resources.items()]


class RemoteFunction:
    """A function made remote by ``@rustyray.remote``: call ``f.remote(...)``."""

    def __init__(self, function: Callable[..., Any], options: Dict[str, Any]) -> None:
        _check_options(options, _TASK_OPTIONS, _IGNORED_TASK_OPTIONS)
        self._function = function
        self._options = options
        name = options.get("name") or getattr(function, "__qualname__", repr(function))
        self._name = name
        num_returns = options.get("num_returns", 1)
        if not isinstance(num_returns, int) or num_returns < 0:
            raise ValueError("num_returns must be a non-negative integer")
        self._num_returns = num_returns
        max_retries = int(options.get("max_retries", 3))
        retry = options.get("retry_exceptions", False)
        self._spec = _native.TaskSpec(
            name,
            (function, name, max(num_returns, 1), max_retries, retry),
            max(num_returns, 1),
            float(options.get("num_cpus", 1)),
            float(options.get("num_gpus", 0) or 0),
            _resource_list(options.get("resources")),
        )
        functools.update_wrapper(self, function)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            f"Remote functions cannot be called directly. Instead of running "
            f"'{self._name}()', try '{self._name}.remote()'."
        )

    def remote(self, *args: Any, **kwargs: Any) -> Any:
        """Submits a call; returns its ``ObjectRef`` (a list of them with
        ``num_returns > 1``, ``None`` with ``num_returns=0``)."""
        try:
            refs = self._spec.submit(pack(args, kwargs))
        except RuntimeError:
            if _native.is_initialized():
                raise
            _auto_init()
            refs = self._spec.submit(pack(args, kwargs))
        n = self._num_returns
        if n == 1:
            return refs[0]
        if n == 0:
            return None
        return refs

    def options(self, **options: Any) -> "RemoteFunction":
        """A copy with some options replaced (Ray's ``f.options(...)``)."""
        return RemoteFunction(self._function, {**self._options, **options})

    def __repr__(self) -> str:
        return f"RemoteFunction({self._name})"


class ActorMethod:
    """``handle.method``: call ``handle.method.remote(...)``."""

    __slots__ = ("_native", "_name", "_method")

    def __init__(self, native: Any, name: str, method: str) -> None:
        self._native = native
        self._name = name
        self._method = method

    def remote(self, *args: Any, **kwargs: Any) -> ObjectRef:
        return self._native.call(self._method, pack(args, kwargs))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            f"Actor methods cannot be called directly. Instead of running "
            f"'object.{self._method}()', try 'object.{self._method}.remote()'."
        )


class _ActorMeta:
    __slots__ = ("class_name", "methods", "sequential")

    def __init__(self, class_name: str, methods: frozenset, sequential: bool) -> None:
        self.class_name = class_name
        self.methods = methods
        self.sequential = sequential


_named_meta: Dict[str, _ActorMeta] = {}


class ActorHandle:
    """A handle to an actor: ``handle.method.remote(...)``. Handles can be passed to
    tasks and other actors; an unnamed actor stops when its last handle is gone."""

    def __init__(self, native: Any, meta: _ActorMeta) -> None:
        self._native_handle = native
        self._meta = meta

    def __getattr__(self, name: str) -> ActorMethod:
        meta = self.__dict__.get("_meta")
        if meta is None or name not in meta.methods:
            raise AttributeError(
                f"'{meta.class_name if meta else 'ActorHandle'}' actor has no method '{name}'"
            )
        method = ActorMethod(self._native_handle, f"{meta.class_name}.{name}", name)
        self.__dict__[name] = method
        return method

    def __reduce__(self) -> Any:
        return reduce_live(self, (_unpicklable_handle, (self._native_handle.actor_id(),)))

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


def _public_methods(cls: type) -> frozenset:
    names = set()
    for name, member in inspect.getmembers(cls):
        if name.startswith("__") and name.endswith("__"):
            continue
        if callable(member):
            names.add(name)
    return frozenset(names)


class ActorClass:
    """A class made remote by ``@rustyray.remote``: ``Cls.remote(...)`` creates an actor."""

    def __init__(self, cls: type, options: Dict[str, Any]) -> None:
        _check_options(options, _ACTOR_OPTIONS, _IGNORED_ACTOR_OPTIONS)
        self._cls = cls
        self._options = options
        self._methods = _public_methods(cls)
        self._is_async = any(
            inspect.iscoroutinefunction(getattr(cls, m, None)) for m in self._methods
        )
        self.__name__ = cls.__name__
        self.__qualname__ = cls.__qualname__
        self.__doc__ = cls.__doc__
        self.__module__ = cls.__module__

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        name = self._cls.__name__
        raise TypeError(
            f"Actors cannot be instantiated directly. Instead of '{name}()', use '{name}.remote()'."
        )

    def options(self, **options: Any) -> "ActorClass":
        """A copy with some options replaced (Ray's ``Cls.options(...)``)."""
        return ActorClass(self._cls, {**self._options, **options})

    def remote(self, *args: Any, **kwargs: Any) -> ActorHandle:
        if not _native.is_initialized():
            _auto_init()
        o = self._options
        name = o.get("name")
        max_concurrency = int(o.get("max_concurrency", 1000 if self._is_async else 1))
        meta = _ActorMeta(self._cls.__name__, self._methods, max_concurrency == 1)
        native = _native.create_actor(
            (self._cls, self._cls.__name__, self._is_async),
            pack(args, kwargs),
            float(o.get("num_cpus", 0) or 0),
            float(o.get("num_gpus", 0) or 0),
            _resource_list(o.get("resources")),
            int(o.get("max_restarts", 0)),
            max_concurrency,
            name,
            bool(o.get("get_if_exists", False)),
        )
        if name is not None:
            meta = _named_meta.setdefault(native.actor_id(), meta)
        return ActorHandle(native, meta)

    def __repr__(self) -> str:
        return f"ActorClass({self._cls.__name__})"


def remote(*args: Any, **options: Any) -> Any:
    """``@rustyray.remote`` or ``@rustyray.remote(num_cpus=..., ...)`` on a function or a
    class (Ray's ``@ray.remote``)."""
    if len(args) == 1 and not options and callable(args[0]):
        return _make_remote(args[0], {})
    if args:
        raise TypeError(
            "The @rustyray.remote decorator must be applied either with no arguments "
            "and no parentheses, or with keyword arguments only."
        )
    return lambda target: _make_remote(target, options)


def _make_remote(target: Any, options: Dict[str, Any]) -> Any:
    if inspect.isclass(target):
        return ActorClass(target, options)
    if callable(target):
        return RemoteFunction(target, options)
    raise TypeError("@rustyray.remote must decorate a function or a class")


def method(*, num_returns: int = 1, **_: Any) -> Callable[[Any], Any]:
    """Ray's ``@ray.method``; only ``num_returns=1`` is supported for actor methods."""
    if num_returns != 1:
        raise ValueError("RustyRay actor methods return exactly one object (num_returns=1)")
    return lambda f: f


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


def cancel(object_ref: ObjectRef, *, force: bool = False, recursive: bool = True) -> None:
    """Cancels the task producing ``object_ref`` (Ray's ``ray.cancel``): a task that has
    not started never runs; ``get`` raises ``TaskCancelledError``."""
    if type(object_ref) is not ObjectRef:
        raise TypeError(f"cancel() expected an ObjectRef, got {type(object_ref).__name__}")
    _native.cancel(object_ref)


def kill(actor: ActorHandle, *, no_restart: bool = True) -> None:
    """Kills an actor (Ray's ``ray.kill``); pending and later calls raise
    ``ActorDiedError``. With ``no_restart=False`` it restarts if ``max_restarts`` allows."""
    if not isinstance(actor, ActorHandle):
        raise ValueError(f"kill() expected an actor handle, got {type(actor).__name__}")
    actor._native_handle.kill(no_restart)


def get_actor(name: str, namespace: Optional[str] = None) -> ActorHandle:
    """The live actor created with ``name=`` (Ray's ``ray.get_actor``); ``ValueError``
    if there is none."""
    if not _native.is_initialized():
        _auto_init()
    native = _native.get_actor(name)
    meta = _named_meta.get(native.actor_id())
    if meta is None:
        raise ValueError(f"Failed to look up actor with name '{name}'")
    if meta.sequential:
        native = _native.get_actor(name, True)
    return ActorHandle(native, meta)


def _live_objects() -> int:
    """Objects alive in the object store (a debugging counter)."""
    return _native.live_objects()


def _shutdown_at_exit() -> None:
    try:
        _native.shutdown(True)
    except Exception:  # pragma: no cover - best effort at exit
        pass


atexit.register(_shutdown_at_exit)
