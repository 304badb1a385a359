"""The timing plugin on the ``timing/depot`` scenario, run by nose2 (and
``manage.py test``) in a subprocess: the durations file every run writes,
the one "saved" line, ``--speedup-report`` and its advisor.

The depot has three bundles of ``FastFixtureTestCase`` classes (items: 3
classes, suppliers: 2, items+suppliers: 2), one such class alone, and plain
``django.test.TestCase`` classes sharing fixtures: three through the project
base ``depot.tests.base.ProjectTestCase`` (items.json), two deriving from
``TestCase`` directly (suppliers.json), one alone; plus a
``TransactionTestCase`` and a ``SimpleTestCase``. Figures are checked for
their presence and counts, never for their size.
"""

import re
import shutil

import pytest

from tests.support.nose2run import run_manage
from tests.support.projects import scenario_copy
from tests.support.timing_runs import durations_file, read_durations, run_timed

depot = scenario_copy("timing/depot", scope="function")

TESTS = 29
SAVED_COUNTS = "nose-speedup: 7 classes in 3 bundles; fixtures loaded 3 times instead of 7"
BUNDLING_COUNTS = "fixture bundling: 7 classes in 3 bundles; fixtures loaded 3 times instead of 7"


def test_every_run_records_tests_classes_bundles_and_database_phases(depot):
    run = run_timed(depot)
    assert run.result.returncode == 0, run.result.describe()
    ids = run.test_ids()
    assert len(ids) == TESTS, run.result.describe()
    recorded = read_durations(durations_file(depot))
    assert set(recorded["tests"]) == set(ids)
    assert all(seconds >= 0 for seconds in recorded["tests"].values())
    classes = {test_id.rsplit(".", 1)[0] for test_id in ids}
    assert set(recorded["classes"]) == classes
    assert recorded["bundles"]["items.json"]["rows"] == 4
    assert recorded["bundles"]["items.json"]["classes"] == 3
    assert recorded["bundles"]["items.json"]["loads"] == 1
    assert recorded["bundles"]["items.json, suppliers.json"]["rows"] == 7
    assert recorded["bundles"]["suppliers.json"]["classes"] == 2
    phases = recorded["databases"]["default"]
    assert {"build", "create", "migrate"} <= set(phases), phases


def test_a_second_run_merges_and_a_label_run_keeps_the_others(depot):
    first = run_timed(depot)
    assert first.result.returncode == 0, first.result.describe()
    path = durations_file(depot)
    data = read_durations(path)
    data["tests"]["depot.tests.test_fast.ItemsOneTests.test_0"] = 123.0
    data["tests"]["depot.tests.test_plain.SimpleTests.test_arithmetic"] = 456.0
    path.write_text(__import__("json").dumps(data))
    second = run_timed(depot, "depot.tests.test_fast")
    assert second.result.returncode == 0, second.result.describe()
    merged = read_durations(path)
    assert merged["tests"]["depot.tests.test_fast.ItemsOneTests.test_0"] != 123.0
    assert merged["tests"]["depot.tests.test_plain.SimpleTests.test_arithmetic"] == 456.0
    assert len(merged["tests"]) == TESTS


def test_the_saved_line_replaces_the_bundling_line(depot):
    run = run_timed(depot)
    assert run.result.returncode == 0, run.result.describe()
    lines = [line for line in run.output.splitlines() if "fixtures loaded" in line]
    assert len(lines) == 1, run.result.describe()
    assert lines[0].startswith(SAVED_COUNTS + " (~"), lines
    assert lines[0].endswith(" s saved)"), lines


def test_without_the_timing_plugin_bundling_prints_its_own_line(depot):
    run = run_timed(depot, "--exclude-plugin", "nose_speedup.plugins.timing")
    assert run.result.returncode == 0, run.result.describe()
    assert BUNDLING_COUNTS in run.output
    assert "nose-speedup:" not in run.output
    assert not durations_file(depot).exists()


def test_a_reused_database_is_in_the_saved_line_with_the_last_build(depot):
    env = {"REUSE_DB": "1"}
    first = run_timed(depot, env=env)
    assert first.result.returncode == 0, first.result.describe()
    assert "reused" not in first.output
    assert "build" in read_durations(durations_file(depot))["databases"]["default"]
    second = run_timed(depot, env=env)
    assert second.result.returncode == 0, second.result.describe()
    saved = [line for line in second.output.splitlines() if line.startswith("nose-speedup:")]
    assert len(saved) == 1, second.result.describe()
    # The TransactionTestCase leaves the database to restore: restored, not rebuilt.
    assert saved[0].startswith(SAVED_COUNTS), saved
    assert "; test database restored from the pristine copy (~" in saved[0], saved
    phases = read_durations(durations_file(depot))["databases"]["default"]
    assert {"build", "restore"} <= set(phases), phases
    only_fast = run_timed(depot, "depot.tests.test_fast", env=env)
    assert "; test database restored from the pristine copy (~" in only_fast.output
    again = run_timed(depot, "depot.tests.test_fast", env=env)
    assert "; test database reused (~" in again.output, again.result.describe()


