"""With the django plugin loaded, nose2 collects, counts and prints what
Django's own runner does (issue 15), compared on
tests/scenarios/django/collection: module-level test functions, generators, a
view subclass named Test*, a load_tests function that uses unittest's loader,
a test directory that is no package, tests in a package's __init__, a
package's load_tests, and views that log 403/404 warnings.

Collection, order and logging are settled apart from the database: those
tests are ``backend_independent`` (tests/support/backend_independent.py);
the demo project's outcomes against Django's runner run on every database."""

import re

import pytest

from tests.support.nose2run import (
    copy_scenario,
    describe,
    remove_copy,
    run_manage,
    run_nose2,
)
from tests.support.projects import copied_testproject

DJANGO_RUNNER = ("test", "--testrunner", "django.test.runner.DiscoverRunner", "-v", "2")
RAN = re.compile(r"^Ran (\d+) tests? in ", re.MULTILINE)
NOSE2_ONLY = (
    "library.tests.test_helpers.test_hook",
    "library.tests.test_helpers.test_generated",
    "TestShelfViewSetSubclassing",
    "OrphanTests",
    "LeftToLoadTests",
)


def ran(result):
    (count,) = RAN.findall(result.output)
    return int(count)


def logged_lines(result):
    """What the tests and views logged, in the order printed."""
    return [line for line in result.output.splitlines() if "scenario-log" in line]


@pytest.fixture
def project():
    path = copy_scenario("django/collection")
    yield path
    remove_copy(path)


@pytest.fixture(scope="module")
def django_run():
    path = copy_scenario("django/collection")
    try:
        yield run_manage(path, *DJANGO_RUNNER, "--noinput")
    finally:
        remove_copy(path)


@pytest.fixture(scope="module")
def plain_runs():
    """``nose2 -v`` and ``manage.py test -v 2`` on a fresh copy each: one run
    of each for the tests that read them (the same runs whichever reads)."""
    paths = [copy_scenario("django/collection") for _ in range(2)]
    try:
        yield (run_nose2(paths[0], "-v"),
               run_manage(paths[1], "test", "-v", "2", "--noinput"))
    finally:
        for path in paths:
            remove_copy(path)


@pytest.mark.backend_independent
def test_nose2_collects_what_djangos_runner_collects_in_its_order(plain_runs, django_run):
    result, _ = plain_runs
    assert list(result.outcomes().items()) == list(django_run.outcomes().items()), (
        result.describe() + django_run.describe()
    )
    assert ran(result) == ran(django_run) == 10, result.describe()
    assert result.returncode == django_run.returncode == 1
    for name in NOSE2_ONLY:
        assert name not in result.output, result.describe()
    # load_tests ran with a loader that has loadTestsFromTestCase, in a
    # module and in a package; a package's __init__ is a test module.
    for test_class, method in [
        ("library.checks.AddedByLoadTests", "test_added_by_load_tests"),
        ("library.checks.AddedByPackageLoadTests", "test_added_by_package_load_tests"),
        ("library.tests.PackageInitTests", "test_in_package_init"),
    ]:
        assert result.outcomes()[describe(test_class, method)] == "ok", result.describe()


@pytest.mark.backend_independent
def test_manage_py_test_collects_what_djangos_runner_collects(plain_runs, django_run):
    _, result = plain_runs
    assert list(result.outcomes().items()) == list(django_run.outcomes().items()), (
        result.describe()
    )
    assert ran(result) == ran(django_run), result.describe()


@pytest.mark.backend_independent
def test_a_label_collects_what_djangos_runner_collects_for_it(project):
    labels = (
        "library",
        "library.tests",  # Django runs only its __init__'s tests
        "library.tests.suites",
        "library.tests.test_loaded",
        "library.tests.test_helpers",
        "library.tests.test_views.ViewLoggingTests",
    )
    for label in labels:
        ours = run_nose2(project, "-v", label)
        theirs = run_manage(project, *DJANGO_RUNNER, "--noinput", label)
        assert list(ours.outcomes().items()) == list(theirs.outcomes().items()), (
            ours.describe() + theirs.describe()
        )
        assert ran(ours) == ran(theirs), ours.describe()


