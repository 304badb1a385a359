"""``--affected`` with the rest of the run: ``manage.py test``, shards,
``REUSE_DB=1``, fixture bundles, junit-xml, and coverage (which before
Python 3.12 takes ``sys.settrace`` from the recorder). ``--django-parallel``
is measured edit by edit in ``test_affected_exactness``."""

import json
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from tests.support.nose2run import copy_scenario, remove_copy, run_manage, run_nose2

TOTAL = 14
SHARDS = ("--plugin", "nose_speedup.plugins.shards")
REUSE = ("--plugin", "nose_speedup.plugins.reuse_db")
JUNIT = ("--plugin", "nose2.plugins.junitxml", "--junit-xml", "--junit-xml-path", "junit.xml")


@pytest.fixture
def store():
    project = copy_scenario("affected/store")
    yield project
    remove_copy(project)


def edit(project, path, old, new):
    target = project / path
    text = target.read_text()
    assert old in text, f"{old!r} is not in {path}"
    target.write_text(text.replace(old, new))


def edit_view(project):
    edit(project, "store/views.py", ':.2f}"', ':.1f}"')


def recorded_modules(project):
    return json.loads((project / ".nose-speedup" / "affected.json").read_text())["modules"]


@pytest.mark.backend_independent
def test_manage_py_test_affected_records_start_up_and_prints_what_was_not_run(store):
    recording = run_manage(store, "test", "--affected")
    assert recording.returncode == 0, recording.describe()
    assert "running nose2 in a new process" in recording.output, recording.describe()
    assert f"Affected: {TOTAL} of {TOTAL} tests; no record yet" in recording.output
    edit_view(store)
    view = run_manage(store, "test", "--affected")
    assert view.returncode == 1, view.describe()
    assert f"Affected: 2 of {TOTAL} tests; 1 file changed since the last run (store/views.py)" \
        in view.output, view.describe()
    assert f"FAILED (2 run; {TOTAL - 2} unaffected and not run; failures=1)" in view.output
    # Settings run before the tests, in manage.py's process too: the new
    # process's record saw them.
    edit(store, "storesite/settings.py", 'STORE_CURRENCY = "EUR"', 'STORE_CURRENCY = "USD"')
    settings = run_manage(store, "test", "--affected")
    assert f"Affected: {TOTAL} of {TOTAL} tests; every test: storesite/settings.py changed" \
        in settings.output, settings.describe()


@pytest.mark.backend_independent
def test_the_shards_of_a_suite_add_up_to_one_record(store):
    for shard in ("1/2", "2/2"):
        part = run_nose2(store, "--affected", *SHARDS, "--shard", shard)
        assert part.returncode == 0, part.describe()
    # test_views's two classes went to different shards: its entry holds both.
    assert len(recorded_modules(store)["store.tests.test_views"]["tests"]) == 2
    whole = run_nose2(store, "--affected")
    assert f"Affected: 0 of {TOTAL} tests; no recorded input changed" in whole.output, \
        whole.describe()
    edit_view(store)
    shard_runs = [run_nose2(store, "-v", "--affected", *SHARDS, "--shard", shard)
                  for shard in ("1/2", "2/2")]
    ran = [test for run in shard_runs for test in run.outcomes()]
    assert any("test_page_shows_the_price_with_tax" in test for test in ran), ran
    assert not any("test_unrelated" in test for test in ran), ran


def test_reuse_db_keeps_the_database_and_the_selection(store):
    env = {"REUSE_DB": "1"}
    first = run_nose2(store, "--affected", *REUSE, env=env)
    assert first.returncode == 0, first.describe()
    warm = run_nose2(store, "--affected", *REUSE, env=env)
    # Nothing selected: no test database is set up at all, kept or new.
    assert "Creating test database" not in warm.output, warm.describe()
    assert f"OK (0 run; {TOTAL} unaffected and not run)" in warm.output, warm.describe()
    edit_view(store)
    view = run_nose2(store, "-v", "--affected", *REUSE, env=env)
    assert "Reusing test database" in view.output, view.describe()
    assert view.returncode == 1 and len(view.outcomes()) == 2, view.describe()
    assert "FAIL" in view.outcomes().values(), view.describe()


