"""Fixture bundling on the committed demo project, ``testproject/``, run the
way its README says (``python -m nose2 -v -s . -t .``, ``manage.py test``)
in a subprocess on a copy of it. Its ``unittest.cfg`` switches bundling on;
``--exclude-plugin`` switches it off for the comparison."""

import re

import pytest

from tests.support.nose2run import run_manage, run_nose2
from tests.support.projects import copied_testproject

# The bundling plugin's line, or the timing plugin's (manage.py test loads
# it), which adds the seconds saved.
CLOSING_LINE = re.compile(
    r"^(?:fixture bundling|nose-speedup): (\d+) classes in (\d+) bundles; "
    r"fixtures loaded (\d+) times? instead of (\d+)(?: \(~[\d.]+ s saved\))?$",
    re.MULTILINE,
)

testproject = copied_testproject()


@pytest.fixture(scope="module")
def bundled(testproject):
    return run_nose2(testproject, "-v", "-s", ".", "-t", ".")


def test_testproject_has_the_same_outcomes_with_and_without_bundling(testproject, bundled):
    unbundled = run_nose2(
        testproject, "-v", "-s", ".", "-t", ".", "--exclude-plugin", "nose_speedup.plugins.bundling"
    )
    assert len(bundled.outcomes()) > 100, bundled.describe()
    assert bundled.outcomes() == unbundled.outcomes(), bundled.describe()
    assert bundled.returncode == unbundled.returncode
    assert "fixture bundling:" not in unbundled.output


def test_testproject_run_says_how_many_loads_bundling_saved(bundled):
    (figures,) = CLOSING_LINE.findall(bundled.output)
    classes, bundles, loads, instead_of = map(int, figures)
    assert classes == instead_of and bundles == loads, bundled.describe()
    assert 0 < loads < classes


def test_testproject_manage_py_test_runs_the_same_tests_bundled(testproject, bundled):
    run = run_manage(testproject, "test", "-v", "2")
    assert run.outcomes() == bundled.outcomes(), run.describe()
    assert CLOSING_LINE.findall(run.output) == CLOSING_LINE.findall(bundled.output)
