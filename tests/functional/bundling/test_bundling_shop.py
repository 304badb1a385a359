"""Fixture bundling on the ``shop`` scenario, run by nose2 in a subprocess.

The scenario's classes share three fixture sets across three modules, with
failing and erroring tests, class-level skips first and last in a bundle,
``setUpTestData`` failing in a bundle's first and last class, a two-database
bundle, ``serialized_rollback``, an exempt class, a plain ``TestCase`` and a
``TransactionTestCase``. Bundling is proven through side channels: the
``loadcount`` app logs every ``loaddata`` call, and the ``leftovers`` engine
reports what each test database holds just before it is destroyed.
"""

from collections import Counter

import pytest

from tests.scenarios.bundling.support.runs import outcome_order, run_scenario
from tests.support.nose2run import run_manage, run_nose2
from tests.support.projects import scenario_copy

SHOP = "shop.tests."
EXPECTED_BUNDLED_ORDER = [
    SHOP + name
    for name in (
        "test_a_customers.CustomerCountTests",
        "test_b_mixed.CustomerSetUpTestDataTests",
        "test_c_more.CustomerNamesTests",
        "test_a_customers.OrderTotalsTests",
        "test_c_more.OrderCountTests",
        "test_c_more.SerializedRollbackTests",
        "test_c_more.WhenSetUpTestDataFailsLastTests",
        "test_a_customers.SkippedFirstVipTests",
        "test_b_mixed.VipTests",
        "test_c_more.VipLastTests",
        "test_c_more.VipSkippedLastTests",
        "test_b_mixed.ExemptTests",
        "test_b_mixed.PlainTestCaseTests",
        "test_c_more.MultiDatabaseBrokenFirstTests",
        "test_c_more.MultiDatabaseMoreTests",
        "test_c_more.MultiDatabaseTests",
        "test_b_mixed.RegionTransactionTests",
    )
]


shop = scenario_copy("bundling/shop")


@pytest.fixture(scope="module")
def bundled(shop):
    return run_scenario(shop, leftover_apps=["shop"])


@pytest.fixture(scope="module")
def unbundled(shop):
    return run_scenario(shop, bundling=False, leftover_apps=["shop"])


def outcomes_of(run, class_name):
    return {
        test: outcome for test, outcome in run.outcomes().items() if f".{class_name}" in test
    }


def outcome_of(run, class_name, method):
    for test, outcome in outcomes_of(run, class_name).items():
        if test.startswith(method + " ("):
            return outcome
    raise AssertionError(f"{class_name}.{method} did not run:\n{run.describe()}")


def assert_no_leftovers(run, aliases=("default", "other")):
    """Each test database, as it was destroyed, held no fixture or test rows
    and had no atomic block open, on the connection the tests used."""
    assert sorted(report["alias"] for report in run.leftovers) == sorted(aliases), run.describe()
    for report in run.leftovers:
        assert report["in_atomic_block"] is False, (report, run.describe())
        assert report["counts"]["shop.Customer"] == 0, (report, run.describe())
        assert report["counts"]["shop.Order"] == 0, (report, run.describe())


def test_bundled_run_has_the_same_outcomes_as_djangos_loading(bundled, unbundled):
    outcomes = bundled.outcomes()
    assert outcomes == unbundled.outcomes(), bundled.describe()
    assert Counter(o.split(" ")[0] for o in outcomes.values()) == {
        "ok": 17, "FAIL": 2, "ERROR": 4, "skipped": 2
    }, bundled.describe()
    assert bundled.returncode == unbundled.returncode == 1


def test_each_shared_fixture_set_is_loaded_once_per_database(bundled, unbundled):
    assert Counter(bundled.fixture_loads) == {
        "default customers.json": 4,  # bundle, bundle of the two-database classes, exempt, plain
        "other customers.json": 1,
        "default customers.json orders.json": 1,
        "default vip.json": 1,
    }, bundled.describe()
    assert Counter(unbundled.fixture_loads) == {
        "default customers.json": 8,
        "other customers.json": 3,
        "default customers.json orders.json": 4,
        "default vip.json": 2,
    }, unbundled.describe()


