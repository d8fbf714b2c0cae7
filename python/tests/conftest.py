from __future__ import annotations

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
