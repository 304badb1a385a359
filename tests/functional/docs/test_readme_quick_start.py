"""The README's install and quick start work as written on a fresh checkout:
both quick-start commands run from the repository root in one shell, in any
order, and ``pip install -e ".[test]"`` pulls everything the tests import."""

import ast
import configparser
import re
import subprocess
import sys

import pytest

from tests.support.nose2run import REPO_ROOT

# The demo runs on SQLite: its environment is PATH alone.
pytestmark = pytest.mark.backend_independent

# Test modules import these from the database drivers' extras, which the
# test extra (SQLite and PostgreSQL) or the mysql extra (MariaDB) installs.
DISTRIBUTION_MODULES = {
    "psycopg[binary]": "psycopg", "mysqlclient": "MySQLdb", "pytest-xdist": "xdist",
}


def quick_start_commands():
    readme = (REPO_ROOT / "README.rst").read_text()
    section = readme.split("Quick start\n-----------\n", 1)[1].split("\nWhy\n---", 1)[0]
    return [m.strip() for m in re.findall(r"::\n\n    (.+)\n", section)]


def test_quick_start_has_the_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2 and all(c.startswith("python -m pip install -e") for c in commands)


def run_in_one_shell(commands):
    """Run ``commands`` one after the other in one shell (without their pip
    install, done already), then print the working directory."""
    script = "\n".join(c.split(" && ", 1)[1] for c in commands) + "\npwd\n"
    return subprocess.run(
        ["sh", "-e"], input=script, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
        env={"PATH": f"{sys.executable.rsplit('/', 1)[0]}:/usr/bin:/bin"},
    )


def test_demo_command_runs_from_the_repository_root_and_stays_there():
    demo = quick_start_commands()[0]
    completed = run_in_one_shell([demo, demo])  # twice: the second one must work too
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.splitlines()[-1] == str(REPO_ROOT), completed.stdout
    assert completed.stderr.count("\nOK\n") == 2, completed.stderr


def test_own_tests_command_does_not_change_directory():
    tests_command = quick_start_commands()[1]
    assert "cd " not in tests_command.replace("(cd ", "")
    assert tests_command.endswith("python -m pytest tests")


def imported_top_level_names(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_test_extra_pulls_every_third_party_module_the_tests_import():
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "setup.cfg")
    requirements = config["options"]["install_requires"].split()
    requirements += config["options.extras_require"]["test"].split()
    requirements += config["options.extras_require"]["mysql"].split()  # MariaDB runs only
    provided = set()
    for requirement in filter(None, requirements):
        name = re.split(r"[<>=!~ ]", requirement, maxsplit=1)[0]
        provided.add(DISTRIBUTION_MODULES.get(name, name.split("[")[0].lower()))
    local = {"tests", "nose_speedup"} | {p.name for p in (REPO_ROOT / "tests").rglob("*")}
    local |= {p.stem for p in (REPO_ROOT / "tests").rglob("*.py")}
    missing = set()
    for path in (REPO_ROOT / "tests").glob("*.py"):
        for name in imported_top_level_names(path):
            if name not in sys.stdlib_module_names and name not in local | provided:
                missing.add(f"{name} ({path.name})")
    assert not missing, f"imported by tests but in no extra: {sorted(missing)}"
    # The coverage comparison runs "python -m coverage".
    assert "coverage" in provided
