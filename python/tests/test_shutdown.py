from __future__ import annotations

import pytest

import rustyray
from rustyray.exceptions import TaskCancelledError

from conftest import LIMIT, run_python


def test_exit_with_pending_work_does_not_hang_or_crash():
    done = run_python(
        """
        import time
        import rustyray

        @rustyray.remote
        def slow(i):
            time.sleep(0.2)
            return i

        @rustyray.remote
        class A:
            def work(self):
                time.sleep(0.2)

        rustyray.init(num_cpus=2)
        refs = [slow.remote(i) for i in range(1000)]
        a = A.remote()
        calls = [a.work.remote() for _ in range(100)]
        print("submitted", flush=True)
        """
    )
    assert done.returncode == 0, done.stderr
    assert "submitted" in done.stdout


def test_exit_without_shutdown_after_work():
    done = run_python(
        """
        import rustyray

        @rustyray.remote
        def f(x):
            return x

        print(rustyray.get([f.remote(i) for i in range(100)])[-1])
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "99"


def test_shutdown_fails_pending_objects():
    rustyray.shutdown()
    rustyray.init(num_cpus=1)

    @rustyray.remote
    def slow():
        import time

        time.sleep(0.5)

    refs = [slow.remote() for _ in range(4)]
    rustyray.shutdown()
    with pytest.raises(TaskCancelledError):
        rustyray.get(refs[-1], timeout=LIMIT)
