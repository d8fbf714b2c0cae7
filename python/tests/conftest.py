from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Iterator

import pytest

import rustyray

# Every wait in the tests is bounded: a bug fails a test instead of hanging the run.
LIMIT = 30.0


@pytest.fixture
def rt() -> Iterator[None]:
    """A fresh runtime with 4 CPUs for one test."""
    rustyray.shutdown()
    rustyray.init(num_cpus=4)
    yield
    rustyray.shutdown()


def run_python(code: str) -> subprocess.CompletedProcess:
    """Runs `code` (dedented) in a fresh interpreter, bounded by LIMIT; output captured."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=LIMIT,
    )


@rustyray.remote
class Tally:
    """A count that tasks add to and the driver reads. A task runs a copy of what its
    function closes over (as a Ray worker does), so shared state lives in an actor."""

    def __init__(self) -> None:
        self.n = 0

    def add(self) -> int:
        self.n += 1
        return self.n

    def count(self) -> int:
        return self.n


@rustyray.remote
class Box:
    """One value that a task hands to the driver while it still runs."""

    def __init__(self) -> None:
        self.value = None

    def put(self, value):
        self.value = value

    def get(self):
        return self.value
