"""No write is lost at exit: every finalizer side effect of a run matches
Django's runner (issue 20, point 1).

The scenario (``tests/scenarios/django/exit_writes``) makes, in its
settings, at app loading, at test module import, in ``setUpClass`` and in a
test, a buffered file with unflushed bytes, an object whose ``__del__``
writes, a ``weakref.finalize`` callback and a logging handler, each kept
alive at exit only by a reference cycle reachable from a global. What is on
disk after the run (file name -> contents) is compared with Django's own
runner: serial runs with its serial run, ``--django-parallel 2`` workers with
its ``--parallel 2`` workers, spawned (Django's forked workers leave through
``os._exit`` and finalize nothing: ours must write at least what they do)."""

import sys

import pytest

from tests.support.nose2run import run_manage, run_nose2
from tests.support.projects import scenario_copy

pytestmark = pytest.mark.backend_independent

project = scenario_copy("django/exit_writes")

DJANGO_RUNNER = ("test", "--testrunner", "django.test.runner.DiscoverRunner")
NOSE2 = ("--plugin", "nose_speedup.plugins.django", "--django-settings", "settings")
SITES = ("settings", "ready", "module", "class", "test")
KINDS = ("buffered", "del", "finalize", "handler")


def finalized(files):
    """Every probe wrote its byte. Python 3.10 runs a ``__del__`` of an
    object in a cycle so late at exit that the file it opens is created but
    its write is lost, under any runner: there the ``del`` probes only have
    to exist (the comparisons with Django's runner still hold them equal)."""
    late_del = sys.version_info < (3, 11)
    return all(text == "x" or (late_del and name.split("-")[1] == "del")
               for name, text in files.items())


def written(run, project, tmp_path, *args, spawn=False):
    out = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
    out.mkdir()
    env = {"EXIT_PROBE_DIR": str(out)}
    if spawn:
        env["EXIT_PROBE_SPAWN"] = "1"
    result = run(project, *args, env=env)
    assert result.returncode == 0, result.describe()
    return {path.name: path.read_text() for path in out.iterdir()}


def test_djangos_serial_run_finalizes_every_probe(project, tmp_path):
    """The reference itself: all kinds, all sites, in the main process."""
    files = written(run_manage, project, tmp_path, *DJANGO_RUNNER)
    assert set(files) == {f"{site}-{kind}-main" for site in SITES for kind in KINDS}, files
    assert finalized(files), files


@pytest.mark.parametrize("runner", ["manage.py", "nose2"])
def test_a_serial_run_leaves_what_djangos_serial_run_leaves(project, tmp_path, runner):
    reference = written(run_manage, project, tmp_path, *DJANGO_RUNNER)
    if runner == "manage.py":
        ours = written(run_manage, project, tmp_path, "test")
    else:
        ours = written(run_nose2, project, tmp_path, *NOSE2)
    assert ours == reference


@pytest.mark.parametrize("runner", ["manage.py", "nose2"])
def test_parallel_workers_leave_what_djangos_parallel_workers_leave(
    project, tmp_path, runner
):
    spawned = written(run_manage, project, tmp_path, *DJANGO_RUNNER, "--parallel", "2",
                      spawn=True)
    forked = written(run_manage, project, tmp_path, *DJANGO_RUNNER, "--parallel", "2")
    assert any(name.endswith("-worker") for name in spawned), spawned
    if runner == "manage.py":
        ours = written(run_manage, project, tmp_path, "test", "--parallel", "2")
    else:
        ours = written(run_nose2, project, tmp_path, *NOSE2, "--plugin",
                       "nose_speedup.plugins.parallel", "--django-parallel", "2")
    assert ours == spawned
    # forked workers lose even the bytes of files outside any cycle: ours keep them
    assert {name for name, text in forked.items() if text} <= set(ours)
    assert finalized(ours), ours
