"""Layers that say what they are (issue 21, point 4): the core (the django
plugin and ``core/``, with the shared modules it builds on) imports no
feature; the reuse-db plugin does not reach into the parallel package, nor
the bundling plugin into timing; and the run's timings travel through the
``findRecorder`` hook, not a module global (``timing.recorder.current``)."""

import ast

import pytest

from nose_speedup.timing import recorder
from tests.support.nose2run import REPO_ROOT

pytestmark = pytest.mark.backend_independent

PACKAGE = REPO_ROOT / "nose_speedup"
FEATURES = ("bundling", "parallel", "reuse", "timing", "speedups", "fast_flush", "artifacts")
CORE = [
    *sorted((PACKAGE / "core").glob("*.py")),
    PACKAGE / "plugins" / "django.py",
    PACKAGE / "hooks.py",
    PACKAGE / "options.py",
    PACKAGE / "config.py",
    PACKAGE / "errors.py",
    *sorted((PACKAGE / "compat").glob("*.py")),
]


def imported(path):
    """Every module ``path`` imports, at any level of the file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def features_imported(path, features=FEATURES):
    return sorted(
        name for name in imported(path)
        if any(name == f"nose_speedup.{f}" or name.startswith(f"nose_speedup.{f}.")
               for f in features)
    )


def test_the_core_list_names_files_that_exist():
    # A renamed package must not leave the check below with nothing to check.
    assert len([p for p in CORE if p.parent.name == "core"]) >= 10
    assert all(path.is_file() for path in CORE)


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_core_imports_no_feature(path):
    assert features_imported(path) == []


@pytest.mark.parametrize("plugin, feature", [("reuse_db", "parallel"), ("bundling", "timing")])
def test_a_feature_plugin_does_not_reach_into_another_feature(plugin, feature):
    assert features_imported(PACKAGE / "plugins" / f"{plugin}.py", (feature,)) == []


def test_the_run_recorder_is_no_module_global():
    assert not hasattr(recorder, "current")
    assert not hasattr(recorder, "record_phase") and not hasattr(recorder, "note_bundled_run")
