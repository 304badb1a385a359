"""A test module that fails to import is imported once, as under Django's
runner, and reported with its own error (issue 20, point 8): nose2's
loaders imported it once each (its import side effects ran four times) and
reported an ``AttributeError`` about its package. For a label naming a test
in it, unittest's loader (Django's) imports it once per dotted part it
pops; ours still imports it once."""

import pytest

from tests.support.nose2run import run_manage, run_nose2
from tests.support.projects import scenario_copy

pytestmark = pytest.mark.backend_independent

project = scenario_copy("django/collection", scope="function")

BROKEN = '''"""Counts its imports, then fails to import."""
import os

with open(os.environ["IMPORT_LOG"], "a") as log:
    log.write("imported\\n")

import no_such_module_for_the_test  # noqa: E402,F401
'''
DJANGO_RUNNER = ("test", "--testrunner", "django.test.runner.DiscoverRunner")
NOSE2 = ("--plugin", "nose_speedup.plugins.django", "--django-settings", "settings")
LABELS = (
    "library.tests.test_broken",
    "library.tests.test_broken.BrokenTests.test_x",
    "library/tests/test_broken.py",
)


def imports_and_output(run, project, tmp_path, *args):
    (project / "library" / "tests" / "test_broken.py").write_text(BROKEN)
    log = tmp_path / f"imports{len(list(tmp_path.iterdir()))}.log"
    result = run(project, *args, env={"IMPORT_LOG": str(log)})
    assert result.returncode == 1, result.describe()
    return len(log.read_text().splitlines()), result.output


@pytest.mark.parametrize("label", LABELS)
def test_a_label_under_a_module_that_fails_to_import_imports_it_once(
    project, tmp_path, label
):
    if label.endswith(".py"):  # Django's runner takes no file label; its discovery is the reference
        djangos, _ = imports_and_output(run_manage, project, tmp_path, *DJANGO_RUNNER)
    else:
        djangos, _ = imports_and_output(run_manage, project, tmp_path, *DJANGO_RUNNER, label)
    assert djangos == 1 or label.count(".") > 2
    for run, args in ((run_manage, ("test",)), (run_nose2, NOSE2)):
        count, output = imports_and_output(run, project, tmp_path, *args, label)
        assert count == 1 <= djangos, output
        assert "No module named 'no_such_module_for_the_test'" in output, output
        assert "AttributeError" not in output, output
        assert "Ran 1 test" in output and "FAILED (errors=1)" in output, output


def test_discovery_imports_a_module_that_fails_to_import_once(project, tmp_path):
    djangos, _ = imports_and_output(run_manage, project, tmp_path, *DJANGO_RUNNER)
    count, output = imports_and_output(run_manage, project, tmp_path, "test")
    assert count == djangos == 1, output
    assert "No module named 'no_such_module_for_the_test'" in output, output
