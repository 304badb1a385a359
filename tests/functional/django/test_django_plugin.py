"""The django plugin and Nose2TestRunner give the outcomes Django's own runner
gives, and stop with one clear line on bad input. Each test runs nose2 or
manage.py in a subprocess against tests/scenarios/django/basic.

Order, labels, start-up errors and nose2 arguments are settled apart from
the database: those tests are ``backend_independent``
(tests/support/backend_independent.py); outcomes, databases created and
serialized, and the real-database guards run on every database."""

import sys
from xml.etree import ElementTree

import pytest

from tests.support.nose2run import copy_scenario, describe, remove_copy, run_manage, run_nose2
from tests.support.projects import scenario_copy

NOSE2 = ("-v", "--plugin", "nose_speedup.plugins.django", "-s", ".", "-t", ".")
DJANGO_RUNNER = (
    "test",
    "--testrunner",
    "django.test.runner.DiscoverRunner",
    "-v",
    "2",
    "--noinput",
)

EXPECTED = {
    describe("shelf.tests.test_books.BookFixtureTests", "test_errors"): "ERROR",
    describe("shelf.tests.test_books.BookFixtureTests", "test_fails"): "FAIL",
    describe("shelf.tests.test_books.BookFixtureTests", "test_skipped"): "skipped",
    "setUpClass (shelf.tests.test_books.BrokenSetUpClassTests)": "ERROR",
    describe("shelf.tests.test_books.PlainUnittestTests", "test_plain"): "ok",
}


def comparable(outcomes):
    """Outcomes to compare with Django's runner. Before Python 3.11 unittest's
    text runner prints a class fixture error as a bare "ERROR" line, so there
    only test lines can be compared."""
    if sys.version_info >= (3, 11):
        return outcomes
    return {test: outcome for test, outcome in outcomes.items() if not test.startswith("setUp")}


EVERY_OUTCOME = dict.fromkeys([f"t{i}" for i in range(14)] + ["setUpClass (x)"])


project = scenario_copy("django/basic", scope="function")


@pytest.fixture(scope="module")
def django_run():
    """Django's own runner on the scenario: the reference outcomes."""
    path = copy_scenario("django/basic")
    try:
        yield run_manage(path, *DJANGO_RUNNER)
    finally:
        remove_copy(path)


def nose2(project, *args, **kwargs):
    return run_nose2(project, *NOSE2, "--django-settings", "settings", *args, **kwargs)


@pytest.fixture(scope="module")
def plain_run():
    """``nose2`` with no argument on a fresh copy of the scenario, and the
    copy: one run for the tests that read that run (it is the same run
    whichever reads it)."""
    path = copy_scenario("django/basic")
    try:
        yield path, nose2(path)
    finally:
        remove_copy(path)


def test_outcomes_match_djangos_runner_under_nose2(plain_run, django_run):
    _, result = plain_run
    assert result.returncode == 1, result.describe()
    assert django_run.returncode == 1, django_run.describe()
    assert len(comparable(django_run.outcomes())) == len(comparable(EVERY_OUTCOME)), (
        django_run.describe()
    )
    assert comparable(result.outcomes()) == comparable(django_run.outcomes()), result.describe()
    # And in the same order: Django's discovery order, whatever os.listdir says.
    assert list(comparable(result.outcomes())) == list(comparable(django_run.outcomes()))
    for test, outcome in EXPECTED.items():
        assert result.outcomes()[test] == outcome, result.describe()


def test_outcomes_match_djangos_runner_under_manage_py_test(project, django_run):
    result = run_manage(project, "test", "-v", "2", "--noinput")
    assert result.returncode == 1, result.describe()
    assert comparable(result.outcomes()) == comparable(django_run.outcomes()), result.describe()


@pytest.mark.backend_independent
def test_transaction_test_cases_run_after_every_test_case(plain_run):
    lines = list(plain_run[1].outcomes())
    transactional = lines.index(
        describe(
            "shelf.tests.test_a_transactional.EarlyTransactionalTests", "test_sees_migration_row"
        )
    )
    last_test_case = lines.index(
        describe("shelf.tests.test_books.OtherDatabaseTests", "test_other_alias_is_migrated")
    )
    assert transactional > last_test_case


