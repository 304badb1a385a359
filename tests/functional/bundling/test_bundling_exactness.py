"""Bundling never changes an outcome: the ``exact`` scenario, each module run
bundled under nose2 and under Django's own runner (``manage.py test`` with
``DiscoverRunner`` and ``django.test.TestCase``), compared test by test.
Every test runs for both forms of a bundled class: ``FastFixtureTestCase``
(``fast``), and a plain ``django.test.TestCase`` bundled by
``--bundle-testcases`` (``plain``), with the same guarantees.

Side channels: the ``loadcount`` app logs every ``loaddata`` call, the
``leftovers`` engine reports what the test database holds as it is
destroyed, and the scenario's tests log module fixtures and primary keys to
``NSP_EVENT_LOG``.
"""

import sys
from collections import Counter
from dataclasses import dataclass

import pytest

from tests.scenarios.bundling.support.runs import ScenarioRun, read_lines, run_scenario
from tests.support.databases import selected_backend
from tests.support.nose2run import copy_scenario, describe, remove_copy, run_manage

TESTS = "exact.tests."


@dataclass
class Compared:
    bundled: ScenarioRun
    bundled_events: list
    django: object  # RunResult of manage.py test
    django_loads: list
    django_events: list

    def describe(self):
        return self.bundled.describe() + "\n=== Django's runner ===\n" + self.django.describe()

    def closing_line(self):
        lines = [line for line in self.bundled.output.splitlines()
                 if line.startswith("fixture bundling: ")]
        assert len(lines) == 1, self.describe()
        return lines[0]


FORMS = {}  # scenario copy -> "fast" or "plain"


@pytest.fixture(scope="module", params=["fast", "plain"])
def exact(request):
    project = copy_scenario("bundling/exact")
    FORMS[project] = request.param
    yield project
    FORMS.pop(project)
    remove_copy(project)


def ours(project, *args, env=None, **kwargs):
    """``run_scenario`` in the project's form: plain ``TestCase`` classes
    (``NSP_BASE=django``) bundled by ``--bundle-testcases``, or not."""
    if FORMS[project] == "plain":
        env = {"NSP_BASE": "django", **(env or {})}
        if kwargs.get("bundling", True):
            args = ("--bundle-testcases", *args)
    return run_scenario(project, *args, env=env, **kwargs)


def compare(project, *modules):
    labels = [TESTS + module for module in modules]
    events = project / "events.log"
    events.unlink(missing_ok=True)
    bundled = ours(
        project, *labels, leftover_apps=["exact"], env={"NSP_EVENT_LOG": str(events)}
    )
    bundled_events = read_lines(events)
    events.unlink(missing_ok=True)
    loads = project / "django-loads.log"
    loads.unlink(missing_ok=True)
    django = run_manage(
        project, "test", "-v", "2", "--testrunner", "django.test.runner.DiscoverRunner", *labels,
        env={"NSP_BASE": "django", "NSP_EVENT_LOG": str(events),
             "NSP_FIXTURE_LOAD_LOG": str(loads)},
    )
    compared = Compared(bundled, bundled_events, django, read_lines(loads), read_lines(events))
    assert bundled.outcomes(), compared.describe()
    assert comparable(bundled.outcomes()) == comparable(django.outcomes()), compared.describe()
    assert status_line(bundled.result) == status_line(django), compared.describe()
    assert bundled.returncode == django.returncode, compared.describe()
    return compared


def comparable(outcomes):
    """Before 3.11 unittest's own text runner (Django's) prints a skipped
    or failed ``setUpClass``/``setUpModule`` without its name: compare those
    through the status line only."""
    if sys.version_info >= (3, 11):
        return outcomes
    return {test: outcome for test, outcome in outcomes.items()
            if not test.startswith(("setUpClass ", "setUpModule "))}


def status_line(run):
    """``OK (skipped=1)``, ``FAILED (errors=2)``: the run's last verdict."""
    return [line for line in run.output.splitlines() if line.startswith(("OK", "FAILED"))][-1]


