"""The HTML report of a run (``--speedup-report-html PATH``, ``[timing]
report-html``, ``manage.py test --speedup-report-html``) on the
``timing/depot`` scenario, run by nose2 in a subprocess, serially and under
``--django-parallel 2``.

The report is read back from the file (its JSON block): its lanes, the spans
each lane has and their order and nesting, never their sizes. Then it is
rendered in headless chromium (``tests/support/browser.py``): no console
error, every span drawn, a screenshot kept (its path is listed at the end of
the pytest run, under ``$NOSE_SPEEDUP_ARTIFACTS`` when set).
"""

import json
import re
from pathlib import Path

import pytest

from tests.support import browser
from tests.support.nose2run import run_manage
from tests.support.projects import scenario_copy
from tests.support.timing_runs import run_timed

depot = scenario_copy("timing/depot")
depot_alone = scenario_copy("timing/depot", scope="function")

REPORT_LINE = re.compile(r"^nose-speedup: HTML report of the run written to (?P<path>.+)$",
                         re.MULTILINE)
RUN_DATA = re.compile(
    r'<script id="run-data" type="application/json">(?P<json>.*?)</script>', re.DOTALL
)
BUNDLES = ["items.json", "items.json, suppliers.json", "suppliers.json"]
MAIN = "main process"
WORKERS = ["worker 1", "worker 2"]


def report_data(path):
    match = RUN_DATA.search(Path(path).read_text(encoding="utf-8"))
    assert match, f"no run-data block in {path}"
    return json.loads(match["json"])


@pytest.fixture(scope="module")
def serial(depot):
    run = run_timed(depot, "--speedup-report-html", "reports/serial.html")
    assert run.result.returncode == 0, run.result.describe()
    return run, report_data(depot / "reports" / "serial.html")


@pytest.fixture(scope="module")
def parallel(depot):
    run = run_timed(depot, "--django-parallel", "2", "--speedup-report-html", "parallel.html")
    assert run.result.returncode == 0, run.result.describe()
    assert " in 2 processes" in run.output, run.result.describe()
    return run, report_data(depot / "parallel.html")


def spans(data, lane=None, kind=None, label=None):
    return [
        span for span in data["spans"]
        if (lane is None or span["lane"] == lane) and (kind is None or span["kind"] == kind)
        and (label is None or span["label"] == label)
    ]


def one(data, **criteria):
    found = spans(data, **criteria)
    assert len(found) == 1, (criteria, found)
    return found[0]


def inside(inner, outer):
    return outer["start"] <= inner["start"] and inner["end"] <= outer["end"]


def in_sequence(items):
    """Each starts once the one before ended."""
    return all(before["end"] <= after["start"] for before, after in zip(items, items[1:]))


def class_names(run):
    return {test_id.rsplit(".", 1)[0] for test_id in run.test_ids()}


def test_the_run_names_the_report_it_wrote_under_the_current_directory(serial, depot):
    run, _ = serial
    assert REPORT_LINE.search(run.output)["path"] == str(depot / "reports" / "serial.html")


def test_a_serial_run_has_one_lane_set_up_checks_tests_and_tear_down_in_order(serial):
    _, data = serial
    assert data["lanes"] == [MAIN]
    assert {span["lane"] for span in data["spans"]} == {MAIN}
    set_up = one(data, label="test databases set up")
    checks = one(data, kind="checks")
    tests = one(data, kind="run", label="tests")
    torn_down = one(data, label="test databases torn down")
    assert in_sequence([set_up, checks, tests, torn_down]), data["spans"]
    migrate = one(data, label="migrate (default)")
    assert inside(migrate, set_up)


def test_a_serial_run_draws_each_class_once_in_order_with_its_bundle_load_inside(serial):
    run, data = serial
    classes = spans(data, kind="class")
    assert sorted(span["label"] for span in classes) == sorted(class_names(run))
    assert in_sequence(classes)
    tests = one(data, kind="run", label="tests")
    assert all(inside(span, tests) for span in classes)
    loads = spans(data, kind="fixtures")
    assert sorted(span["label"] for span in loads) == BUNDLES
    assert all(any(inside(load, span) for span in classes) for load in loads)
    assert data["tests"] == len(run.test_ids())


def test_the_slowest_classes_are_classes_of_the_run_slowest_first(serial):
    run, data = serial
    names = [name for name, _ in data["slowest"]]
    seconds = [value for _, value in data["slowest"]]
    assert len(names) == 10 and set(names) <= class_names(run)
    assert seconds == sorted(seconds, reverse=True)


def test_under_django_parallel_each_worker_starts_waits_runs_units_then_idles(parallel):
    run, data = parallel
    assert data["lanes"] == [MAIN, *WORKERS]
    for lane in WORKERS:
        start_up = one(data, lane=lane, kind="start-up")
        waiting = one(data, lane=lane, kind="waiting")
        # A worker that starts late on a loaded machine may get no unit.
        units = spans(data, lane=lane, kind="unit")
        idle = one(data, lane=lane, kind="idle")
        assert in_sequence([start_up, waiting, *units, idle]), spans(data, lane=lane)
    handed_out = int(re.search(r"^parallel: (\d+) units? of work", run.output, re.M)[1])
    assert len(spans(data, kind="unit")) == handed_out
    ends = {one(data, lane=lane, kind="idle")["end"] for lane in WORKERS}
    assert len(ends) == 1  # every worker is idle until the last one ends


