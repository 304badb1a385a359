"""Fixture bundling when fixtures cannot load, and on a database without
transactions: scenarios ``badfix`` and ``notrans``, run by nose2 in a
subprocess."""

from collections import Counter

import pytest

from tests.scenarios.bundling.support.runs import run_scenario
from tests.support.nose2run import copy_scenario, remove_copy
from tests.support.projects import scenario_copy

BAD_FIXTURES = {
    # class name prefix: (fixture, what Django says, the fix)
    "MissingFixture": (
        "users.json",
        "No fixture named 'users' found",
        "Fix the name in MissingFixtureFirstTests.fixtures or add the file to a fixtures "
        "directory",
    ),
    "MalformedFixture": (
        "malformed.json",
        "malformed.json': Expecting ',' delimiter",
        "Fix the file: it must be a valid fixture",
    ),
    "UnknownModelFixture": (
        "unknown_model.json",
        "App 'badfix' doesn't have a 'supplier' model",
        "Fix the file: it must be a valid fixture",
    ),
    "UnknownFieldFixture": (
        "unknown_field.json",
        "Customer has no field named 'nickname'",
        "Fix the file: it must be a valid fixture",
    ),
}


badfix = scenario_copy("bundling/badfix")


@pytest.fixture(scope="module")
def bundled(badfix):
    return run_scenario(badfix, leftover_apps=["badfix"])


@pytest.fixture(scope="module")
def unbundled(badfix):
    return run_scenario(badfix, bundling=False)


@pytest.mark.parametrize("prefix", sorted(BAD_FIXTURES))
def test_fixture_that_fails_to_load_is_named_with_its_class_and_fix(bundled, prefix):
    fixture, reason, fix = BAD_FIXTURES[prefix]
    error_lines = [
        line for line in bundled.output.splitlines()
        if line.startswith(
            "nose_speedup.bundling.fixture_errors.FixtureBundleError: fixture-bundling: "
            f"badfix.tests.{prefix}FirstTests could not load fixture '{fixture}': "
        )
    ]
    assert len(error_lines) == 1, bundled.describe()
    assert reason in error_lines[0] and fix in error_lines[0], error_lines[0]


@pytest.mark.parametrize("prefix", sorted(BAD_FIXTURES))
def test_other_classes_of_a_broken_bundle_get_a_clear_error_and_never_run(bundled, prefix):
    fixture, reason, _ = BAD_FIXTURES[prefix]
    second = f"badfix.tests.{prefix}SecondTests"
    assert bundled.outcomes()[f"setUpClass ({second})"] == "ERROR", bundled.describe()
    assert not [test for test in bundled.outcomes() if test.startswith("test_") and second in test]
    expected = (
        f"fixture-bundling: {second} was not run because the fixtures of its bundle did not "
        f"load in badfix.tests.{prefix}FirstTests, which could not load fixture '{fixture}': "
    )
    assert expected in bundled.output, bundled.describe()


def test_bundles_next_to_broken_ones_run_normally(bundled):
    good = {test: outcome for test, outcome in bundled.outcomes().items() if ".Good" in test}
    assert len(good) == 2 and set(good.values()) == {"ok"}, bundled.describe()
    assert Counter(bundled.fixture_loads)["default good.json"] == 1


def test_broken_bundles_have_the_same_outcomes_as_djangos_loading(bundled, unbundled):
    assert bundled.outcomes() == unbundled.outcomes(), bundled.describe()
    assert bundled.output.rstrip().endswith(
        "fixture bundling: 10 classes in 5 bundles; fixtures loaded 5 times instead of 10"
    )


def test_failed_fixture_loads_leave_nothing_behind(bundled):
    (report,) = bundled.leftovers
    assert report["in_atomic_block"] is False
    assert report["counts"] == {"badfix.Customer": 0}, bundled.describe()


def test_database_without_transactions_keeps_djangos_loading_and_says_so():
    project = copy_scenario("bundling/notrans")
    try:
        bundled = run_scenario(project)
        unbundled = run_scenario(project, bundling=False)
    finally:
        remove_copy(project)
    assert bundled.outcomes() == unbundled.outcomes(), bundled.describe()
    assert set(bundled.outcomes().values()) == {"ok"}
    # Django reloads fixtures for every test when there are no transactions.
    assert bundled.fixture_loads == unbundled.fixture_loads == ["default customers.json"] * 3
    closing = [line for line in bundled.output.splitlines() if line.startswith("fixture bundling")]
    assert closing == [
        "fixture bundling: 2 classes not bundled because database 'default' has no "
        "transactions: they load their fixtures themselves, as Django does"
    ], bundled.describe()
