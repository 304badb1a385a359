"""nose2's own plugins keep working alongside every nose-speedup plugin
that manage.py test loads: coverage (same figures as ``coverage run -m
nose2``, settings and models included), junit-xml, -B, -F, --log-capture,
attrib's -A on unittest classes, and testid."""

import re
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from nose_speedup.runner import DEFAULT_PLUGINS
from tests.support.nose2run import copy_scenario, remove_copy, run_command, run_manage, run_nose2

# nose2's own plugins beside ours: what they report does not depend on the database.
pytestmark = pytest.mark.backend_independent

OURS = [arg for plugin in DEFAULT_PLUGINS for arg in ("--plugin", plugin)]
BASE = ("-v", *OURS, "--django-settings", "settings")
COVERAGE_ROW = re.compile(r"^(\S+\.py)\s+(\d+)\s+(\d+)\s+(\d+%)$", re.MULTILINE)
SOURCES = ("--coverage", "library", "--coverage", ".")


@pytest.fixture
def project():
    path = copy_scenario("runner/flags")
    yield path
    remove_copy(path)


def nose2(project, *args):
    return run_nose2(project, *BASE, *args)


def coverage_rows(output):
    rows = {name: (stmts, miss, cover) for name, stmts, miss, cover in COVERAGE_ROW.findall(output)}
    return {name: row for name, row in rows.items() if not name.startswith("manage")}


def reference_coverage(project):
    """``coverage run -m nose2``: coverage starts before anything is imported."""
    ran = run_command(project, [sys.executable, "-m", "coverage", "run", "--source", "library,.",
                                "-m", "nose2", *BASE])
    assert "Ran 12 tests" in ran.output, ran.describe()
    report = run_command(project, [sys.executable, "-m", "coverage", "report"])
    return coverage_rows(report.output)


def test_with_coverage_reports_what_coverage_run_reports(project):
    reference = reference_coverage(project)
    assert reference["settings.py"][1] == "0" and reference["library/models.py"][2] != "0%"
    (project / ".coverage").unlink()
    result = nose2(project, "--with-coverage", *SOURCES)
    assert coverage_rows(result.output) == reference, result.describe()


def test_manage_py_with_coverage_reports_what_coverage_run_reports(project):
    reference = reference_coverage(project)
    (project / ".coverage").unlink()
    result = run_manage(project, "test", "--noinput", "--", "--with-coverage", *SOURCES)
    assert result.returncode == 1, result.describe()  # the scenario has one failing test
    assert coverage_rows(result.output) == reference, result.describe()


def test_junit_xml_names_every_test_and_outcome(project):
    result = nose2(project, "--plugin", "nose2.plugins.junitxml", "--junit-xml")
    suite = ElementTree.parse(project / "nose2-junit.xml").getroot()
    cases = suite.findall(".//testcase")
    assert len(cases) == 12, result.describe()
    failed = [case.get("name") for case in cases if case.find("failure") is not None]
    assert failed == ["test_fails_after_a_query"], result.describe()


def test_output_buffer_short_flag_hides_passing_output_and_keeps_failing_report(project):
    result = nose2(project, "-B")
    assert "printed-by-a-passing-test" not in result.output, result.describe()
    assert "AssertionError: 1 != 2" in result.output


def test_fail_fast_short_flag_stops_at_the_first_failure(project):
    result = nose2(project, "-F")
    outcomes = list(result.outcomes().values())
    assert outcomes[-1] == "FAIL" and len(outcomes) < 12, result.describe()
    assert "Destroying test database" in result.output


def test_log_capture_shows_the_failing_tests_log_records(project):
    result = nose2(project, "--log-capture",
                   "--django-debug-sql", "library.tests.test_queries")
    assert ">> begin captured logging <<" in result.output, result.describe()
    assert "Marker-Query-Name" in result.output.split(">> begin captured logging <<")[1]


def test_attrib_selects_unittest_classes_by_attribute(project):
    result = nose2(project, "--plugin", "nose2.plugins.attrib", "-A", "speed=fast")
    assert list(result.outcomes()) == [
        o for o in nose2(project).outcomes() if "PlainUnittestTests" in o
    ], result.describe()
    assert len(result.outcomes()) == 1


def test_testid_reruns_a_test_by_its_number(project):
    first = nose2(project, "--plugin", "nose2.plugins.testid", "--with-id")
    number, name = re.search(r"^#(\d+) (test_only_here \S+)", first.output, re.MULTILINE).groups()
    again = nose2(project, "--plugin", "nose2.plugins.testid", "--with-id", number)
    assert again.returncode == 0, again.describe()
    assert [line.split(" ", 1)[1] for line in again.output.splitlines() if line.startswith("#")] \
        == [f"{name} ... ok"], again.describe()


def test_coverage_turned_on_in_the_config_reports_settings_and_models(project):
    reference = reference_coverage(project)
    (project / ".coverage").unlink()
    (project / "unittest.cfg").write_text("[coverage]\nalways-on = True\ncoverage = library\n  .\n")
    result = run_manage(project, "test", "--noinput")
    assert coverage_rows(result.output) == reference, result.describe()
