"""Ray's error semantics: what a caller sees when a task fails in each way, and the
exception classes of ``ray.exceptions``."""

from __future__ import annotations

import os
import pickle
import sys

import pytest

import rustyray
from rustyray import exceptions
from rustyray.exceptions import (
    RayError,
    RayTaskError,
    TaskCancelledError,
    WorkerCrashedError,
)

from conftest import LIMIT


@rustyray.remote
def interrupt():
    raise KeyboardInterrupt


@rustyray.remote
def leave(code):
    sys.exit(code)


@rustyray.remote
def group():
    raise ExceptionGroup("two failures", [ValueError("a"), KeyError("b")])


@rustyray.remote
def fail(message):
    raise ValueError(message)


def test_keyboard_interrupt_in_a_task_is_a_cancel_not_an_interrupt_of_the_caller(rt):
    with pytest.raises(TaskCancelledError) as info:
        rustyray.get(interrupt.remote(), timeout=LIMIT)
    assert not isinstance(info.value, KeyboardInterrupt)
    assert "interrupt() raised KeyboardInterrupt" in str(info.value)
    # The caller carries on.
    with pytest.raises(ValueError, match="still here"):
        rustyray.get(fail.remote("still here"), timeout=LIMIT)


def test_system_exit_in_a_task_is_a_crashed_worker(rt):
    with pytest.raises(WorkerCrashedError) as info:
        rustyray.get(leave.remote(3), timeout=LIMIT)
    assert not isinstance(info.value, SystemExit)
    assert "The worker died unexpectedly while executing this task" in str(info.value)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception groups are Python 3.11+")
def test_an_exception_group_makes_get_fail_with_type_error(rt):
    with pytest.raises(TypeError, match="exception group") as info:
        rustyray.get(group.remote(), timeout=LIMIT)
    assert "two failures" in str(info.value)


def test_a_task_error_keeps_its_cause_name_and_traceback(rt):
    with pytest.raises(RayTaskError) as info:
        rustyray.get(fail.remote("boom"), timeout=LIMIT)
    err = info.value
    assert isinstance(err, ValueError)
    assert isinstance(err.cause, ValueError) and str(err.cause) == "boom"
    assert err.function_name.endswith("fail")
    assert "ValueError: boom" in err.traceback_str
    assert err.as_instanceof_cause() is err or isinstance(err.as_instanceof_cause(), ValueError)


def test_a_task_error_reads_like_rays(rt):
    # Ray's text: the traceback's first line replaced by a header naming the task's
    # process, its pid and node address, then the task's own frames and the error.
    with pytest.raises(RayTaskError) as info:
        rustyray.get(fail.remote("boom"), timeout=LIMIT)
    text = str(info.value)
    lines = text.split("\n")
    assert lines[0] == f"\x1b[36mray::fail()\x1b[39m (pid={os.getpid()}, ip=127.0.0.1)"
    assert not any(line.startswith("Traceback ") for line in lines)
    assert any('in fail' in line for line in lines)
    assert lines[-1] == "ValueError: boom"
    # Pickled and rebuilt (as an error crossing processes in Ray), it reads the same.
    assert str(pickle.loads(pickle.dumps(RayTaskError("f", info.value.traceback_str)))) == (
        text.replace("ray::fail()", "ray::f()")
    )


@rustyray.remote
class Teller:
    def __repr__(self):
        return "Teller(7)"

    def tell(self):
        raise KeyError("k")


def test_an_actor_method_error_names_the_actor_as_ray_does(rt):
    teller = Teller.remote()
    with pytest.raises(RayTaskError) as info:
        rustyray.get(teller.tell.remote(), timeout=LIMIT)
    header = str(info.value).split("\n")[0]
    assert header.startswith("\x1b[36mray::Teller.tell()\x1b[39m (pid=")
    assert header.endswith(f", actor_id={teller._native_handle.actor_id()}, repr=Teller(7))")
    assert isinstance(info.value, KeyError)


def test_task_cancelled_error_reads_like_rays():
    assert str(TaskCancelledError("ab12", "Stopped.")) == "Task: ab12 was cancelled. Stopped."
    assert str(TaskCancelledError()) == ""
    assert str(TaskCancelledError(error_message="Stopped.")) == "Stopped."


# Ray's own list (ray.exceptions.RAY_EXCEPTION_TYPES) by name, and the relations a handler
# relies on.
RAYS_LIST = [
    "PlasmaObjectNotAvailable", "RayError", "RayTaskError", "WorkerCrashedError",
    "RayActorError", "ObjectStoreFullError", "ObjectLostError", "ObjectFetchTimedOutError",
    "ReferenceCountingAssertionError", "ObjectReconstructionFailedError",
    "ObjectReconstructionFailedMaxAttemptsExceededError",
    "ObjectReconstructionFailedLineageEvictedError", "OwnerDiedError", "GetTimeoutError",
    "AsyncioActorExit", "RuntimeEnvSetupError", "TaskPlacementGroupRemoved",
    "ActorPlacementGroupRemoved", "PendingCallsLimitExceeded", "LocalRayletDiedError",
    "TaskUnschedulableError", "ActorDiedError", "ActorUnschedulableError",
    "ActorUnavailableError", "RayChannelError", "RayChannelTimeoutError",
    "OufOfBandObjectRefSerializationException", "RayCgraphCapacityExceeded",
    "UnserializableException",
]


def test_every_exception_class_of_ray_exists_in_rays_order():
    assert [cls.__name__ for cls in exceptions.RAY_EXCEPTION_TYPES] == RAYS_LIST
    for name in RAYS_LIST + ["CrossLanguageError", "TaskCancelledError", "RaySystemError",
                             "UserCodeException", "OutOfDiskError", "OutOfMemoryError",
                             "NodeDiedError", "RpcError", "ObjectFreedError",
                             "ObjectRefStreamEndOfStreamError"]:
        cls = getattr(exceptions, name)
        assert issubclass(cls, RayError), name
        assert name in exceptions.__all__


@pytest.mark.parametrize("child, parent", [
    ("ObjectFetchTimedOutError", "ObjectLostError"),
    ("OwnerDiedError", "ObjectLostError"),
    ("ObjectFreedError", "ObjectLostError"),
    ("ReferenceCountingAssertionError", "ObjectLostError"),
    ("ReferenceCountingAssertionError", "AssertionError"),
    ("GetTimeoutError", "TimeoutError"),
    ("RayChannelTimeoutError", "TimeoutError"),
    ("RayChannelError", "RaySystemError"),
    ("ActorDiedError", "RayActorError"),
    ("ActorUnavailableError", "RayActorError"),
])
def test_exception_hierarchy_follows_ray(child, parent):
    builtin = {"AssertionError": AssertionError, "TimeoutError": TimeoutError}
    parent_cls = builtin.get(parent) or getattr(exceptions, parent)
    assert issubclass(getattr(exceptions, child), parent_cls)