@pytest.mark.backend_independent
def test_shuffled_run_orders_like_djangos_shuffle_and_prints_its_seed(project, plain_run):
    result = nose2(project, "--django-shuffle", "1234")
    assert "Using shuffle seed: 1234 (given)" in result.output, result.describe()
    reference = run_manage(project, *DJANGO_RUNNER, "--shuffle", "1234")
    ours, theirs = comparable(result.outcomes()), comparable(reference.outcomes())
    if sys.version_info < (3, 11):
        # unittest there prints an error raised before startTest as a bare
        # "ERROR" line, so Django's output names fewer tests than ours.
        ours = {test: outcome for test, outcome in ours.items() if test in theirs}
    assert list(ours.items()) == list(theirs.items()), result.describe() + reference.describe()
    assert list(result.outcomes()) != list(plain_run[1].outcomes())


def test_only_databases_of_selected_tests_are_created(project, plain_run):
    result = nose2(project, "shelf.tests.test_books.BookFixtureTests")
    assert "Creating test database for alias 'default'" in result.output, result.describe()
    assert "alias 'other'" not in result.output, result.describe()
    _, full = plain_run
    assert "Creating test database for alias 'other'" in full.output, full.describe()


def test_only_aliases_needing_serialized_rollback_are_serialized(project, tmp_path):
    report = tmp_path / "serialized.txt"
    nose2(project, "shelf.tests.test_probe", env={"PROBE_REPORT": str(report)})
    assert report.read_text() == ""
    nose2(
        project,
        "shelf.tests.test_probe",
        "shelf.tests.test_a_transactional",
        env={"PROBE_REPORT": str(report)},
    )
    assert report.read_text() == "default"


@pytest.mark.backend_independent
@pytest.mark.parametrize(
    "label, outcome",
    [
        ("shelf", 15),
        ("shelf.tests.test_books", 12),
        ("shelf.tests.test_books.BookFixtureTests", 6),
        ("shelf.tests.test_books.BookFixtureTests.test_is_long", 1),
    ],
)
def test_dotted_labels_select_app_module_class_and_method(project, label, outcome):
    result = run_manage(project, "test", "-v", "2", "--noinput", label)
    assert len(result.outcomes()) == outcome, result.describe()


@pytest.mark.backend_independent
def test_settings_module_that_does_not_import_is_one_clear_line(project):
    result = run_nose2(project, *NOSE2, "--django-settings", "nosuch.settings")
    assert result.returncode != 0
    assert "django plugin: settings module 'nosuch.settings' cannot be imported" in result.stderr
    assert "Traceback" not in result.output, result.describe()


@pytest.mark.backend_independent
def test_missing_settings_is_one_clear_line(project):
    result = run_nose2(project, *NOSE2)
    assert result.returncode != 0
    assert "django plugin: no Django settings module is set" in result.stderr, result.describe()
    assert "Traceback" not in result.output


@pytest.mark.backend_independent
def test_unknown_label_is_one_clear_line(project):
    result = nose2(project, "shelf.tests.test_nope")
    assert result.returncode != 0
    assert "django plugin: test label 'shelf.tests.test_nope' names nothing" in result.stderr, (
        result.describe()
    )
    assert "Traceback" not in result.output
    result = nose2(project, "shelf.tests.test_books.NoSuchTests")
    assert "'shelf.tests.test_books' has no attribute 'NoSuchTests'" in result.stderr


@pytest.mark.backend_independent
def test_unreachable_database_server_is_one_clear_line(project):
    env = {"NOSE_SPEEDUP_TEST_DB": "postgresql", "NOSE_SPEEDUP_PG_PORT": "1"}
    result = nose2(project, env=env)
    assert result.returncode != 0
    assert (
        "django plugin: cannot connect to the database server of alias 'default' "
        "(postgresql at 127.0.0.1:1)" in result.stderr
    ), result.describe()
    assert "Traceback" not in result.output


