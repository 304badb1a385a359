"""While a test database is migrated, a progress line shows how far the build
is: updated in place on a terminal and erased at the end, plain lines in a
log. ``progress-after = 0`` shows it from the first migration, so that the
small scenario shows it without depending on time."""

import os
import pty
import re
import subprocess
import sys

import pytest

from tests.support.nose2run import copy_scenario, remove_copy, run_manage, scenario_env

LABEL = "library.tests.test_tags"
# SQLite's in-memory test database has no name to show; a server's has.
LINE = (
    r"Building test database (?:for alias 'default'|'test_nsp_runner_flags\w*'): "
    r"applying migrations"
)


@pytest.fixture
def project():
    path = copy_scenario("runner/flags")
    (path / "unittest.cfg").write_text("[django]\nprogress-after = 0\n")
    yield path
    remove_copy(path)


def test_plain_output_has_a_line_per_tenth_of_the_build(project):
    result = run_manage(project, "test", "--noinput", LABEL)
    assert result.returncode == 0, result.describe()
    assert re.findall(rf"^{LINE} (\d+/\d+)$", result.stderr, re.MULTILINE) == [
        "1/3", "2/3", "3/3"
    ], result.describe()


@pytest.mark.parametrize("verbosity", ["0", "2"])
def test_no_progress_line_at_verbosity_other_than_one(project, verbosity):
    result = run_manage(project, "test", "--noinput", "-v", verbosity, LABEL)
    assert result.returncode == 0, result.describe()
    assert not re.search(LINE, result.output), result.describe()


def test_terminal_shows_one_line_updated_in_place_then_erased(project):
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "test", "--noinput", LABEL], cwd=project,
        env=scenario_env(project), stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal,
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=300) == 0, output
    text = output.decode()
    updates = re.findall(rf"\r{LINE} (\d+/\d+)", text)
    assert updates == ["1/3", "2/3", "3/3"], text
    last = re.search(rf"{LINE} 3/3", text).end()
    assert re.match(r"\r +\r", text[last:]), text  # erased, nothing glued on it
