"""Every shell example in README.rst and docs/*.rst runs, or says why not.

A shell example is a line of a ``.. code-block:: console`` block (``$ ``
lines; ``bash``/``sh``/``shell`` blocks: every line) or of a bare ``::``
literal block (README's Quick start). Each one must be in exactly one of:

``RUN``
    run here, in this order, in one copy of the demo project (``testproject/``)
    on SQLite, with every plugin loaded by its ``unittest.cfg``; each must exit
    with status 0 (nose2 and ``manage.py test`` exit 1 on a failing test or a
    flag they do not know);
``RUN_BY``
    run by another test, named;
``NOT_RUN``
    not run, with the reason.

A new example in none of them fails ``test_every_shell_example_is_run_or_listed``,
and so does a listed one no page shows any more. Other blocks say their
language (``ini``, ``python``, ``yaml``, ``text``) and are not shell.
"""

import importlib.util
import os
import re
import subprocess
import sys

import pytest

from tests.support.nose2run import REPO_ROOT, remove_copy, scenario_env
from tests.support.projects import copy_testproject

# The demo runs on SQLite whatever NOSE_SPEEDUP_TEST_DB says; the examples
# are the same text on every Python, so CI runs them on one entry (.ci/run).
pytestmark = [pytest.mark.backend_independent, pytest.mark.docs_examples]

SHELL_LANGUAGES = {"console", "shell-session", "bash", "sh", "shell"}
SETTINGS = "--settings testproject.settings"

RUN = [
    "python -m nose2",
    "python manage.py test",
    "python manage.py test --testrunner django.test.runner.DiscoverRunner",
    "python -m nose2 --with-fixture-bundling",
    "python -m nose2 --bundle-testcases",
    "python manage.py test --bundle-testcases",
    "python -m nose2 catalog",
    "python -m nose2 catalog/tests/test_models.py",
    "python -m nose2 catalog.tests.test_models.ProductModelTests",
    "python -m nose2 --django-shuffle random",
    "python manage.py test catalog --noinput -v 2",
    "python manage.py test catalog/tests/test_models.py",
    "python manage.py test catalog -- --plugin nose2.plugins.junitxml --junit-xml",
    "python -m nose2 --fast-flush",
    "python -m nose2 --memory-sessions --suspend-signals --keep-connections --fast-settings",
    "python -m nose2 --speedup-report",
    "python manage.py test --speedup-report",
    "python -m nose2 --django-parallel 2 --speedup-report-html report.html",
    "python manage.py test --speedup-report-html report.html",
    "python -m nose_speedup.timing merge merged-durations.json .nose-speedup/durations.json",
    "python manage.py test --shard 2/4",
    "python -m nose2 --shard 2/4",
    "python manage.py test --parallel 2",
    "python -m nose2 --django-parallel 2",
    "python -m nose2 --django-parallel auto-1",
    # Affected: the first run records, the second selects from the record.
    "python -m nose2 --plugin nose_speedup.plugins.affected --affected",
    "python manage.py test --affected",
    f"python -m nose_speedup.timing simulate --workers 1,2,4,8 --cores 8 {SETTINGS}",
    # Reuse: build, reuse, rebuild; then the artifact of the kept databases.
    "REUSE_DB=1 python -m nose2",
    "python -m nose2 --reuse-db",
    "python manage.py test --keepdb",
    "python manage.py test --keepdb --parallel 2",
    "REUSE_DB=reset python -m nose2",
    "python -m nose2 --create-db",
    f"python -m nose_speedup.db {SETTINGS} fingerprint",
    "python -m nose_speedup.db fingerprint",
    f"python -m nose_speedup.db {SETTINGS} save test-databases.artifact",
    f"python -m nose_speedup.db {SETTINGS} load test-databases.artifact",
]

RUN_BY = {
    'python -m pip install -e . && (cd testproject && python -m nose2 -v)':
        "tests/functional/docs/test_readme_quick_start.py (and .ci/run, which installs)",
    'python -m pip install -e ".[test]" && python -m pytest tests':
        "tests/functional/docs/test_readme_quick_start.py checks it; .ci/run runs it on every matrix entry",
}

INSTALLS = "installs into the reader's environment from a path or URL of theirs; " \
           ".ci/run installs the checkout the same way"
BENCHMARK = "a benchmark: minutes of timed runs on generated projects (most on PostgreSQL); " \
            "tests/unit/test_benchmarks.py tests its code"
COVERAGE = "needs the .coveragerc shown above it; " \
           "tests/functional/parallel/test_parallel.py::test_coverage_recipe_measures_code_that_only_ran_in_a_worker " \
           "runs this recipe"
NOT_RUN = {
    "python -m pip install /path/to/nose-speedup": INSTALLS,
    'python -m pip install "nose-speedup @ git+https://<host>/<owner>/nose-speedup.git"':
        INSTALLS,
    "coverage run -m nose2 --django-parallel 2": COVERAGE,
    "coverage combine": COVERAGE,
    "coverage report": COVERAGE,
    "python benchmarks/run.py --repeat 3 --runners "
    "django,pytest,nose2,nose2-bundling,nose2-bundling-reuse": BENCHMARK,
    "python benchmarks/run.py reuse --repeat 5": BENCHMARK,
    "python benchmarks/run.py restore --backends postgresql --repeat 7": BENCHMARK,
    "python benchmarks/shards.py": BENCHMARK,
    "python benchmarks/fast_flush.py --backends postgresql --repeat 1": BENCHMARK,
    "python benchmarks/speedups.py sessions": BENCHMARK,
    "python benchmarks/affected.py": BENCHMARK,
    "/path/to/python3.12 benchmarks/affected.py": BENCHMARK,
}