def test_closing_line_reports_the_counted_loads(bundled, unbundled):
    assert bundled.output.rstrip().endswith(
        "fixture bundling: 12 classes in 4 bundles; fixtures loaded 4 times instead of 12"
    ), bundled.describe()
    assert "fixture bundling:" not in unbundled.output


def test_bundled_classes_run_contiguously_where_their_first_class_stood(bundled):
    assert outcome_order(bundled) == EXPECTED_BUNDLED_ORDER, bundled.describe()


def test_classes_skipped_first_and_last_in_a_bundle_leave_it_working(bundled):
    assert set(outcomes_of(bundled, "SkippedFirstVipTests").values()) == {"skipped"}
    assert "... skipped Database has feature(s) uses_savepoints" in bundled.output
    assert set(outcomes_of(bundled, "VipSkippedLastTests").values()) == {"skipped"}
    assert "... skipped skipped at the end of its bundle" in bundled.output
    assert set(outcomes_of(bundled, "VipTests").values()) == {"ok"}
    assert set(outcomes_of(bundled, "VipLastTests").values()) == {"ok"}, bundled.describe()


def test_failing_set_up_test_data_leaves_the_rest_of_its_bundle_running(bundled):
    for broken in ("MultiDatabaseBrokenFirstTests", "WhenSetUpTestDataFailsLastTests"):
        assert outcomes_of(bundled, broken) == {
            f"setUpClass ({SHOP}test_c_more.{broken})": "ERROR"
        }, bundled.describe()
    assert "setUpTestData failed on purpose" in bundled.output
    for survivor in ("MultiDatabaseTests", "MultiDatabaseMoreTests", "SerializedRollbackTests"):
        assert set(outcomes_of(bundled, survivor).values()) == {"ok"}, bundled.describe()


def test_set_up_test_data_and_tests_are_rolled_back_between_classes_of_a_bundle(bundled):
    # CustomerNamesTests runs after CustomerSetUpTestDataTests and
    # CustomerCountTests in their bundle and checks that none of their rows
    # ("extra", "temporary") is there.
    assert set(outcomes_of(bundled, "CustomerSetUpTestDataTests").values()) == {"ok"}
    assert outcome_of(bundled, "CustomerNamesTests", "test_fixture_names") == "ok"
    assert outcome_of(bundled, "VipLastTests", "test_vip_guest_was_rolled_back") == "ok"


def test_databases_hold_after_the_run_exactly_what_they_held_before(bundled):
    assert_no_leftovers(bundled)


def test_transaction_test_case_after_the_bundles_sees_migration_data(bundled):
    assert outcome_order(bundled)[-1] == SHOP + "test_b_mixed.RegionTransactionTests"
    assert set(outcomes_of(bundled, "RegionTransactionTests").values()) == {"ok"}


def test_without_the_plugin_a_fast_fixture_test_case_behaves_like_djangos(shop):
    only_django = ("--plugin", "nose_speedup.plugins.django")
    ours = run_nose2(shop, "-v", *only_django, env=_logs(shop, "ours"))
    djangos = run_nose2(
        shop, "-v", *only_django, env={**_logs(shop, "django"), "NSP_BASE": "django"}
    )
    assert ours.outcomes() == djangos.outcomes(), ours.describe()
    assert (shop / "ours.log").read_text() == (shop / "django.log").read_text()
    assert "fixture bundling:" not in ours.output


def _logs(shop, name):
    (shop / f"{name}.log").unlink(missing_ok=True)
    return {"NSP_FIXTURE_LOAD_LOG": str(shop / f"{name}.log")}