def test_test_database_named_like_a_real_one_is_refused_and_untouched(project):
    settings = project / "settings.py"
    settings.write_text(
        settings.read_text()
        + "\nDATABASES['default']['TEST'] = dict(DATABASES['default'].get('TEST', {}),"
        " NAME=DATABASES['default']['NAME'])\n"
    )
    result = nose2(project)
    assert result.returncode != 0
    assert "a real database that creating the test database would destroy" in result.stderr, (
        result.describe()
    )
    assert "Creating test database" not in result.output


def test_failfast_stops_after_first_failure_and_tears_down(project):
    result = run_manage(project, "test", "-v", "2", "--noinput", "--failfast")
    outcomes = list(result.outcomes().values())
    assert (
        outcomes[-1] in ("FAIL", "ERROR") and outcomes.count("ERROR") + outcomes.count("FAIL") == 1
    )
    assert "Destroying test database for alias 'default'" in result.output, result.describe()




@pytest.mark.backend_independent
def test_arguments_after_double_dash_reach_nose2(project):
    result = run_manage(
        project,
        "test",
        "--noinput",
        "shelf.tests.test_probe",
        "--",
        "--plugin",
        "nose2.plugins.junitxml",
        "--junit-xml",
    )
    assert result.returncode == 0, result.describe()
    assert (project / "nose2-junit.xml").exists()


@pytest.mark.backend_independent
def test_works_with_nose2_junit_xml_and_coverage_plugins(project):
    result = nose2(
        project,
        "--junit-xml",
        "--plugin",
        "nose2.plugins.junitxml",
        "--with-coverage",
        "--coverage",
        "shelf",
    )
    assert result.returncode == 1, result.describe()
    xml = (project / "nose2-junit.xml").read_text()
    errors = [
        f"{case.get('classname')}.{case.get('name')}"
        for case in ElementTree.fromstring(xml).iter("testcase")
        if case.find("error") is not None
    ]
    assert "setUpClass (shelf.tests.test_books.BrokenSetUpClassTests)" in errors, xml
    assert xml.count("<testcase") == 15, xml
    assert "Cover" in result.output and "shelf/models.py" in result.output, result.describe()


def test_class_level_feature_skips_never_query_the_real_database(plain_run):
    project, result = plain_run
    gated = describe(
        "shelf.tests.test_books.FeatureGatedTests", "test_runs_where_the_feature_exists"
    )
    assert result.outcomes()[gated] == "ok", result.describe()
    # SQLite creates the real database file on first connection.
    assert not (project / "django_basic.sqlite3").exists()
    assert 'database "nsp_' not in result.output and "Unknown database" not in result.output


@pytest.mark.backend_independent
def test_manage_py_shuffle_maps_to_the_django_plugins_shuffle(project):
    result = run_manage(project, "test", "-v", "2", "--noinput", "--shuffle", "1234")
    assert "Using shuffle seed: 1234 (given)" in result.output, result.describe()
    reference = nose2(project, "--django-shuffle", "1234")
    assert list(result.outcomes()) == list(reference.outcomes())


@pytest.mark.backend_independent
def test_nose2_plugins_and_arguments_come_from_settings(project):
    settings = project / "settings.py"
    settings.write_text(
        settings.read_text()
        + '\nNOSE2_PLUGINS = ["nose2.plugins.junitxml"]\nNOSE2_ARGS = ["--junit-xml"]\n'
    )
    result = run_manage(project, "test", "--noinput", "shelf.tests.test_probe")
    assert result.returncode == 0, result.describe()
    assert "test_report_serialized_aliases" in (project / "nose2-junit.xml").read_text()


@pytest.mark.backend_independent
def test_reverse_orders_like_djangos_reverse(project, plain_run):
    result = nose2(project, "--django-reverse")
    reference = run_manage(project, *DJANGO_RUNNER, "--reverse")
    ours, theirs = comparable(result.outcomes()), comparable(reference.outcomes())
    if sys.version_info < (3, 11):
        ours = {test: outcome for test, outcome in ours.items() if test in theirs}
    assert list(ours) == list(theirs), result.describe() + reference.describe()
    assert list(result.outcomes()) != list(plain_run[1].outcomes())