def documentation_files():
    pages = (REPO_ROOT / "docs").rglob("*.rst")
    return [REPO_ROOT / "README.rst", *sorted(p for p in pages if "_build" not in p.parts)]


def literal_blocks(text):
    """``[(language, [lines], line number)]`` of the literal blocks of an
    reStructuredText ``text``: ``code-block`` directives with their language,
    bare ``::`` blocks with the language None. Lines are dedented."""
    lines = text.splitlines()
    blocks = []
    for index, line in enumerate(lines):
        directive = re.match(r"^(\s*)\.\. (?:code-block|code|sourcecode)::\s*(\S*)", line)
        if directive:
            language = directive[2] or None
        elif line.rstrip().endswith("::") and not re.match(r"^\s*\.\. ", line):
            language = "literal"
        else:
            continue
        indent = len(line) - len(line.lstrip())
        body, start = [], index + 1
        while start < len(lines) and (
                not lines[start].strip() or re.match(r"^\s+:[\w-]+:", lines[start])
                and len(lines[start]) - len(lines[start].lstrip()) > indent and not body):
            start += 1
        for following in lines[start:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        while body and not body[-1].strip():
            body.pop()
        if body:
            margin = min(len(b) - len(b.lstrip()) for b in body if b.strip())
            blocks.append((None if language == "literal" else language,
                           [b[margin:] for b in body], index + 1))
    return blocks


def commands_of(language, lines):
    """The shell commands of one block, ``\\`` continuations joined and a
    trailing ``# comment`` dropped."""
    if language in ("console", "shell-session"):
        lines = _console_lines(lines)
    commands, pending = [], ""
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pending += line.strip()
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip() + " "
            continue
        commands.append(re.sub(r"\s+#\s.*$", "", pending))
        pending = ""
    return commands


def _console_lines(lines):
    """A console block's command lines: ``$ `` lines and their continuations."""
    kept, continuing = [], False
    for line in lines:
        if line.startswith("$ "):
            kept.append(line[2:])
        elif continuing:
            kept.append(line)
        else:
            continue
        continuing = line.rstrip().endswith("\\")
    return kept


def shell_examples():
    """``{command: [where it is shown]}`` for README.rst and docs/."""
    found = {}
    for path in documentation_files():
        for language, lines, number in literal_blocks(path.read_text()):
            if language is None or language in SHELL_LANGUAGES:
                for command in commands_of(language or "sh", lines):
                    found.setdefault(command, []).append(
                        f"{path.relative_to(REPO_ROOT)}:{number}")
    return found


def test_the_block_reader_finds_console_and_bare_literal_commands():
    text = ("Run::\n\n    python -m nose2 -v\n\nand\n\n.. code-block:: console\n\n"
            "   $ REUSE_DB=1 python -m nose2 \\\n       --django-parallel 2   # two\n"
            "   Ran 3 tests\n\n.. code-block:: ini\n\n   [django]\n   settings = x\n")
    blocks = literal_blocks(text)
    assert [(language, number) for language, _, number in blocks] == [
        (None, 1), ("console", 7), ("ini", 13)]
    assert commands_of("sh", blocks[0][1]) == ["python -m nose2 -v"]
    assert commands_of("console", blocks[1][1]) == [
        "REUSE_DB=1 python -m nose2 --django-parallel 2"]


def test_every_shell_example_is_run_or_listed():
    found = shell_examples()
    listed = set(RUN) | set(RUN_BY) | set(NOT_RUN)
    unlisted = {command: where for command, where in found.items() if command not in listed}
    assert not unlisted, (
        "shell examples neither run by tests/functional/docs/test_docs_examples.py nor listed there "
        f"(add each to RUN, RUN_BY or NOT_RUN with the reason): {unlisted}")
    stale = sorted(listed - set(found))
    assert not stale, f"listed in tests/functional/docs/test_docs_examples.py but shown nowhere: {stale}"
    assert not set(RUN) & (set(RUN_BY) | set(NOT_RUN)) and not set(RUN_BY) & set(NOT_RUN)


def test_no_example_shows_a_prompt_outside_a_console_block():
    for path in documentation_files():
        for language, lines, number in literal_blocks(path.read_text()):
            if language not in ("console", "shell-session"):
                assert not any(line.startswith("$ ") for line in lines), \
                    f"{path.name}:{number}: a '$ ' prompt in a {language or '::'} block"


ALL_PLUGINS = sorted(f"nose_speedup.plugins.{path.stem}" for path in
                     (REPO_ROOT / "nose_speedup" / "plugins").glob("[!_]*.py"))


@pytest.fixture(scope="module")
def demo():
    """A copy of the demo project whose unittest.cfg loads every plugin with
    the one line the docs show (``nose_speedup.plugins.all``), or, while that
    module does not exist, with the list of every plugin module."""
    path = copy_testproject()
    config = path / "unittest.cfg"
    if importlib.util.find_spec("nose_speedup.plugins.all"):
        plugins = "nose_speedup.plugins.all"
    else:
        plugins = "\n          ".join(ALL_PLUGINS)
    config.write_text(re.sub(r"(?ms)^plugins = .*?(?=^\[|\Z)", f"plugins = {plugins}\n\n",
                             config.read_text()))
    try:
        yield path
    finally:
        remove_copy(path)


@pytest.mark.parametrize("command", RUN)
def test_shell_example_runs_in_the_demo(demo, command):
    env = scenario_env(demo, {"NOSE_SPEEDUP_TEST_DB": "sqlite"})
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    completed = subprocess.run(["bash", "-c", command], cwd=demo, env=env, text=True,
                               capture_output=True, timeout=600, stdin=subprocess.DEVNULL)
    assert completed.returncode == 0, (
        f"{command}\nexit {completed.returncode}\n{completed.stdout}\n{completed.stderr}")
