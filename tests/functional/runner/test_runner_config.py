"""How the command line, unittest.cfg and an old test database combine:
the command line beats the config, and an old test database is destroyed
only after asking when someone can answer (stdin is a terminal), as
``manage.py test`` does, else with a line saying which was destroyed.

The command line against the config is ``backend_independent``
(tests/support/backend_independent.py); the old test database runs on every
database."""

import os
import pty
import subprocess
import sys

import pytest

from tests.support.databases import database_alias, selected_backend, server_settings
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


@pytest.mark.backend_independent
def test_no_fixture_bundling_beats_always_on_in_the_config(project):
    write_config(project, "[fixture-bundling]\nalways-on = True\n")
    bundled = run_manage(project, "test", "--noinput", LABEL)
    assert "fixture bundling:" in bundled.output, bundled.describe()
    result = run_manage(project, "test", "--noinput", "--no-fixture-bundling", LABEL)
    assert result.returncode == 0, result.describe()
    assert "fixture bundling:" not in result.output, result.describe()


@pytest.mark.backend_independent
def test_command_line_tag_replaces_the_configs_tags(project):
    write_config(project, "[test-selection]\ntags = slow\n")
    from_config = run_manage(project, "test", "--noinput", "-v", "2", "library.tests.test_tags")
    assert "Found 5 test(s)." in from_config.output, from_config.describe()
    result = run_manage(project, "test", "--noinput", "-v", "2", "--tag", "core",
                        "library.tests.test_tags")
    assert "Found 3 test(s)." in result.output, result.describe()


@pytest.mark.backend_independent
def test_command_line_shuffle_seed_beats_the_configs(project):
    write_config(project, "[django]\nshuffle = 1\n")
    result = run_manage(project, "test", "--noinput", "--shuffle", "7", LABEL)
    assert "Using shuffle seed: 7 (given)" in result.output, result.describe()


def use_a_test_database_file(project):
    """On SQLite, a test database file instead of Django's in-memory one."""
    settings = project / "settings.py"
    settings.write_text(
        settings.read_text()
        + "\nif DATABASES['default']['ENGINE'].endswith('sqlite3'):\n"
        "    DATABASES['default']['TEST'] = {'NAME': str(BASE_DIR / 'test_old.sqlite3')}\n"
    )


def leave_an_old_test_database(project):
    """An existing test database, as a crashed or --keepdb run leaves it."""
    use_a_test_database_file(project)
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


@pytest.mark.backend_independent
def test_configs_verbosity_applies_unless_v_is_typed(project):
    write_config(project, "[unittest]\nverbosity = 2\n")
    verbose = run_manage(project, "test", "--noinput", LABEL)
    assert "test_fixture_author (" in verbose.output, verbose.describe()
    quiet = run_manage(project, "test", "--noinput", "-v", "1", LABEL)
    assert "test_fixture_author (" not in quiet.output, quiet.describe()


def test_configs_interactive_false_applies_unless_asked_on_the_command_line(project):
    write_config(project, "[django]\ninteractive = False\n")
    leave_an_old_test_database(project)
    returncode, output = run_on_a_terminal(project, ["manage.py", "test", LABEL], "no\n")
    assert returncode == 0 and PROMPT not in output and DESTROYED_OLD in output, output


def kept_database_is_there(project):
    """Whether the scenario's test database is there (a file on SQLite)."""
    settings = database_alias("runner_flags", project)
    if selected_backend() == "sqlite":
        return (project / "test_old.sqlite3").exists()
    name, config = settings["TEST"]["NAME"], server_settings()
    if selected_backend() == "postgresql":
        import psycopg

        with psycopg.connect(host=config["HOST"], port=config["PORT"], user=config["USER"],
                             password=config["PASSWORD"], dbname="postgres") as connection:
            query = "SELECT 1 FROM pg_database WHERE datname = %s"
            return connection.execute(query, [name]).fetchone() is not None
    import MySQLdb

    connection = MySQLdb.connect(host=config["HOST"], port=int(config["PORT"]),
                                 user=config["USER"], password=config["PASSWORD"])
    cursor = connection.cursor()
    cursor.execute("SHOW DATABASES LIKE %s", [name])
    return cursor.fetchone() is not None


@pytest.mark.parametrize("keepdb", [True, False])
def test_keepdb_keeps_the_test_database_as_djangos_runner_does(project, keepdb):
    use_a_test_database_file(project)
    flags = ["--keepdb"] if keepdb else []
    djangos = run_manage(project, "test", *DJANGO_RUNNER, "--noinput", *flags, LABEL)
    assert djangos.returncode == 0 and kept_database_is_there(project) == keepdb
    if keepdb:  # start from nothing, as our reuse refuses a database it did not build
        assert run_manage(project, "test", *DJANGO_RUNNER, "--noinput", LABEL).returncode == 0
    ours = run_manage(project, "test", "--noinput", *flags, LABEL)
    assert ours.returncode == 0, ours.describe()
    assert kept_database_is_there(project) == keepdb, ours.describe()
