"""A bundle that holds up a parallel run is split (``parallel.shares``), on
the ``parallel/dominant`` scenario: 18 of its 20 fixture classes share one
fixture list. Side channels, not time: the ``loadcount`` app logs each
``loaddata`` call with its process id, each test logs the process it ran
in. Django's own ``--parallel 2`` (and our serial run) is the reference for
outcomes; ``--bundle-testcases`` runs the same classes as plain ``TestCase``.
"""

import collections

import pytest

from tests.support.nose2run import copy_scenario, remove_copy, run_manage, run_nose2

PLUGINS = (
    "--plugin", "nose_speedup.plugins.django",
    "--plugin", "nose_speedup.plugins.bundling",
    "--plugin", "nose_speedup.plugins.parallel",
    "--with-fixture-bundling",
)
TIMEOUT = 240
PEOPLE = "people.json"


@pytest.fixture(scope="module")
def project():
    path = copy_scenario("parallel/dominant")
    yield path
    remove_copy(path)


def logs_env(project, **extra):
    for name in ("loads.log", "ran.log"):
        (project / name).unlink(missing_ok=True)
    return {
        "NSP_FIXTURE_LOAD_PID_LOG": str(project / "loads.log"),
        "NSP_RAN_LOG": str(project / "ran.log"),
        **extra,
    }


def read(project, name):
    path = project / name
    return path.read_text().splitlines() if path.exists() else []


def people_loads_per_process(project):
    """``{pid: loads of people.json}``."""
    return collections.Counter(
        line.split()[0] for line in read(project, "loads.log") if line.endswith(PEOPLE)
    )


def processes_that_ran_the_bundle(project):
    return {line.split()[0] for line in read(project, "ran.log") if ".test_people_" in line}


def classes_per_process(project):
    """``{pid: [class, ...]}`` of the bundle's classes, in the order run."""
    ran = collections.defaultdict(list)
    for line in read(project, "ran.log"):
        pid, name = line.split()
        if ".test_people_" in name and name not in ran[pid]:
            ran[pid].append(name)
    return ran


def django_parallel(project, env):
    return run_manage(
        project, "test", "--parallel", "2", "--testrunner",
        "django.test.runner.DiscoverRunner", "-v", "2", env=env, timeout=TIMEOUT,
    )


def assert_split_in_two_with_one_load_each(project, run):
    loads = people_loads_per_process(project)
    ran = processes_that_ran_the_bundle(project)
    assert len(ran) == 2, run.describe()  # both workers ran part of the bundle
    assert set(loads) == ran and set(loads.values()) == {1}, (loads, run.describe())
    # Each worker's classes are one contiguous share of the bundle, each class whole.
    shares = sorted(classes_per_process(project).values())
    names = [name for share in shares for name in share]
    assert sorted(names) == names and len(set(names)) == 18, shares
    assert (
        "parallel: split 1 fixture bundle that held up the run, each share loading its "
        f"fixtures once in its worker: {PEOPLE} in 2 shares (2 loads instead of 1)"
    ) in run.output, run.describe()


def test_dominant_bundle_is_split_over_both_workers_with_one_load_each(project):
    serial = run_nose2(project, "-v", *PLUGINS, env=logs_env(project), timeout=TIMEOUT)
    assert len(read(project, "loads.log")) == 2  # people.json once, notes.json once
    parallel = run_nose2(
        project, "-v", *PLUGINS, "--django-parallel", "2", env=logs_env(project), timeout=TIMEOUT
    )
    assert_split_in_two_with_one_load_each(project, parallel)
    assert parallel.outcomes() == serial.outcomes(), parallel.describe()
    assert len(parallel.outcomes()) == 40
    assert "FAILED (failures=1)" in parallel.output
    assert parallel.returncode == serial.returncode == 1
    django = django_parallel(project, logs_env(project, NSP_BASE="django"))
    assert django.outcomes() == parallel.outcomes(), django.describe()
    assert django.returncode == 1


def test_plain_test_cases_split_alike_under_bundle_testcases(project):
    django = django_parallel(project, logs_env(project, NSP_BASE="django"))
    assert len(read(project, "loads.log")) == 20  # Django loads once per class
    ours = run_manage(
        project, "test", "--parallel", "2", "--bundle-testcases", "-v", "2",
        env=logs_env(project, NSP_BASE="django"), timeout=TIMEOUT,
    )
    assert_split_in_two_with_one_load_each(project, ours)
    assert ours.outcomes() == django.outcomes(), ours.describe()
    assert ours.returncode == django.returncode == 1
