"""Ray's export of a definition at its first `.remote()`: a remote function or actor class
whose pickled form is over 10 MB warns, from FUNCTION_SIZE_ERROR_THRESHOLD (100 MB by
default) it fails with ValueError, and a function's calls run the exported copy."""

from __future__ import annotations

import warnings

import pytest

import rustyray as ray

from conftest import LIMIT, run_python

MB = 1024 * 1024

pytestmark = pytest.mark.usefixtures("rt")


def capturing(size):
    big = b"x" * size

    @ray.remote
    def f():
        return len(big)

    return f


def test_a_definition_over_the_error_threshold_is_refused(monkeypatch):
    monkeypatch.setenv("FUNCTION_SIZE_ERROR_THRESHOLD", str(12 * MB))
    f = capturing(13 * MB)
    with pytest.raises(ValueError, match=r"remote function .*f is too large \(13 MiB > "
                       r"FUNCTION_SIZE_ERROR_THRESHOLD=12 MiB\)"):
        f.remote()
    # Refused every time, not only the first.
    with pytest.raises(ValueError, match="too large"):
        f.options(num_cpus=1).remote()


def test_a_large_definition_warns_and_runs():
    f = capturing(11 * MB)
    with pytest.warns(UserWarning, match=r"remote function .*f is very large \(11 MiB\)"):
        r = f.remote()
    assert ray.get(r, timeout=LIMIT) == 11 * MB
    # Checked once per function: the next call neither pickles nor warns again.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ray.get(f.remote(), timeout=LIMIT) == 11 * MB


def test_a_small_definition_is_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ray.get(capturing(1000).remote(), timeout=LIMIT) == 1000


def test_an_actor_class_is_checked_too(monkeypatch):
    monkeypatch.setenv("FUNCTION_SIZE_ERROR_THRESHOLD", str(12 * MB))
    big = b"y" * (13 * MB)

    @ray.remote
    class Holder:
        def size(self):
            return len(big)

    with pytest.raises(ValueError, match=r"The actor Holder is too large \(13 MiB"):
        Holder.remote()


def test_a_definition_ray_could_not_export_runs_with_a_warning():
    import threading

    lock = threading.Lock()

    @ray.remote
    def locked():
        with lock:
            return 1

    with pytest.warns(UserWarning, match=r"remote function .*locked cannot be pickled"):
        r = locked.remote()
    assert ray.get(r, timeout=LIMIT) == 1


def test_calls_run_the_copy_exported_at_the_first_remote():
    seen = [1, 2]

    @ray.remote
    def total():
        seen.append(100)
        return sum(seen)

    # As a Ray worker, the task changes its own copy of what the function closes over,
    # taken at the first `.remote()`: neither side sees the other's changes.
    assert ray.get(total.remote(), timeout=LIMIT) == 103
    assert seen == [1, 2]
    seen.append(3)
    assert ray.get(total.remote(), timeout=LIMIT) == 203
    # `.options()` makes no new export.
    assert ray.get(total.options(num_cpus=0.5).remote(), timeout=LIMIT) == 303
    assert seen == [1, 2, 3]


def test_globals_of_main_changed_by_tasks_are_not_the_drivers():
    out = run_python(
        """
        import rustyray as ray

        counter = 0

        @ray.remote
        def bump():
            global counter
            counter += 1
            return counter

        ray.init(num_cpus=1)
        print(ray.get([bump.remote() for _ in range(3)]), counter)
        """
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[0] == "[1, 2, 3] 0"

