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