def test_a_reuse_without_a_recorded_build_says_so_without_seconds(depot):
    env = {"REUSE_DB": "1"}
    assert run_timed(depot, "depot.tests.test_fast", env=env).result.returncode == 0
    shutil.rmtree(depot / ".nose-speedup")
    run = run_timed(depot, "depot.tests.test_fast", env=env)
    line = [line for line in run.output.splitlines() if line.startswith("nose-speedup:")][0]
    assert line.endswith("; test database reused"), line


def test_speedup_report_shows_phases_bundles_slowest_and_the_advisor(depot):
    run = run_timed(depot, "--speedup-report")
    assert run.result.returncode == 0, run.result.describe()
    out = run.output
    assert "Database phases:\n  default: build " in out
    assert "rows  1 loads  3 classes  items.json\n" in out
    assert "7 rows  1 loads  2 classes  items.json, suppliers.json" in out
    assert "Slowest class set-ups" in out and "Slowest tests:" in out
    slowest = out.split("Slowest tests:\n", 1)[1].split("Advisor")[0].splitlines()
    assert len(slowest) == 10, out  # report-count = 10 by default
    # The plain classes' keys are those of FastFixtureTestCase bundles: they join them.
    assert (
        "Advisor: 6 django.test.TestCase classes share fixtures; as "
        "nose_speedup.FastFixtureTestCase they would load them 0 times instead of 6 (~"
    ) in out
    assert "(or, without a code change: --bundle-testcases, [fixture-bundling] testcases = all)" in out
    assert (
        "  derive depot.tests.base.ProjectTestCase from nose_speedup.FastFixtureTestCase "
        "instead of django.test.TestCase (3 of these classes)"
    ) in out
    assert (
        "  would-be bundle items.json: 3 classes (joining its FastFixtureTestCase bundle), "
        "3 loads avoided, ~"
    ) in out
    assert (
        "  would-be bundle extra.json: 1 class (joining its FastFixtureTestCase bundle), "
        "1 load avoided, ~"
    ) in out


def test_the_advisor_groups_plain_classes_among_themselves_without_fast_bundles(depot):
    run = run_timed(depot, "--speedup-report", "depot.tests.test_plain")
    out = run.output
    assert (
        "Advisor: 5 django.test.TestCase classes share fixtures; as "
        "nose_speedup.FastFixtureTestCase they would load them 2 times instead of 5 (~"
    ) in out
    assert "  would-be bundle items.json: 3 classes, 2 loads avoided, ~" in out
    assert "  would-be bundle suppliers.json: 2 classes, 1 load avoided, ~" in out
    assert "PlainExtraAloneTests from" not in out  # alone: nothing to share


def test_bundle_testcases_bundles_what_the_advisor_names_and_the_advisor_says_so(depot):
    # The plain classes join the FastFixtureTestCase bundles of their keys, the
    # single PlainExtraAloneTests included; django's outcomes are unchanged.
    plain = run_timed(depot)
    run = run_timed(depot, "--speedup-report", "--bundle-testcases")
    assert run.result.returncode == plain.result.returncode == 0, run.result.describe()
    assert run.result.outcomes() == plain.result.outcomes()
    assert (
        "nose-speedup: 14 classes in 4 bundles; fixtures loaded 4 times instead of 14"
    ) in run.output, run.result.describe()
    assert len(run.fixture_loads) == len(plain.fixture_loads) - 6
    assert (
        "Advisor: plain django.test.TestCase classes bundle in this run "
        "([fixture-bundling] testcases = all)"
    ) in run.output


def test_the_advisor_finds_nothing_when_every_class_is_fast(depot):
    run = run_timed(depot, "--speedup-report", "depot.tests.test_fast")
    assert "Advisor: no django.test.TestCase classes would bundle" in run.output


def test_record_durations_from_another_plugin_replace_the_main_process_figures(depot):
    (depot / "fakeworkers.py").write_text(
        "from nose2.events import Event, Plugin\n\n\n"
        "class FakeWorkers(Plugin):\n"
        "    alwaysOn = True\n\n"
        "    def stopTestRun(self, event):\n"
        "        measured = Event()\n"
        "        measured.durations = {\n"
        "            'tests': {'depot.tests.test_fast.ItemsOneTests.test_0': 42.0},\n"
        "            'classes': {'depot.tests.test_fast.ItemsOneTests': 7.0}}\n"
        "        self.session.hooks.recordDurations(measured)\n"
    )
    run = run_timed(depot, "--plugin", "fakeworkers")
    assert run.result.returncode == 0, run.result.describe()
    recorded = read_durations(durations_file(depot))
    assert recorded["tests"]["depot.tests.test_fast.ItemsOneTests.test_0"] == 42.0
    assert recorded["classes"]["depot.tests.test_fast.ItemsOneTests"] == 7.0
    assert recorded["tests"]["depot.tests.test_fast.ItemsOneTests.test_1"] < 42.0


