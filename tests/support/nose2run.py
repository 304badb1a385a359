"""Run ``python -m nose2`` (or ``manage.py test``) in a subprocess against a
scenario project, because Django settings and connections are process-global.

Each run works on a fresh copy of the scenario under a temporary directory,
so a test may edit the copy (add a migration, change settings) and runs never
leave files in the repository. ``copy_scenario`` gives that copy;
``run_nose2(project_dir, *args)`` runs nose2 in it.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = REPO_ROOT / "tests" / "scenarios"

VERBOSE_OUTCOME = re.compile(
    r"^(?P<test>\S+ \([\w.]+\))(?:\n.*)? \.\.\. (?P<outcome>ok|FAIL|ERROR|skipped.*|expected failure|unexpected success)$",
    re.MULTILINE,
)


@dataclass
class RunResult:
    args: list
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self):
        return self.stdout + self.stderr

    def outcomes(self):
        """``{test description: outcome}`` from ``-v`` output, e.g.
        ``{"test_x (app.tests.T.test_x)": "ok"}``."""
        return {
            m["test"]: "skipped" if m["outcome"].startswith("skipped") else m["outcome"]
            for m in VERBOSE_OUTCOME.finditer(self.output)
        }

    def describe(self):
        return (
            f"command: {' '.join(map(str, self.args))}\nexit code: {self.returncode}\n"
            f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"
        )


def describe(class_path, method):
    """How unittest names a test in ``-v`` output on this Python:
    ``test_x (app.tests.Class.test_x)`` from 3.11 on, ``test_x (app.tests.Class)`` before."""
    if sys.version_info >= (3, 11):
        return f"{method} ({class_path}.{method})"
    return f"{method} ({class_path})"


def copy_scenario(relative_path, destination=None):
    """Copy ``tests/scenarios/<relative_path>`` into a new temporary directory
    and return the copy's path. The caller removes it (``remove_copy``)."""
    return copy_project(SCENARIOS / relative_path, destination)


def copy_project(source, destination=None):
    """Copy the project at ``source`` (a scenario, or ``testproject/``) into a
    new temporary directory and return the copy's path, without bytecode or
    SQLite files. The caller removes it (``remove_copy``)."""
    source = Path(source)
    if not source.is_dir():
        raise FileNotFoundError(f"no project at {source}")
    root = Path(destination or tempfile.mkdtemp(prefix="nsp-scenario-"))
    target = root / source.name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    return target


def remove_copy(project_dir):
    shutil.rmtree(Path(project_dir).parent, ignore_errors=True)


def scenario_env(project_dir, extra=None):
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "REUSE_DB", "COVERAGE_PROCESS_START"):
        env.pop(name, None)
    paths = [str(project_dir), str(REPO_ROOT)]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    # Nothing is written into a scenario copy: a test may edit a module
    # between two runs within a second, at the same size, and bytecode is
    # checked by mtime and size. The repository's own code, which no test
    # edits, is read from the bytecode compile_repository_code() wrote.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONPYCACHEPREFIX", None)
    env.update(extra or {})
    return env


def compile_repository_code():
    """Write the bytecode of ``nose_speedup`` and ``tests`` beside their
    sources (``__pycache__``, ignored by git), once per pytest session: the
    hundreds of scenario subprocesses run with ``PYTHONDONTWRITEBYTECODE``,
    and would otherwise each compile the ~11,000 lines they import (a tenth
    of a scenario run's CPU). Python checks each file's mtime and size, so an
    edited source is never run from stale bytecode. A checkout that cannot
    be written to is left as it is. ``NOSE_SPEEDUP_TESTS_PRECOMPILE=0``
    turns it off (``benchmarks/ci_time.py --cold-bytecode``)."""
    import compileall

    if os.environ.get("NOSE_SPEEDUP_TESTS_PRECOMPILE") == "0":
        return
    for name in ("nose_speedup", "tests"):
        compileall.compile_dir(REPO_ROOT / name, quiet=2, workers=1)


def run_command(project_dir, args, env=None, timeout=300):
    completed = subprocess.run(
        args,
        cwd=str(project_dir),
        env=scenario_env(project_dir, env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return RunResult(list(args), completed.returncode, completed.stdout, completed.stderr)


def run_nose2(project_dir, *args, env=None, timeout=300):
    """``python -m nose2 ARGS`` with the project as working directory."""
    return run_command(project_dir, [sys.executable, "-m", "nose2", *args], env, timeout)


def run_manage(project_dir, *args, env=None, timeout=300):
    """``python manage.py ARGS`` with the project as working directory."""
    return run_command(project_dir, [sys.executable, "manage.py", *args], env, timeout)