def assert_nothing_left(run):
    (report,) = run.leftovers
    assert report["in_atomic_block"] is False, run.describe()
    assert set(report["counts"].values()) == {0}, run.describe()


@pytest.mark.parametrize("module", ["p1_skip", "p1_error"])
def test_bundle_ends_when_its_last_class_fails_in_set_up_class_before_super(exact, module):
    compared = compare(exact, module)
    outcomes = compared.bundled.outcomes()
    assert outcomes[f"setUpClass ({TESTS}{module}.B_Last"
                    f"{'Skips' if module == 'p1_skip' else 'Fails'}BeforeSuperTests)"] in {
        "skipped", "ERROR"}
    assert Counter(outcomes.values())["ok"] == 4, compared.describe()
    assert compared.closing_line() == (
        "fixture bundling: 3 classes in 2 bundles; fixtures loaded 2 times instead of 3"
    )
    assert len(compared.django_loads) == 3
    assert_nothing_left(compared.bundled)


def test_bundle_ends_when_its_last_class_is_in_a_module_whose_set_up_module_skips(exact):
    compared = compare(exact, "p1_module_a", "p1_module_b", "p1_module_c")
    outcomes = compared.bundled.outcomes()
    assert outcomes[f"setUpModule ({TESTS}p1_module_b)"] == "skipped"
    assert Counter(outcomes.values()) == {"ok": 4, "skipped": 1}, compared.describe()
    assert compared.closing_line() == (
        "fixture bundling: 3 classes in 2 bundles; fixtures loaded 2 times instead of 3"
    )
    assert len(compared.django_loads) == 3
    assert_nothing_left(compared.bundled)


def test_classes_with_different_class_settings_overrides_load_their_own_fixtures(exact):
    compared = compare(exact, "p2_settings")
    assert set(compared.bundled.outcomes().values()) == {"ok"}, compared.describe()
    # Only the two classes with the same @override_settings(TIME_ZONE="UTC")
    # share a load; TIME_ZONE, FIXTURE_DIRS and @modify_settings set apart.
    assert compared.closing_line() == (
        "fixture bundling: 2 classes in 1 bundle; fixtures loaded 1 time instead of 2"
    )
    assert Counter(compared.bundled.fixture_loads) == {
        "default events.json": 2, "default places.json": 4
    }


def module_fixtures(events):
    """Each module's own fixture calls, in order: ``{module: [line, ...]}``."""
    calls = {}
    for line in events:
        module, call = line.split(" ", 1)
        calls.setdefault(module, []).append(call)
    return calls


def test_module_fixtures_run_once_outside_every_bundle(exact):
    compared = compare(exact, "p3_a", "p3_b", "p3_c", "p3_d")
    assert module_fixtures(compared.bundled_events) == module_fixtures(compared.django_events)
    assert module_fixtures(compared.bundled_events) == {
        "p3_a": ["setUpModule in_atomic_block=False", "tearDownModule in_atomic_block=False"],
        "p3_b": ["setUpModule in_atomic_block=False", "tearDownModule in_atomic_block=False"],
        "p3_c": ["setUpModule"],
    }, compared.describe()
    assert compared.bundled.outcomes()[f"setUpModule ({TESTS}p3_c)"] == "ERROR"
    assert compared.closing_line() == (
        "fixture bundling: 4 classes in 2 bundles; fixtures loaded 2 times instead of 4"
    )
    # p3_d's plain TestCase, after the bundle whose last class p3_c's
    # failure kept from running, sees no fixture rows.
    assert compared.bundled.outcomes()[
        describe(TESTS + "p3_d.D_PlainTests", "test_sees_no_fixture_rows")
    ] == "ok"
    assert_nothing_left(compared.bundled)