SAVED_LINE = re.compile(
    r"^nose-speedup: (?P<counts>\d+ classes in \d+ bundles; fixtures loaded \d+ times? "
    r"instead of \d+)(?: \(~(?P<seconds>[\d.]+ s) saved\))?(?:;.*)?$",
    re.MULTILINE,
)
# Its tests cannot be pickled, so the parallel plugin runs its bundle (the
# suppliers.json one, with SuppliersOneTests and SuppliersTwoTests) in the
# main process, not in a worker.
MAIN_PROCESS_CLASS = """
from depot.models import Supplier

from nose_speedup import FastFixtureTestCase


class SuppliersInTheMainProcessTests(FastFixtureTestCase):
    fixtures = ['suppliers.json']

    def __reduce_ex__(self, protocol):
        raise TypeError('runs in the main process')

    def test_count(self):
        self.assertEqual(Supplier.objects.count(), 3)
"""


def saved_figures(run):
    """The counts and seconds of the run's one "saved" line."""
    found = SAVED_LINE.findall(run.output)
    assert len(found) == 1, run.result.describe()
    return found[0]


def seconds_saved(recorded):
    """What the saved line says bundling saved, from the durations file's
    figures of one load per bundle (``nose_speedup.timing.report``)."""
    from nose_speedup.timing.report import seconds_text

    bundles = recorded["bundles"].values()
    return seconds_text(sum(entry["seconds"] * (entry["classes"] - entry["loads"])
                            for entry in bundles))


@pytest.mark.parametrize("main_process_bundle", [False, True], ids=["workers", "workers+main"])
def test_under_django_parallel_the_saved_line_counts_every_process_as_the_serial_run(
    depot, main_process_bundle
):
    if main_process_bundle:
        (depot / "depot" / "tests" / "test_main_process.py").write_text(MAIN_PROCESS_CLASS)
    parallel = run_timed(depot, "--django-parallel", "2")
    assert parallel.result.returncode == 0, parallel.result.describe()
    assert "parallel: " in parallel.output and " in 2 processes" in parallel.output
    assert ("parallel: 1 unit ran in the main process" in parallel.output) == main_process_bundle
    counts, seconds = saved_figures(parallel)
    # Seconds only from loads this run measured (there was no durations file
    # before it): those the workers (and the main process) timed and sent.
    assert seconds == seconds_saved(read_durations(durations_file(depot))), parallel.output
    # The counts are printed once: the parallel plugin leaves them to this line.
    assert parallel.output.count("fixtures loaded") == 1, parallel.result.describe()
    assert "fixture bundling:" not in parallel.output
    serial = run_timed(depot)
    assert serial.result.returncode == 0, serial.result.describe()
    assert counts == saved_figures(serial)[0]
    assert counts == ("8 classes in 3 bundles; fixtures loaded 3 times instead of 8"
                      if main_process_bundle else SAVED_COUNTS.split(": ", 1)[1])
    assert sorted(parallel.fixture_loads) == sorted(serial.fixture_loads)
    assert parallel.test_ids() != [] and sorted(parallel.test_ids()) == sorted(serial.test_ids())


def test_under_django_parallel_without_the_timing_plugin_its_line_has_the_counts(depot):
    run = run_timed(depot, "--django-parallel", "2",
                    "--exclude-plugin", "nose_speedup.plugins.timing")
    assert run.result.returncode == 0, run.result.describe()
    assert BUNDLING_COUNTS in run.output, run.result.describe()
    assert "nose-speedup:" not in run.output


def test_collect_only_records_nothing(depot):
    run = run_timed(depot, "--plugin", "nose2.plugins.collect", "--collect-only")
    assert run.result.returncode == 0, run.result.describe()
    assert not durations_file(depot).exists()


def test_bad_config_value_is_one_clear_error(depot):
    (depot / "unittest.cfg").write_text(
        (depot / "unittest.cfg").read_text() + "\n[timing]\nreport = sometimes\n"
    )
    run = run_timed(depot)
    assert run.result.returncode != 0
    assert "timing plugin" in run.output and "report = 'sometimes'" in run.output
    assert "Traceback" not in run.output


def test_durations_file_can_live_elsewhere(depot, tmp_path):
    target = tmp_path / "ci-cache" / "durations.json"
    (depot / "unittest.cfg").write_text(
        (depot / "unittest.cfg").read_text() + f"\n[timing]\ndurations-file = {target}\n"
    )
    assert run_timed(depot).result.returncode == 0
    assert len(read_durations(target)["tests"]) == TESTS
    assert not durations_file(depot).exists()


@pytest.mark.parametrize("flag", ["--timing", "--speedup-report"])
def test_manage_py_test_prints_the_report(depot, flag):
    run = run_manage(depot, "test", "--noinput", flag)
    assert run.returncode == 0, run.describe()
    assert "Database phases:" in run.output and "Advisor: 6 django.test" in run.output
    assert ("Total database setup" in run.output) == (flag == "--timing"), run.describe()
    assert SAVED_COUNTS in run.output
    assert len(read_durations(durations_file(depot))["tests"]) == TESTS


def test_manage_py_test_durations_on_every_python(depot):
    run = run_manage(depot, "test", "--noinput", "--durations", "3")
    assert run.returncode == 0, run.describe()
    assert "Slowest test durations" in run.output, run.describe()
