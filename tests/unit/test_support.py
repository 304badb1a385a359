"""The suite's own machinery: server database names never shared between
checkouts or pytest-xdist workers (``tests/support``), the kept build the
reuse tests start from (``tests/support/kept_build.py``), and the line per
finished test file (``tests/conftest.py``)."""

import configparser
import functools
import json
import os
import re
import subprocess
import sys

import pytest

from tests.support import databases
from tests.support.nose2run import REPO_ROOT, remove_copy
from tests.support.projects import copy_testproject

# Each test names the backend it checks; none reads NOSE_SPEEDUP_TEST_DB.
pytestmark = pytest.mark.backend_independent

SETTINGS_NAMES = (
    "import json, testproject.settings as s; "
    "print(json.dumps({alias: db['NAME'] for alias, db in s.DATABASES.items()}, default=str))"
)


def names_in_settings(project, backend, worker):
    env = {key: value for key, value in os.environ.items()
           if key not in ("NOSE_SPEEDUP_DB_SUFFIX", "PYTEST_XDIST_WORKER")}
    env.update(NOSE_SPEEDUP_TEST_DB=backend, PYTHONPATH=f"{project}{os.pathsep}{REPO_ROOT}")
    if worker:
        env["PYTEST_XDIST_WORKER"] = worker
    completed = subprocess.run([sys.executable, "-c", SETTINGS_NAMES], cwd=project, env=env,
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.fixture
def testproject(monkeypatch):
    monkeypatch.delenv("NOSE_SPEEDUP_DB_SUFFIX", raising=False)
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw7")
    path = copy_testproject()
    yield path
    remove_copy(path)


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
def test_testproject_copy_names_its_server_databases_for_this_checkout_and_worker(
        testproject, monkeypatch, backend):
    suffix = databases.name_suffix()
    assert suffix.endswith("gw7")
    # The copy's names carry the suffix of the process that made the copy.
    assert names_in_settings(testproject, backend, worker="gw1") == {
        "default": f"testproject{suffix}", "archive": f"testproject_archive{suffix}",
    }


def test_testproject_copy_keeps_its_sqlite_files(testproject):
    names = names_in_settings(testproject, "sqlite", worker=None)
    assert names == {"default": str(testproject / "db.sqlite3"),
                     "archive": str(testproject / "archive.sqlite3")}


def test_scenario_server_names_differ_between_workers(monkeypatch, tmp_path):
    monkeypatch.delenv("NOSE_SPEEDUP_DB_SUFFIX", raising=False)
    names = set()
    for worker in ("gw0", "gw1"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        alias = databases.database_alias("bundling_shop", tmp_path, backend="postgresql")
        assert alias["TEST"]["NAME"] == f"test_{alias['NAME']}"
        names.add(alias["NAME"])
    assert len(names) == 2


def test_scenario_server_names_differ_between_checkouts(monkeypatch):
    monkeypatch.delenv("NOSE_SPEEDUP_DB_SUFFIX", raising=False)
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    other_checkout = subprocess.run(
        [sys.executable, "-c", "from tests.support.databases import name_suffix; "
         "print(name_suffix())"],
        cwd=REPO_ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    ).stdout.strip()
    # Same checkout, same suffix; the suffix is a hash of the checkout's path.
    assert other_checkout == databases.name_suffix()
    import hashlib

    expected = hashlib.sha256(str(REPO_ROOT).encode()).hexdigest()[:4]
    assert databases.name_suffix() == f"_{expected}"


PASSING = "def test_one():\n    pass\n\n\ndef test_two():\n    pass\n"
FAILING = "def test_ok():\n    pass\n\n\ndef test_bad():\n    assert False\n"


def run_pytest_on(directory, *args, ini=""):
    (directory / "conftest.py").write_text((REPO_ROOT / "tests" / "conftest.py").read_text())
    (directory / "pytest.ini").write_text(f"[pytest]\n{ini}")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTEST_", "COV_"))}
    env["PYTHONPATH"] = str(REPO_ROOT)  # the conftest imports tests.support
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", *args],
        cwd=directory, capture_output=True, text=True, env=env, timeout=120,
    )


def test_each_finished_test_file_gets_one_line_under_xdist(tmp_path):
    (tmp_path / "test_pass.py").write_text(PASSING)
    (tmp_path / "test_fail.py").write_text(FAILING)
    completed = run_pytest_on(tmp_path, "-n", "2", "--dist", "loadfile")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    lines = [line for line in completed.stdout.splitlines() if re.match(r"\[\d/2\] ", line)]
    files = sorted(line.split("] ", 1)[1].split(" in ")[0] for line in lines)
    assert files == ["test_fail.py: 1 failed, 1 passed", "test_pass.py: 2 passed"], (
        completed.stdout
    )
    assert sorted(line[:5] for line in lines) == ["[1/2]", "[2/2]"]
    # No dots: besides those lines, the failure's letter on a line of its own.
    progress = completed.stdout.split("workers [4 items]")[1].split(" FAILURES ")[0]
    others = [line.strip() for line in progress.splitlines()
              if line.strip("= ") and line not in lines]
    assert others == ["F", "[100%]"], completed.stdout


def test_serial_run_keeps_pytests_own_per_file_output(tmp_path):
    (tmp_path / "test_pass.py").write_text(PASSING)
    completed = run_pytest_on(tmp_path, "-p", "no:xdist")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "test_pass.py .." in completed.stdout
    assert "[1/1]" not in completed.stdout


SERVER_SETTINGS = (
    "import json, testproject.settings as s; "
    "print(json.dumps({alias: {k: v for k, v in db.items() if k != 'NAME'} "
    "for alias, db in s.DATABASES.items()}))"
)


@pytest.mark.parametrize("backend", databases.BACKENDS)
def test_testproject_and_the_scenarios_connect_to_servers_alike(backend, monkeypatch):
    """The demo project stands alone (its README runs it without ``tests``),
    so it keeps its own copy of the connection settings; this keeps the two
    copies equal, environment overrides included."""
    overrides = {"NOSE_SPEEDUP_PG_PORT": "6543", "NOSE_SPEEDUP_MYSQL_USER": "ci"}
    for name, value in overrides.items():
        monkeypatch.setenv(name, value)
    env = {**os.environ, "NOSE_SPEEDUP_TEST_DB": backend,
           "PYTHONPATH": str(REPO_ROOT / "testproject")}
    completed = subprocess.run([sys.executable, "-c", SERVER_SETTINGS], env=env,
                               capture_output=True, text=True, cwd=REPO_ROOT)
    assert completed.returncode == 0, completed.stderr
    for alias, settings in json.loads(completed.stdout).items():
        assert settings == databases.server_settings(backend), alias


WHERE = """
import os
import pytest


def record(kind):
    with open(os.environ["WORKER_LOG"], "a") as log:
        log.write(f"{kind} {os.environ['PYTEST_XDIST_WORKER']}\\n")
"""
SHARED = WHERE + """

@pytest.fixture(scope="module")
def scenario():
    return "made once"


@pytest.mark.parametrize("n", range(4))
def test_shared(scenario, n):
    record("shared")
"""
INDEPENDENT = WHERE + """
import time


@pytest.mark.parametrize("n", range(4))
def test_independent(n):
    # Wait (a minute at most) until the other worker runs a test of this file
    # too: a busy machine cannot make one worker run them all by being fast.
    # Bound to one worker, as loadfile alone would do, they never meet.
    record("independent")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with open(os.environ["WORKER_LOG"]) as log:
            workers = {line.split()[1] for line in log if line.startswith("independent")}
        if len(workers) == 2:
            break
        time.sleep(0.05)
"""


def test_independent_files_spread_over_workers_and_other_files_stay_on_one(
        tmp_path, monkeypatch):
    (tmp_path / "test_shared.py").write_text(SHARED)
    (tmp_path / "test_independent.py").write_text(INDEPENDENT)
    log = tmp_path / "workers.log"
    monkeypatch.setenv("WORKER_LOG", str(log))
    completed = run_pytest_on(tmp_path, "-n", "2", "--dist", "loadfile",
                              ini="independent_test_files = test_independent.py\n")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    records = [line.split() for line in log.read_text().splitlines()]
    workers = {kind: {w for k, w in records if k == kind} for kind in ("shared", "independent")}
    assert len(records) == 8 and len(workers["shared"]) == 1, records
    assert workers["independent"] == {"gw0", "gw1"}, records
    assert "[2/2] " in completed.stdout


def test_files_named_independent_use_no_module_or_class_scoped_fixture():
    parser = configparser.ConfigParser()
    parser.read(REPO_ROOT / "setup.cfg")
    files = parser["tool:pytest"]["independent_test_files"].split()
    assert files
    for path in files:
        completed = subprocess.run(
            [sys.executable, "-m", "pytest", "--setup-plan", "-n", "0", path],
            cwd=REPO_ROOT, capture_output=True, text=True,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
        assert " passed" not in completed.stdout  # planned, not run
        shared = re.findall(r"^\s*SETUP\s+[CMPS] (\w+)", completed.stdout, re.M)
        # pytest's own factory behind tmp_path: each worker has one, and it
        # holds nothing a test leaves for another.
        shared = [name for name in shared if name != "tmp_path_factory"]
        assert shared == [], f"{path} uses shared fixtures: {shared}"


MARKED = """
import pytest

pytestmark = pytest.mark.backend_independent


def test_one():
    pass


def test_two():
    pass
"""
MIXED = """
import pytest


@pytest.mark.backend_independent
def test_marked():
    pass


def test_unmarked():
    pass
"""
LEAVE_OUT = ("-m", "not backend_independent")


def backend_independent_line(output):
    (line,) = [line for line in output.splitlines() if line.startswith("backend-independent")]
    return line


@pytest.mark.parametrize("workers", ["0", "2"])
def test_server_run_leaves_out_marked_tests_and_names_their_files(tmp_path, monkeypatch, workers):
    (tmp_path / "test_marked.py").write_text(MARKED)
    (tmp_path / "test_mixed.py").write_text(MIXED)
    monkeypatch.setenv("NOSE_SPEEDUP_TEST_DB", "postgresql")
    completed = run_pytest_on(tmp_path, "-n", workers, *LEAVE_OUT)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert backend_independent_line(completed.stdout) == (
        'backend-independent tests: 3 left out here (-m "not backend_independent"; they run '
        "on this Python's first database), in test_marked.py (2), test_mixed.py (1)"
    ), completed.stdout
    assert re.search(r"=+ 1 passed", completed.stdout), completed.stdout


def test_sqlite_run_runs_marked_tests_and_names_their_files(tmp_path, monkeypatch):
    (tmp_path / "test_marked.py").write_text(MARKED)
    (tmp_path / "test_mixed.py").write_text(MIXED)
    monkeypatch.setenv("NOSE_SPEEDUP_TEST_DB", "sqlite")
    completed = run_pytest_on(tmp_path, "-n", "2")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert backend_independent_line(completed.stdout) == (
        "backend-independent tests: 3 ran here (sqlite), in test_marked.py (2), "
        "test_mixed.py (1)"
    ), completed.stdout
    assert re.search(r"=+ 4 passed", completed.stdout), completed.stdout


def test_k_alone_leaves_no_marked_test_out(tmp_path, monkeypatch):
    (tmp_path / "test_mixed.py").write_text(MIXED)
    monkeypatch.setenv("NOSE_SPEEDUP_TEST_DB", "postgresql")
    completed = run_pytest_on(tmp_path, "-n", "0", "-k", "unmarked")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "backend-independent" not in completed.stdout, completed.stdout
    assert re.search(r"=+ 1 passed, 1 deselected", completed.stdout), completed.stdout


def test_leaving_marked_tests_out_of_a_sqlite_run_is_refused(tmp_path, monkeypatch):
    (tmp_path / "test_marked.py").write_text(MARKED)
    monkeypatch.setenv("NOSE_SPEEDUP_TEST_DB", "sqlite")
    completed = run_pytest_on(tmp_path, "-n", "0", *LEAVE_OUT)
    assert completed.returncode == 4, completed.stdout + completed.stderr
    assert "would run the backend_independent tests nowhere" in completed.stderr


@functools.lru_cache(maxsize=None)
def ci_dry_run_test_runs():
    """``(python, django, backend, -m expression)`` of every own-test run of
    ``.ci/run``'s whole matrix, in order (one dry run per test process)."""
    completed = subprocess.run(
        ["bash", str(REPO_ROOT / ".ci" / "run")], cwd=REPO_ROOT, capture_output=True, text=True,
        # The whole matrix, even inside a CI run limited by CI_ONLY.
        env={**{k: v for k, v in os.environ.items() if k != "CI_ONLY"}, "CI_DRY_RUN": "1"},
        timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    runs = re.findall(r"^Python (\S+), (\S+), (\w+): NOSE_SPEEDUP_TEST_DB=\3 (.*)$",
                      completed.stdout, re.M)
    assert runs, completed.stdout
    return tuple(
        (python, django, backend, (re.findall(r"-m '([^']*)'", command) or [""])[0])
        for python, django, backend, command in runs
    )


def left_out(expression):
    """The markers an ``-m 'not a and not b'`` expression leaves out."""
    assert " or " not in expression, expression
    return {term[len("not "):] for term in expression.split(" and ") if term.startswith("not ")}


def test_ci_runs_marked_tests_on_each_pythons_first_database_only():
    first = {}
    for python, _, backend, expression in ci_dry_run_test_runs():
        first.setdefault(python, backend)
        leaves_out = "backend_independent" in left_out(expression)
        assert leaves_out == (backend != first[python]), (python, backend, expression)
    # SQLite is never a later database: a SQLite run that left the marked
    # tests out would be refused (tests/support/backend_independent.py).
    assert {"3.10", "3.11", "3.12", "3.13"} <= set(first), first


def test_ci_matrix_covers_every_python_django_and_database():
    runs = ci_dry_run_test_runs()
    full_runs = [run for run in runs if "backend_independent" not in left_out(run[3])]
    assert sorted(python for python, *_ in full_runs) == ["3.10", "3.11", "3.12", "3.13"]
    pairs = {(django, backend) for _, django, backend, _ in runs}
    djangos = {django for django, _ in pairs}
    assert len(djangos) == 3, djangos
    oldest, _, newest = sorted(
        djangos, key=lambda requirement: [int(n) for n in re.findall(r"\d+", requirement)[:2]]
    )
    for django in (oldest, newest):
        assert {(django, "sqlite"), (django, "postgresql")} <= pairs, pairs
    assert {backend for _, backend in pairs} == {"sqlite", "postgresql", "mariadb"}


def test_ci_runs_docs_examples_once_and_tracer_exactness_once_per_tracer():
    runs = ci_dry_run_test_runs()
    # Both kinds are backend_independent as well (test_docs_examples.py,
    # test_affected_exactness.py): a run leaving either marker out skips them.
    runs_marker = lambda marker: [  # noqa: E731
        python for python, _, _, expression in runs
        if not {marker, "backend_independent"} & left_out(expression)
    ]
    assert len(runs_marker("docs_examples")) == 1, runs
    tracers = {tuple(map(int, python.split("."))) >= (3, 12) for python in runs_marker("tracer_exactness")}
    assert tracers == {False, True}, runs


def _ci_copy(tmp_path, docs_script=None):
    """``.ci/`` and README.rst in a directory of their own, with a
    ``.ci/docs`` of the test's making."""
    (tmp_path / ".ci").mkdir()
    for name in ("run", "servers.sh"):
        (tmp_path / ".ci" / name).write_text((REPO_ROOT / ".ci" / name).read_text())
    (tmp_path / "README.rst").write_text((REPO_ROOT / "README.rst").read_text())
    if docs_script is not None:
        (tmp_path / ".ci" / "docs").write_text(docs_script)
    return tmp_path


def _run_ci(root, **env):
    return subprocess.run(
        ["bash", str(root / ".ci" / "run")], cwd=root, capture_output=True, text=True,
        env={**{k: v for k, v in os.environ.items() if k not in ("CI_ONLY", "CI_DRY_RUN")},
             **env},
        timeout=120,
    )


@pytest.mark.parametrize("exists", [True, False])
def test_ci_runs_the_docs_build_once_when_there_is_one(tmp_path, exists):
    root = _ci_copy(tmp_path, "exit 0\n" if exists else None)
    completed = _run_ci(root, CI_DRY_RUN="1")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.count("docs, once: .ci/docs") == (1 if exists else 0), completed.stdout


@pytest.mark.parametrize("script, code, counts", [
    ("echo building the docs\nexit 3\n", 1, "ci: 0 passed, 1 failed, 0 skipped"),
    ("echo building the docs\n", 0, "ci: 1 passed, 0 failed, 0 skipped"),
])
def test_a_failing_docs_build_fails_ci(tmp_path, script, code, counts):
    root = _ci_copy(tmp_path, script)
    completed = _run_ci(root, CI_ONLY="docs")
    output = completed.stdout + completed.stderr
    assert completed.returncode == code, output
    assert output.rstrip().splitlines()[-1] == counts, output
    assert ("building the docs" in output) == (code != 0), output


def test_a_kept_build_is_put_back_exactly_and_what_a_test_left_is_gone(tmp_path):
    from tests.support.kept_build import KeptBuild

    class FakeProject:
        path = tmp_path / "copy" / "shop"

    def build(project):
        project.path.mkdir(parents=True)
        (project.path / "settings.py").write_text("BUILT = True\n")
        (project.path / "test_kept.sqlite3").write_bytes(b"the kept database")
        return {"items": ["built"]}

    kept = KeptBuild("sqlite", FakeProject(), build, lambda project: [], connect=None)
    try:
        assert kept.cold_report == {"items": ["built"]}
        # What a test does to its copy: edits, a changed database, files beside it.
        (kept.project.path / "settings.py").write_text("BUILT = False\n")
        (kept.project.path / "test_kept.sqlite3").write_bytes(b"rows a test committed")
        (kept.project.path / "blog").mkdir()
        (kept.project.path.parent / "started").touch()
        project = kept.restore()
        assert sorted(os.listdir(project.path.parent)) == ["shop"]
        assert sorted(os.listdir(project.path)) == ["settings.py", "test_kept.sqlite3"]
        assert (project.path / "settings.py").read_text() == "BUILT = True\n"
        assert (project.path / "test_kept.sqlite3").read_bytes() == b"the kept database"
    finally:
        kept.remove()
    assert not (tmp_path / "copy").exists()