def test_bundle_survives_a_test_that_closes_the_connection(exact):
    compared = compare(exact, "p4_connection")
    outcomes = compared.bundled.outcomes()
    assert outcomes[
        describe(TESTS + "p4_connection.C_AfterTests", "test_fixture_rows_and_writes_work")
    ] == "ok", compared.describe()
    if selected_backend() == "sqlite":
        # Closing an in-memory SQLite test database does nothing.
        expected = "fixture bundling: 3 classes in 1 bundle; fixtures loaded 1 time instead of 3"
    else:
        # The first class's tests and the second's close the connection:
        # the next class of the bundle reloads, each time.
        expected = (
            "fixture bundling: 3 classes in 1 bundle; fixtures loaded 3 times instead of 3 "
            "(2 again after a test closed the connection)"
        )
    assert compared.closing_line() == expected
    assert len(compared.bundled.fixture_loads) == int(expected.split("loaded ")[1].split()[0])
    assert_nothing_left(compared.bundled)


def test_new_rows_get_the_primary_keys_djangos_runner_gives_them(exact):
    compared = compare(exact, "p5_pks")
    assert compared.bundled_events == compared.django_events, compared.describe()
    if selected_backend() != "mariadb":
        # MariaDB's AUTO_INCREMENT never goes back, under Django's runner too.
        assert "C_PkTests setUpTestData customer 4" in compared.bundled_events
    assert compared.closing_line() == (
        "fixture bundling: 3 classes in 1 bundle; fixtures loaded 1 time instead of 3"
    )


def test_each_class_is_told_its_part_as_it_starts_and_the_load_follows_it(exact):
    told = exact / "told.log"
    told.unlink(missing_ok=True)
    # One log for the classes' lines and the loaddata calls, in order.
    run = ours(exact, TESTS + "p6_protocol", leftover_apps=["exact"],
                       env={"NSP_EVENT_LOG": str(told), "NSP_FIXTURE_LOAD_LOG": str(told)})
    lost = selected_backend() != "sqlite"  # closing in-memory SQLite does nothing
    assert read_lines(told) == [
        "B_Tests sets_up_fixture_bundle=True",
        "default customers.json",
        "B_Tests tears_down_fixture_bundle=False in_atomic_block=True",
        "C_ClosesTests sets_up_fixture_bundle=False",
        "C_ClosesTests tears_down_fixture_bundle=False in_atomic_block=True",
        # The connection C's test closed took the bundle's transaction: D
        # is told to set the bundle up again, and loads.
        f"D_Tests sets_up_fixture_bundle={lost}",
        *(["default customers.json"] if lost else []),
        "D_Tests tears_down_fixture_bundle=False in_atomic_block=True",
        # The last class is told to tear down; it raises SkipTest before
        # super(), so the run rolls the bundle back in its place.
        "E_SkipsBeforeSuperTests sets_up_fixture_bundle=False tears_down_fixture_bundle=True",
    ], run.describe()
    assert Counter(run.outcomes().values()) == {"ok": 4, "skipped": 2}, run.describe()
    assert_nothing_left(run)


STRING_FIXTURES_ERROR = (
    "django.core.exceptions.ImproperlyConfigured: exact.tests.p15_string.{}.fixtures is the "
    "string 'customers', but fixtures must be a list of fixture names: "
    "write fixtures = ['customers']"
)


@pytest.mark.parametrize("bundling", [True, False], ids=["bundled", "not-bundled"])
def test_fixtures_given_as_a_string_say_that_fixtures_must_be_a_list(exact, bundling):
    run = ours(exact, TESTS + "p15_string", bundling=bundling)
    if FORMS[exact] == "plain":  # a class that does not bundle keeps Django's own error
        for name in ("A_StringFixturesTests", "B_StringFixturesTests"):
            assert run.outcomes()[f"setUpClass ({TESTS}p15_string.{name})"] == "ERROR"
        assert "No fixture named 'c'" in run.output, run.describe()
        return
    for name in ("A_StringFixturesTests", "B_StringFixturesTests"):
        assert run.outcomes()[f"setUpClass ({TESTS}p15_string.{name})"] == "ERROR"
        assert STRING_FIXTURES_ERROR.format(name) in run.output, run.describe()
    assert "No fixture named 'c'" not in run.output
    assert run.fixture_loads == []
