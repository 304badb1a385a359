"""How the command line, unittest.cfg and an old test database combine:
the command line beats the config, and an old test database is destroyed
only after asking when someone can answer (stdin is a terminal), as
``manage.py test`` does, else with a line saying which was destroyed."""

import os
import pty
import subprocess
import sys

import pytest

from tests.support.nose2run import (
    copy_scenario, remove_copy, run_manage, run_nose2, scenario_env,
)

DJANGO_RUNNER = ("--testrunner", "django.test.runner.DiscoverRunner")
LABEL = "library.tests.test_tags.SlowAuthorTests"
PROMPT = "Type 'yes' if you would like to try deleting the test database"
DESTROYED_OLD = "Destroying old test database for alias 'default'"
NOSE2 = ("-v", "--plugin", "nose_speedup.plugins.django", "--django-settings", "settings")


@pytest.fixture
def project():
    path = copy_scenario("runner/flags")
    yield path
    remove_copy(path)


def write_config(project, text):
    (project / "unittest.cfg").write_text(text)


def test_no_fixture_bundling_beats_always_on_in_the_config(project):
    write_config(project, "[fixture-bundling]\nalways-on = True\n")
    bundled = run_manage(project, "test", "--noinput", LABEL)
    assert "fixture bundling:" in bundled.output, bundled.describe()
    result = run_manage(project, "test", "--noinput", "--no-fixture-bundling", LABEL)
    assert result.returncode == 0, result.describe()
    assert "fixture bundling:" not in result.output, result.describe()


def test_command_line_tag_replaces_the_configs_tags(project):
    write_config(project, "[test-selection]\ntags = slow\n")
    from_config = run_manage(project, "test", "--noinput", "-v", "2", "library.tests.test_tags")
    assert "Found 5 test(s)." in from_config.output, from_config.describe()
    result = run_manage(project, "test", "--noinput", "-v", "2", "--tag", "core",
                        "library.tests.test_tags")
    assert "Found 3 test(s)." in result.output, result.describe()


def test_command_line_shuffle_seed_beats_the_configs(project):
    write_config(project, "[django]\nshuffle = 1\n")
    result = run_manage(project, "test", "--noinput", "--shuffle", "7", LABEL)
    assert "Using shuffle seed: 7 (given)" in result.output, result.describe()


def leave_an_old_test_database(project):
    """An existing test database, as a crashed or --keepdb run leaves it."""
    settings = project / "settings.py"
    settings.write_text(
        settings.read_text()
        + "\nif DATABASES['default']['ENGINE'].endswith('sqlite3'):\n"
        "    DATABASES['default']['TEST'] = {'NAME': str(BASE_DIR / 'test_old.sqlite3')}\n"
    )
    kept = run_manage(project, "test", *DJANGO_RUNNER, "--noinput", "--keepdb", LABEL)
    assert kept.returncode == 0, kept.describe()


def run_on_a_terminal(project, args, answer):
    """Run with stdin on a pseudo-terminal that has ``answer`` typed ahead."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, *args], cwd=project, env=scenario_env(project),
            stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        os.write(controller, answer.encode())
        stdout, stderr = process.communicate(timeout=300)
    finally:
        os.close(terminal)
        os.close(controller)
    return process.returncode, stdout + stderr


def test_plain_nose2_on_a_terminal_asks_before_destroying_an_old_test_database(project):
    leave_an_old_test_database(project)
    returncode, output = run_on_a_terminal(project, ["-m", "nose2", *NOSE2, LABEL], "no\n")
    assert PROMPT in output, output
    assert "Tests cancelled." in output and returncode != 0, output
    # Still there: the next run finds it again.
    again = run_nose2(project, *NOSE2, LABEL)
    assert DESTROYED_OLD in again.output, again.describe()


def test_plain_nose2_without_a_terminal_says_which_old_test_database_it_destroyed(project):
    leave_an_old_test_database(project)
    result = run_nose2(project, *NOSE2, LABEL)
    assert result.returncode == 0, result.describe()
    assert PROMPT not in result.output
    assert DESTROYED_OLD in result.output, result.describe()


def test_manage_py_test_asks_as_djangos_runner_does(project):
    leave_an_old_test_database(project)
    ours = run_on_a_terminal(project, ["manage.py", "test", LABEL], "no\n")
    djangos = run_on_a_terminal(project, ["manage.py", "test", *DJANGO_RUNNER, LABEL], "no\n")
    for returncode, output in (ours, djangos):
        assert PROMPT in output and "Tests cancelled." in output and returncode != 0, output


def test_noinput_beats_interactive_in_the_config(project):
    write_config(project, "[django]\ninteractive = True\n")
    leave_an_old_test_database(project)
    result = run_manage(project, "test", "--noinput", LABEL)
    assert result.returncode == 0, result.describe()
    assert PROMPT not in result.output and DESTROYED_OLD in result.output, result.describe()
