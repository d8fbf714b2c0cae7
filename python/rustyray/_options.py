"""Checks of the options of ``@remote``, ``.options(...)`` and ``@method``, with the
exception types and meaning of Ray's: a wrong type is a ``TypeError``, a wrong value or
an unknown keyword a ``ValueError``."""

from __future__ import annotations

import inspect
from typing import Any, Callable, Dict, Optional, Tuple

_NONE = type(None)

Check = Tuple[Tuple[type, ...], Optional[Callable[[Any], Optional[str]]]]


def _counting(name: str, infinite: bool) -> Check:
    """A count: ``None``, 0 or more (and -1 for "unbounded" if ``infinite``)."""
    if infinite:

        def value(x: Any) -> Optional[str]:
            if x is None or x >= -1:
                return None
            return (
                f"The keyword '{name}' only accepts None, 0, -1 or a positive integer, "
                "where -1 represents infinity."
            )

    else:

        def value(x: Any) -> Optional[str]:
            if x is None or x >= 0:
                return None
            return f"The keyword '{name}' only accepts None, 0 or a positive integer."

    return (int, _NONE), value


def _quantity(name: str, amount: Any) -> Optional[str]:
    if amount < 0:
        return f"The quantity of resource {name} cannot be negative"
    if isinstance(amount, float) and amount != 0.0 and int(amount * 10000) == 0:
        return f"The precision of the fractional quantity of resource {name} cannot go beyond 0.0001"
    return None


def _resource(name: str) -> Check:
    return (int, float, _NONE), lambda x: None if x is None else _quantity(name, x)


def _resources(resources: Optional[Dict[str, Any]]) -> Optional[str]:
    if resources is None:
        return None
    if "CPU" in resources or "GPU" in resources:
        return (
            "Use the 'num_cpus' and 'num_gpus' keyword instead of 'CPU' and 'GPU' in "
            "'resources' keyword"
        )
    for name, amount in resources.items():
        if not isinstance(amount, (int, float)):
            return f"The quantity of resource {name} must be a number, got {amount!r}"
        problem = _quantity(name, amount)
        if problem:
            return problem
    return None


def _num_returns(x: Any) -> Optional[str]:
    if x is None or x in ("streaming", "dynamic") or (isinstance(x, int) and x >= 0):
        return None
    return (
        "The keyword 'num_returns' only accepts None, a non-negative integer, "
        "'streaming' (for generators), or 'dynamic'."
    )


def _retry_exceptions(x: Any) -> Optional[str]:
    if isinstance(x, bool):
        return None
    if all(inspect.isclass(e) and issubclass(e, Exception) for e in x):
        return None
    return "retry_exceptions must be either a boolean or a list of exceptions"


def _lifetime(x: Any) -> Optional[str]:
    if x in (None, "detached", "non_detached"):
        return None
    return "actor `lifetime` argument must be one of 'detached', 'non_detached' and 'None'."


def _max_concurrency(x: Any) -> Optional[str]:
    if x is None or x >= 1:
        return None
    return "max_concurrency must be at least 1"


def _name(x: Any) -> Optional[str]:
    if x == "":
        return "The actor name cannot be an empty string."
    return None


def _namespace(x: Any) -> Optional[str]:
    if x == "":
        return '"" is not a valid namespace. Pass None to not specify a namespace.'
    return None


def _groups(x: Any) -> Optional[str]:
    if isinstance(x, dict):
        for name, limit in x.items():
            if not isinstance(name, str) or not name:
                return "concurrency group names must be non-empty strings"
            if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
                return (
                    f"the max_concurrency of concurrency group {name!r} must be a "
                    f"positive integer, got {limit!r}"
                )
    return None


_COMMON: Dict[str, Check] = {
    "num_cpus": _resource("num_cpus"),
    "num_gpus": _resource("num_gpus"),
    "memory": _resource("memory"),
    "resources": ((dict, _NONE), _resources),
    "name": ((str, _NONE), None),
    "runtime_env": ((dict, _NONE), None),
    "scheduling_strategy": ((object,), None),
    "accelerator_type": ((str, _NONE), None),
    "label_selector": ((dict, _NONE), None),
    "fallback_strategy": ((list, _NONE), None),
    "enable_task_events": ((bool,), None),
    "placement_group": ((object,), None),
    "placement_group_bundle_index": ((int,), None),
    "placement_group_capture_child_tasks": ((bool, _NONE), None),
    "object_store_memory": _counting("object_store_memory", False),
    "_labels": ((dict, _NONE), None),
}