@pytest.mark.parametrize(
    "label",
    [
        "shop.tests.test_c_more",
        "shop.tests.test_c_more.MultiDatabaseTests",
        "shop.tests.test_a_customers.CustomerCountTests.test_fixture_rows_are_there",
    ],
    ids=["module", "class", "test"],
)
def test_running_a_subset_has_the_same_outcomes(shop, label):
    bundled = run_scenario(shop, label, leftover_apps=["shop"])
    unbundled = run_scenario(shop, label, bundling=False)
    assert bundled.outcomes() and bundled.outcomes() == unbundled.outcomes(), bundled.describe()
    assert_no_leftovers(bundled, ("default",) if ".test_a_" in label else ("default", "other"))


BUNDLES = {
    "customers": ("CustomerCountTests", "CustomerSetUpTestDataTests", "CustomerNamesTests"),
    "customers and orders": (
        "OrderTotalsTests", "OrderCountTests", "SerializedRollbackTests",
        "WhenSetUpTestDataFailsLastTests",
    ),
    "vip": ("SkippedFirstVipTests", "VipTests", "VipLastTests", "VipSkippedLastTests"),
    "two databases": (
        "MultiDatabaseBrokenFirstTests", "MultiDatabaseMoreTests", "MultiDatabaseTests"
    ),
}


def test_shuffled_run_keeps_bundles_contiguous_and_outcomes_unchanged(shop, unbundled):
    shuffled = run_scenario(shop, "--django-shuffle", "20261121", leftover_apps=["shop"])
    assert shuffled.outcomes() == unbundled.outcomes(), shuffled.describe()
    order = [name.rsplit(".", 1)[-1] for name in outcome_order(shuffled)]
    for bundle, members in BUNDLES.items():
        positions = sorted(order.index(member) for member in members)
        assert positions == list(range(positions[0], positions[0] + len(members))), (bundle, order)
    assert order[-1] == "RegionTransactionTests"
    assert "fixture bundling: 12 classes in 4 bundles" in shuffled.output


def test_always_on_in_the_config_switches_bundling_on(shop):
    (shop / "bundling.cfg").write_text("[fixture-bundling]\nalways-on = True\n")
    run = run_scenario(shop, "-c", "bundling.cfg", bundling=False)
    assert "fixture bundling: 12 classes in 4 bundles" in run.output, run.describe()


def test_failfast_in_the_middle_of_a_bundle_leaves_no_transaction_and_no_rows(shop):
    run = run_scenario(shop, "-F", leftover_apps=["shop"])
    assert list(run.outcomes().values())[-1] == "FAIL", run.describe()
    assert len(run.outcomes()) < 5
    assert_no_leftovers(run)


def test_keyboard_interrupt_in_the_middle_of_a_bundle_leaves_no_transaction_and_no_rows(shop):
    run = run_scenario(shop, leftover_apps=["shop"], env={"NSP_INTERRUPT": "1"})
    assert "KeyboardInterrupt" in run.output, run.describe()
    assert run.returncode != 0
    assert "test_may_be_interrupted" not in "".join(run.outcomes())
    assert "test_fixtures_are_in_both_databases" not in "".join(run.outcomes())
    assert_no_leftovers(run)


def test_bundling_without_the_django_plugin_stops_with_a_clear_error(shop):
    run = run_nose2(shop, "--plugin", "nose_speedup.plugins.bundling", "--with-fixture-bundling")
    assert run.returncode == 1
    assert "fixture-bundling: the django plugin is not loaded" in run.stderr, run.describe()
    assert "--plugin nose_speedup.plugins.django" in run.stderr


def test_manage_py_test_with_the_nose2_runner_bundles(shop, unbundled):
    run = run_manage(shop, "test", "-v", "2", env=_logs(shop, "manage"))
    assert run.outcomes() == unbundled.outcomes(), run.describe()
    # manage.py test loads the timing plugin, whose closing line has the counts.
    assert "nose-speedup: 12 classes in 4 bundles" in run.output, run.describe()
    assert len((shop / "manage.log").read_text().splitlines()) == 7