def test_under_django_parallel_classes_and_loads_are_in_the_lane_that_ran_them(parallel):
    run, data = parallel
    classes = spans(data, kind="class")
    assert sorted(span["label"] for span in classes) == sorted(class_names(run))
    assert not spans(data, lane=MAIN, kind="class")
    loads = spans(data, kind="fixtures")
    assert sorted(span["label"] for span in loads) == BUNDLES
    for lane in WORKERS:
        units = spans(data, lane=lane, kind="unit")
        lane_classes = spans(data, lane=lane, kind="class")
        assert all(any(inside(span, unit) for unit in units) for span in lane_classes)
        lane_loads = spans(data, lane=lane, kind="fixtures")
        assert all(any(inside(load, span) for span in lane_classes) for load in lane_loads)


def test_under_django_parallel_the_main_lane_sets_up_then_hands_the_tests_out(parallel):
    _, data = parallel
    set_up = one(data, lane=MAIN, label="test databases set up")
    checks = one(data, lane=MAIN, kind="checks")
    tests = one(data, lane=MAIN, kind="run", label="tests in 2 worker processes")
    torn_down = one(data, lane=MAIN, label="test databases torn down")
    assert in_sequence([set_up, checks, tests, torn_down])
    units = spans(data, kind="unit")
    assert all(inside(unit, tests) for unit in units), (tests, units)


def test_reuse_db_runs_show_the_build_then_the_restore_then_the_reuse_check(depot_alone):
    env = {"REUSE_DB": "1"}
    reports = []
    for number, labels in enumerate([[], ["depot.tests.test_fast"], ["depot.tests.test_fast"]]):
        path = depot_alone / f"reuse-{number}.html"
        run = run_timed(depot_alone, *labels, "--speedup-report-html", str(path), env=env)
        assert run.result.returncode == 0, run.result.describe()
        reports.append(report_data(path))
    built, restored, reused = reports
    set_up = one(built, label="test databases set up")
    build = one(built, label="build (default)")
    steps = [one(built, label=f"{name} (default)") for name in ("create", "migrate", "snapshot")]
    assert inside(build, set_up) and all(inside(step, build) for step in steps)
    assert in_sequence(steps)
    # The whole suite's TransactionTestCase left the database to restore.
    restore = one(restored, label="restore (default)")
    assert inside(restore, one(restored, label="test databases set up"))
    assert not spans(restored, label="build (default)")
    check = one(reused, label="reuse-check (default)")
    assert inside(check, one(reused, label="test databases set up"))
    assert not spans(reused, label="build (default)") and not spans(reused, label="restore (default)")


def test_the_config_key_writes_the_report(depot):
    config = depot / "unittest.cfg"
    original = config.read_text()
    config.write_text(original + "\n[timing]\nreport-html = from-config.html\n")
    try:
        run = run_timed(depot, "depot.tests.test_fast")
    finally:
        config.write_text(original)
    assert run.result.returncode == 0, run.result.describe()
    data = report_data(depot / "from-config.html")
    assert sorted({span["label"] for span in spans(data, kind="fixtures")}) == BUNDLES


def test_manage_py_test_writes_the_report(depot):
    run = run_manage(depot, "test", "--noinput", "--speedup-report-html", "manage.html")
    assert run.returncode == 0, run.describe()
    assert REPORT_LINE.search(run.output)["path"] == str(depot / "manage.html")
    data = report_data(depot / "manage.html")
    assert data["lanes"] == [MAIN] and spans(data, kind="class")


def test_an_unwritable_path_is_one_clear_line_and_the_run_still_passes(depot):
    (depot / "a-file").write_text("")
    run = run_timed(depot, "depot.tests.test_fast", "--speedup-report-html", "a-file/r.html")
    assert run.result.returncode == 0, run.result.describe()
    assert "timing plugin: could not write the HTML report a-file/r.html" in run.output
    assert "--speedup-report-html (or [timing] report-html)" in run.output


@pytest.fixture(scope="module")
def sqlite_parallel_report(depot):
    """The parallel run's report on SQLite, whatever NOSE_SPEEDUP_TEST_DB
    says: what the browser draws does not depend on the database."""
    run = run_timed(
        depot, "--django-parallel", "2", "--speedup-report-html", "browser.html",
        env={"NOSE_SPEEDUP_TEST_DB": "sqlite"},
    )
    assert run.result.returncode == 0, run.result.describe()
    return depot / "browser.html"


@pytest.mark.backend_independent
def test_chromium_draws_every_span_of_every_lane_without_console_errors(
    sqlite_parallel_report, tmp_path, record_property
):
    data = report_data(sqlite_parallel_report)
    screenshot = browser.artifacts_dir(tmp_path) / "timing-report-parallel.png"
    screenshot.unlink(missing_ok=True)
    rendered = browser.render(sqlite_parallel_report, screenshot)
    record_property("artifact", str(screenshot))
    assert rendered.console == []
    assert rendered.attribute("timeline", "data-drawn") == str(len(data["spans"]))
    assert rendered.attribute("timeline", "data-lanes") == "3"
    assert re.search(r"<body[^>]*\bdata-error=", rendered.dom) is None, rendered.dom[:500]
    for lane in data["lanes"]:
        assert f">{lane}</text>" in rendered.dom
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.backend_independent
def test_the_browser_check_reports_a_page_whose_script_fails(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        '<html><body><div id="timeline" data-drawn="0"></div>'
        "<script>undefinedFunction();</script></body></html>"
    )
    rendered = browser.render(page, tmp_path / "broken.png")
    assert any("undefinedFunction" in line for line in rendered.console), rendered.console