@pytest.mark.backend_independent
@pytest.mark.parametrize("switch", ["flag", "config"])
def test_nose2_collection_switch_runs_nose2s_loaders_in_the_django_environment(project, switch):
    if switch == "flag":
        result = run_nose2(project, "-v", "--django-nose2-collection")
    else:
        config = project / "unittest.cfg"
        config.write_text(config.read_text() + "nose2-collection = True\n")
        result = run_nose2(project, "-v")
    lines = result.output.splitlines()
    assert "library.tests.test_helpers.test_hook ... ok" in lines, result.describe()
    # mail.outbox exists only inside Django's test environment.
    assert (
        "library.tests.test_helpers.test_function_runs_in_the_django_test_environment ... ok"
        in lines
    ), result.describe()
    assert "library.tests.test_helpers.test_generated:2" in lines
    assert (
        "library.tests.test_helpers.TestShelfViewSetSubclassing.test_get_queryset ... ERROR"
        in lines
    )
    # The load_tests protocol still gets unittest's loader.
    added = describe("library.checks.AddedByLoadTests", "test_added_by_load_tests")
    assert result.outcomes()[added] == "ok", result.describe()
    assert ran(result) == 15, result.describe()
    assert "Destroying test database for alias 'default'" in result.output


@pytest.mark.backend_independent
def test_tests_log_to_the_terminal_as_under_djangos_runner(plain_runs, django_run):
    result, managed = plain_runs
    audited = describe("library.tests.test_views.ViewLoggingTests", "test_audited_view_logs")
    expected = [
        f"{audited} ... audit line: scenario-log: audited /scenario-log/audited/",
        "scenario-log: stock is low",
    ]
    assert logged_lines(django_run)[:2] == expected, django_run.describe()
    assert logged_lines(result) == logged_lines(django_run), result.describe()
    for noise in ("WARNING:", "INFO:", "PermissionDenied", "Forbidden", "Not Found"):
        assert noise not in result.output, result.describe()
    assert logged_lines(managed) == logged_lines(django_run), managed.describe()
    assert "WARNING:" not in managed.output


@pytest.mark.backend_independent
def test_log_capture_attaches_records_to_the_failing_test(project):
    result = run_nose2(project, "-v", "--log-capture")
    report = result.output.split("FAIL: test_fails_after_logging", 1)[1]
    assert ">> begin captured logging <<" in report, result.describe()
    assert "library.stock: WARNING: scenario-log: logged by a failing test" in report
    # Captured, and not printed as well by a console handler of nose2's.
    assert result.output.count("logged by a failing test") == 1, result.describe()


@pytest.mark.backend_independent
def test_explicit_log_level_keeps_nose2s_console_handler(project):
    result = run_nose2(project, "-v", "--log-level", "info")
    assert "INFO:library.audit:scenario-log: audited /scenario-log/audited/" in result.output, (
        result.describe()
    )


# Its server databases named for this checkout and worker.
testproject = copied_testproject()


def test_testproject_runs_as_many_tests_as_under_djangos_runner(testproject):
    ours = run_nose2(testproject, "-v", "-s", ".", "-t", ".")
    theirs = run_manage(testproject, *DJANGO_RUNNER, "--noinput")
    assert ran(ours) == ran(theirs) > 100, ours.describe() + theirs.describe()
    assert ours.outcomes() == theirs.outcomes()


@pytest.mark.backend_independent
def test_basic_scenario_runs_as_many_tests_as_under_djangos_runner():
    project = copy_scenario("django/basic")
    try:
        ours = run_nose2(
            project, "-v", "--plugin", "nose_speedup.plugins.django",
            "--django-settings", "settings",
        )
        theirs = run_manage(project, *DJANGO_RUNNER, "--noinput")
        assert ran(ours) == ran(theirs), ours.describe() + theirs.describe()
    finally:
        remove_copy(project)