TASK_OPTIONS: Dict[str, Check] = {
    **_COMMON,
    "num_returns": ((int, str, _NONE), _num_returns),
    "max_retries": _counting("max_retries", True),
    "max_calls": _counting("max_calls", False),
    "retry_exceptions": ((bool, list, tuple), _retry_exceptions),
    "_generator_backpressure_num_objects": ((int, _NONE), None),
}

ACTOR_OPTIONS: Dict[str, Check] = {
    **_COMMON,
    "name": ((str, _NONE), _name),
    "max_restarts": _counting("max_restarts", True),
    "max_task_retries": _counting("max_task_retries", True),
    "max_pending_calls": _counting("max_pending_calls", True),
    "max_concurrency": ((int, _NONE), _max_concurrency),
    "concurrency_groups": ((dict, list, _NONE), _groups),
    "lifetime": ((str, _NONE), _lifetime),
    "namespace": ((str, _NONE), _namespace),
    "get_if_exists": ((bool,), None),
    "allow_out_of_order_execution": ((bool, _NONE), None),
    "enable_tensor_transport": ((bool, _NONE), None),
}

METHOD_OPTIONS: Dict[str, Check] = {
    "num_returns": ((int, str, _NONE), _num_returns),
    "concurrency_group": ((str, _NONE), None),
    "max_task_retries": _counting("max_task_retries", True),
    "retry_exceptions": ((bool, list, tuple), _retry_exceptions),
    "enable_task_events": ((bool,), None),
    "tensor_transport": ((str, _NONE), None),
    "name": ((str, _NONE), None),
}

# Every keyword ``@remote`` takes, for the message of a misused decorator (Ray's list).
ALL_REMOTE_OPTIONS = list({**TASK_OPTIONS, **ACTOR_OPTIONS})

REMOTE_ARGS_ERROR = (
    "The @rustyray.remote decorator must be applied either with no arguments and no "
    "parentheses, for example '@rustyray.remote', or it must be applied using some of "
    f"the arguments in the list {ALL_REMOTE_OPTIONS}, for example "
    "'@rustyray.remote(num_returns=2, resources={\"CustomResource\": 1})'."
)


def validate(options: Dict[str, Any], table: Dict[str, Check], what: str) -> None:
    """Raises ``ValueError`` for an unknown keyword or a bad value, ``TypeError`` for a
    value of the wrong type."""
    for key, value in options.items():
        check = table.get(key)
        if check is None:
            raise ValueError(
                f"Invalid option keyword {key} for {what}. Valid ones are {list(table)}."
            )
        types, value_check = check
        if not isinstance(value, types):
            raise TypeError(
                f"The type of keyword '{key}' must be {types}, but received type {type(value)}"
            )
        if value_check is not None:
            problem = value_check(value)
            if problem:
                raise ValueError(problem)


def validate_task(options: Dict[str, Any]) -> None:
    validate(options, TASK_OPTIONS, "remote functions")


def validate_actor(options: Dict[str, Any], in_options: bool) -> None:
    validate(options, ACTOR_OPTIONS, "actors")
    if in_options and "concurrency_groups" in options:
        raise ValueError("Setting 'concurrency_groups' is not supported in '.options()'.")
    if options.get("get_if_exists") and not options.get("name"):
        raise ValueError("The actor name must be specified to use `get_if_exists`.")


class Arity:
    """A function's signature, checked against each call's arguments as Ray does at
    submission (``TypeError`` at ``.remote()``, not in the task). Calls with positional
    arguments only, within the counts the signature allows, skip ``Signature.bind``."""

    __slots__ = ("signature", "low", "high")

    def __init__(self, function: Any, skip_first: bool = False) -> None:
        self.signature: Optional[inspect.Signature] = None
        self.low = 0
        self.high = -1  # no fast path
        try:
            signature = inspect.signature(function)
        except (TypeError, ValueError):
            self.high = 1 << 30  # no signature to check (a builtin, say)
            return
        params = list(signature.parameters.values())
        if skip_first and params and params[0].kind in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            params = params[1:]
            signature = signature.replace(parameters=params)
        self.signature = signature
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        required_keyword = any(
            p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is inspect.Parameter.empty
            for p in params
        )
        if required_keyword:
            return
        self.low = sum(
            1 for p in params if p.kind in positional and p.default is inspect.Parameter.empty
        )
        if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
            self.high = 1 << 30
        else:
            self.high = sum(1 for p in params if p.kind in positional)

    def check(self, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> None:
        if self.signature is None:
            return
        try:
            self.signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise TypeError(str(exc)) from None