@pytest.mark.backend_independent
def test_a_bundle_whose_classes_are_both_selected_still_loads_its_fixtures_once(store):
    assert run_nose2(store, "--affected").returncode == 0
    edit(store, "store/fixtures/products.json", '"100.00"', '"90.00"')
    result = run_nose2(store, "-v", "--affected")
    assert len(result.outcomes()) == 6, result.describe()  # test_models, test_views
    assert "2 classes in 1 bundle; fixtures loaded 1 time instead of 2" in result.output, \
        result.describe()


@pytest.mark.backend_independent
def test_junit_xml_leaves_the_tests_not_run_out(store):
    assert run_nose2(store, "--affected").returncode == 0
    edit_view(store)
    result = run_nose2(store, "--affected", *JUNIT)
    assert result.returncode == 1, result.describe()
    suite = ElementTree.parse(store / "junit.xml").getroot()
    cases = {f"{case.get('classname')}.{case.get('name')}" for case in suite.iter("testcase")}
    assert cases == {
        "store.tests.test_views.ProductPageTests.test_page_shows_the_price_with_tax",
        "store.tests.test_views.ProductUrlTests.test_product_url",
    }
    assert suite.get("tests") == "2" and suite.get("skipped") == "0"


@pytest.mark.backend_independent
def test_with_coverage_the_run_records_only_where_both_can_watch(store):
    result = run_nose2(store, "--affected", "--with-coverage")
    assert result.returncode == 0, result.describe()
    if sys.version_info < (3, 12):  # coverage's tracer replaces the recorder's
        assert "affected: nothing recorded: another tracer (coverage?)" in result.output
        assert not (store / ".nose-speedup" / "affected.json").exists()
    else:  # sys.monitoring records beside coverage's sys.settrace
        assert "nothing recorded" not in result.output, result.describe()
        assert "store/views.py" in recorded_modules(store)["store.tests.test_views"]["code"]


@pytest.mark.backend_independent
def test_a_template_file_added_runs_every_test_since_a_loader_may_now_find_it_first(store):
    assert run_nose2(store, "--affected").returncode == 0
    (store / "store" / "templates" / "store" / "banner.html").write_text("<p>Sale</p>\n")
    result = run_nose2(store, "--affected")
    assert f"Affected: {TOTAL} of {TOTAL} tests; every test: a template or fixture file was " \
        "added or removed" in result.output, result.describe()


@pytest.mark.backend_independent
def test_the_first_line_counts_the_modules_run_for_their_own_sake(store):
    assert run_nose2(store, "--affected").returncode == 0
    (store / "store" / "tests" / "test_new.py").write_text(
        "import unittest\n\n\nclass NewTests(unittest.TestCase):\n"
        "    def test_new(self):\n        pass\n"
    )
    edit_view(store)
    result = run_nose2(store, "--affected")
    assert f"Affected: 3 of {TOTAL + 1} tests; 1 file changed since the last run " \
        "(store/views.py); and 1 module: no record" in result.output, result.describe()


@pytest.mark.backend_independent
def test_collect_only_lists_the_selection_and_records_nothing(store):
    assert run_nose2(store, "--affected").returncode == 0
    edit_view(store)
    listed = run_nose2(store, "--affected", "--plugin", "nose2.plugins.collect",
                       "--collect-only")
    assert f"Affected: 2 of {TOTAL} tests" in listed.output, listed.describe()
    assert "affected: nothing recorded: nose2's --collect-only runs no test" in listed.output
    # Collecting "passed" every test without running it: the edit is still unseen.
    after = run_nose2(store, "-v", "--affected")
    assert after.returncode == 1 and len(after.outcomes()) == 2, after.describe()
