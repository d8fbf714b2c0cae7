"""Ray's ``ray.actor`` module: actor classes and handles, and ``exit_actor``."""

from . import ActorClass, ActorClassInheritanceException, ActorHandle, ActorMethod, method
from ._worker import exit_actor

__all__ = [
    "ActorClass",
    "ActorClassInheritanceException",
    "ActorHandle",
    "ActorMethod",
    "exit_actor",
    "method",
]
