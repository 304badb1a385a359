"""The reuse-db plugin keeps test databases between runs, rebuilds them when
what their schema was built from changes, starts every run clean, and never
touches a database that is not its own. Each test runs nose2 in a subprocess
against a copy of tests/scenarios/reuse_db/shop, on the backend that
NOSE_SPEEDUP_TEST_DB selects, and reads what the run saw from the scenario's
probe (a JSON report) and its output."""

import datetime
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest

from tests.support.databases import database_alias, selected_backend, server_settings
from tests.support.nose2run import (
    RunResult,
    copy_scenario,
    remove_copy,
    run_manage,
    run_nose2,
    scenario_env,
)

BACKEND = selected_backend()
PROBE = "shop.tests.test_probe"
TRANSACTIONAL = "shop.tests.test_transactional"
PRISTINE_ITEMS = ["Made by post_migrate", "Seeded by a migration"]

NEW_MIGRATION = '''from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_seed")]
    operations = [
        migrations.AddField("item", "color", models.CharField(max_length=20, null=True)),
    ]
'''


def _server_connection(database=None):
    """A DB-API connection in autocommit to the selected server."""
    config = server_settings()
    if BACKEND == "postgresql":
        import psycopg

        return psycopg.connect(
            host=config["HOST"], port=config["PORT"], user=config["USER"],
            password=config["PASSWORD"], dbname=database or "postgres", autocommit=True,
        )
    import MySQLdb

    connection = MySQLdb.connect(
        host=config["HOST"], port=int(config["PORT"]), user=config["USER"],
        password=config["PASSWORD"], database=database or "",
    )
    connection.autocommit(True)
    return connection


class Project:
    """A copy of the scenario whose databases have names of their own."""

    def __init__(self, path):
        self.path = path
        self.name = f"reuse_{uuid.uuid4().hex[:10]}"
        self.report_path = path.parent / "probe.json"
        self.cold_report = None  # the build's probe report, under @pytest.mark.kept_build

    def test_database(self, alias="default"):
        suffix = "" if alias == "default" else f"_{alias}"
        if BACKEND == "sqlite":
            return str(self.path / f"test_{self.name}{suffix}.sqlite3")
        # As the scenario's settings name it (tests/support/databases.py).
        return database_alias(f"{self.name}{suffix}", self.path)["TEST"]["NAME"]

    def env(self, reuse="1", **extra):
        env = {"NSP_DB_NAME": self.name, "PROBE_REPORT": str(self.report_path), **extra}
        if reuse is not None:
            env["REUSE_DB"] = reuse
        return env

    def run(self, *labels, reuse="1", args=(), **extra):
        """Run nose2; return the result and the probe's report (or None)."""
        self.report_path.unlink(missing_ok=True)
        labels = labels or [PROBE]
        result = run_nose2(self.path, "-v", *args, *labels, env=self.env(reuse, **extra))
        report = json.loads(self.report_path.read_text()) if self.report_path.exists() else None
        return result, report

    def pristine_database(self, alias="default"):
        if BACKEND == "sqlite":
            return self.test_database(alias).replace(".sqlite3", "_pristine.sqlite3")
        return self.test_database(alias) + "_pristine"

    def exists(self, name):
        """Does the database (or SQLite file) ``name`` exist?"""
        if BACKEND == "sqlite":
            return os.path.exists(name)
        connection = _server_connection()
        try:
            cursor = connection.cursor()
            if BACKEND == "postgresql":
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            else:
                cursor.execute(
                    "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", [name]
                )
            return cursor.fetchone() is not None
        finally:
            connection.close()

    def execute(self, statement, alias="default", name=None):
        """Run one statement on a kept test database (or the database
        ``name``); return its rows."""
        name = name or self.test_database(alias)
        connection = sqlite3.connect(name) if BACKEND == "sqlite" else _server_connection(name)
        try:
            cursor = connection.cursor()
            cursor.execute(statement)
            rows = list(cursor.fetchall()) if cursor.description else []
            connection.commit()
            return rows
        finally:
            connection.close()

    def edit(self, relative_path, text=None, append=None):
        path = self.path / relative_path
        if text is None and append is None:
            path.unlink()
        else:
            path.write_text(text if text is not None else path.read_text() + append)

    def drop_server_databases(self):
        if BACKEND == "sqlite":
            return
        connection = _server_connection()
        try:
            cursor = connection.cursor()
            for alias in ("default", "other"):
                for name in (self.test_database(alias), self.test_database(alias) + "_pristine"):
                    force = " WITH (FORCE)" if BACKEND == "postgresql" else ""
                    quoted = f'"{name}"' if BACKEND == "postgresql" else f"`{name}`"
                    cursor.execute(f"DROP DATABASE IF EXISTS {quoted}{force}")
        finally:
            connection.close()


def cold_build(project):
    """The first REUSE_DB=1 run: it builds and keeps the databases. Its report."""
    result, report = project.run()
    assert "it does not exist yet" in succeeded(result).output, result.describe()
    return report


def kept_databases(project):
    """The server databases a build keeps: each alias's and its pristine copy."""
    return [
        name
        for alias in ("default", "other")
        for name in (project.test_database(alias), project.pristine_database(alias))
    ]


@pytest.fixture
def project(request):
    """A copy of the scenario. Under ``@pytest.mark.kept_build`` its databases
    are built and kept already (REUSE_DB=1's cold run; ``cold_report`` holds
    that run's report): on SQLite and PostgreSQL a copy of one build made per
    worker (tests/support/kept_build.py), on MariaDB a build of its own."""
    kept = request.node.get_closest_marker("kept_build") is not None
    if kept and BACKEND != "mariadb":
        build = request.getfixturevalue("kept_build")
        project = build.restore()
        project.cold_report = build.cold_report
        yield project
        return
    path = copy_scenario("reuse_db/shop")
    project = Project(path)
    try:
        if kept:
            project.cold_report = cold_build(project)
        yield project
    finally:
        project.drop_server_databases()
        remove_copy(path)


def succeeded(result):
    assert result.returncode == 0, result.describe()
    return result


def built_then_reused(project, *labels, **extra):
    """A cold run then a warm one; the warm run's result and report."""
    cold, _ = project.run(*labels, **extra)
    assert "it does not exist yet" in succeeded(cold).output, cold.describe()
    warm, report = project.run(*labels, **extra)
    return succeeded(warm), report


# Reuse, and its switches -------------------------------------------------------------------


def test_second_run_reuses_the_database_without_migrating_or_flushing(project):
    # A TIME_ZONE 14 hours from UTC: django.setup() makes it the process's.
    settings = project.path / "settings.py"
    settings.write_text(settings.read_text() + '\nTIME_ZONE = "Pacific/Kiritimati"\n')
    started = datetime.datetime.now(datetime.timezone.utc)
    cold, cold_report = project.run()
    succeeded(cold)
    warm, report = project.run()
    succeeded(warm)
    assert f"Reusing test database {project.test_database()!r} (built " in warm.output
    built = re.search(r"\(built (\d{4}-\d\d-\d\d \d\d:\d\d) UTC from ", warm.output)
    assert built, warm.describe()
    built_at = datetime.datetime.strptime(built.group(1), "%Y-%m-%d %H:%M")
    built_at = built_at.replace(tzinfo=datetime.timezone.utc)
    assert started - datetime.timedelta(minutes=1) <= built_at <= started + datetime.timedelta(
        minutes=10
    ), f"built {built_at}, the run started {started}"
    assert re.search(r"from \d+ migrations; REUSE_DB=reset to rebuild\)", warm.output), (
        warm.describe()
    )
    assert cold_report["migration_modules_loaded"] == [
        "shop.migrations.0001_initial", "shop.migrations.0002_seed",
    ]
    # The fingerprint hashed the files: no migration module was imported.
    assert report["migration_modules_loaded"] == [], warm.describe()
    assert report["items"] == PRISTINE_ITEMS
    assert report["content_types"] == cold_report["content_types"] > 0
    assert report["serialized"] == []


@pytest.mark.kept_build
def test_a_row_written_between_runs_by_another_client_is_undone_next_run(project):
    project.execute("INSERT INTO shop_item (name) VALUES ('written between runs')")
    result, report = project.run()
    assert (
        f"Reusing test database {project.test_database()!r} (restored 1 table another client "
        "changed and reset 1 sequence; built "
    ) in succeeded(result).output, result.describe()
    assert "  restored tables: shop_item\n" in result.output
    assert report["items"] == PRISTINE_ITEMS
    assert report["migration_modules_loaded"] == [], "restored, not rebuilt"
    result, report = project.run()
    assert "Reusing test database" in result.output, result.describe()


@pytest.mark.kept_build
def test_every_alias_is_kept_and_a_mirror_points_at_its_target(project):
    result, report = project.run()
    succeeded(result)
    assert f"Reusing test database {project.test_database('other')!r}" in result.output
    assert report["replica_name"] == report["default_name"] == project.test_database()
    assert report["other_name"] == project.test_database("other")
    assert report["other_items"] == PRISTINE_ITEMS


@pytest.mark.parametrize("reuse", [None, "0"])
def test_without_reuse_db_django_creates_and_destroys_the_database(project, reuse):
    for _ in range(2):
        result, report = project.run(reuse=reuse)
        assert "Creating test database for alias 'default'" in succeeded(result).output
        assert "Reusing" not in result.output and "Keep" not in result.output
    assert report["migration_modules_loaded"]
    if BACKEND == "sqlite":
        assert not (project.path / f"test_{project.name}.sqlite3").exists()
    else:
        with pytest.raises(Exception, match="(?i)does not exist|unknown database"):
            project.execute("SELECT 1")


def test_reuse_db_flag_turns_reuse_on(project):
    result, report = built_then_reused(project, reuse=None, args=["--reuse-db"])
    assert "Reusing test database" in result.output, result.describe()
    assert report["migration_modules_loaded"] == []


def test_config_key_turns_reuse_on_and_reuse_db_0_turns_it_off(project):
    project.edit("unittest.cfg", append="\n[reuse-db]\nreuse = True\n")
    result, _ = built_then_reused(project, reuse=None)
    assert "Reusing test database" in result.output, result.describe()
    result, _ = project.run(reuse="0")
    assert "Creating test database for alias 'default'" in succeeded(result).output


@pytest.mark.parametrize("how", [{"reuse": "reset"}, {"args": ["--create-db"]}])
@pytest.mark.kept_build
def test_reset_and_create_db_rebuild_the_database(project, how):
    result, report = project.run(**how)
    assert "Rebuilding test database" in succeeded(result).output, result.describe()
    assert "REUSE_DB=reset or --create-db asked for it" in result.output
    assert report["migration_modules_loaded"]


def test_manage_py_test_keepdb_reuses_the_database(project):
    env = project.env(reuse=None)
    args = ("test", "--keepdb", "--noinput", PROBE)
    succeeded(run_manage(project.path, *args, env=env))
    result = succeeded(run_manage(project.path, *args, env=env))
    assert "Reusing test database" in result.output, result.describe()


# Staleness ----------------------------------------------------------------------------------


@pytest.mark.kept_build
def test_new_migration_rebuilds_and_says_so(project):
    project.edit("shop/migrations/0003_item_color.py", NEW_MIGRATION)
    result, report = project.run()
    assert (
        f"Rebuilding test database {project.test_database()!r}: "
        "migration shop/0003_item_color.py added"
    ) in succeeded(result).output, result.describe()
    assert "color" in report["columns"]


@pytest.mark.kept_build
def test_migration_edited_in_place_rebuilds_and_says_so(project):
    initial = (project.path / "shop/migrations/0001_initial.py").read_text()
    project.edit(
        "shop/migrations/0001_initial.py",
        initial.replace(
            '("name", models.CharField(max_length=100)),',
            '("name", models.CharField(max_length=100)),\n'
            '                ("sku", models.CharField(max_length=10, null=True)),',
        ),
    )
    result, report = project.run()
    assert "migration shop/0001_initial.py changed" in succeeded(result).output, result.describe()
    assert "sku" in report["columns"]


def test_removed_migration_rebuilds_and_says_so(project):
    project.edit("shop/migrations/0003_item_color.py", NEW_MIGRATION)
    _, report = project.run()
    assert "color" in report["columns"]
    project.edit("shop/migrations/0003_item_color.py")
    result, report = project.run()
    assert "migration shop/0003_item_color.py removed" in succeeded(result).output, (
        result.describe()
    )
    assert "color" not in report["columns"]


@pytest.mark.kept_build
def test_added_app_rebuilds_and_names_the_app(project):
    project.edit("settings.py", append='\nINSTALLED_APPS.append("blog")\n')
    result, report = project.run()
    assert "app 'blog' added" in succeeded(result).output, result.describe()
    assert "blog_post" in report["tables"]


def test_removed_app_rebuilds_and_names_the_app(project):
    project.edit("settings.py", append='\nINSTALLED_APPS.append("blog")\n')
    succeeded(project.run()[0])
    project.edit("settings.py", append='\nINSTALLED_APPS.remove("blog")\n')
    result, report = project.run()
    assert "app 'blog' removed" in succeeded(result).output, result.describe()
    assert "blog_post" not in report["tables"]


def test_changed_models_of_an_app_without_migrations_rebuild(project):
    project.edit("settings.py", append='\nINSTALLED_APPS.append("blog")\n')
    succeeded(project.run()[0])
    project.edit("blog/models.py", append="    body = models.TextField(default='')\n")
    result, _ = project.run()
    assert "models blog/models.py changed" in succeeded(result).output, result.describe()


@pytest.mark.kept_build
def test_changed_setting_rebuilds_and_names_the_setting(project):
    project.edit("settings.py", append='\nDEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"\n')
    result, _ = project.run()
    assert "setting DEFAULT_AUTO_FIELD changed" in succeeded(result).output, result.describe()


# Every run starts clean -----------------------------------------------------------------------


@pytest.mark.kept_build
def test_rows_and_flush_of_a_transaction_test_case_are_undone_next_run(project):
    cold = project.cold_report
    succeeded(project.run(PROBE, TRANSACTIONAL)[0])
    result, report = project.run()
    assert (
        f"Reusing test database {project.test_database()!r} (restored 3 tables a "
        "TransactionTestCase changed and reset 3 sequences; built "
    ) in succeeded(result).output, result.describe()
    # Django's flush emptied every table; the rows migrations made are back.
    assert report["items"] == PRISTINE_ITEMS
    assert (report["content_types"], report["permissions"]) == (
        cold["content_types"], cold["permissions"],
    )
    result, _ = project.run()
    assert "Reusing test database" in result.output, "restored once, then reused"


@pytest.mark.kept_build
def test_row_committed_outside_a_transaction_is_gone_next_run(project):
    succeeded(project.run(PROBE, "shop.tests.test_escape")[0])
    result, report = project.run()
    assert (
        "(restored 1 table the previous run changed and reset 1 sequence; built "
    ) in result.output, result.describe()
    assert "  restored tables: shop_item\n" in result.output
    assert report["items"] == PRISTINE_ITEMS


@pytest.mark.kept_build
def test_primary_keys_start_where_they_start_in_a_fresh_database(project):
    cold = project.cold_report
    succeeded(project.run(PROBE, "shop.tests.test_fixture")[0])
    result, warm = project.run()
    assert "Reusing test database" in result.output, result.describe()
    assert warm["first_pk"] == cold["first_pk"]


@pytest.mark.kept_build
def test_only_a_selected_serialized_rollback_test_makes_it_serialize(project):
    result, report = project.run()
    succeeded(result)
    assert report["serialized"] == []
    result, report = project.run(PROBE, "shop.tests.test_serialized")
    assert report["serialized"] == ["default"], succeeded(result).describe()


# Safety ---------------------------------------------------------------------------------------


def test_refuses_a_test_name_that_is_a_real_database(project):
    project.edit(
        "settings.py",
        append='\nDATABASES["default"]["TEST"] = {**DATABASES["default"].get("TEST", {}), '
        '"NAME": DATABASES["default"]["NAME"]}\n',
    )
    result, _ = project.run()
    assert result.returncode != 0
    assert "which is DATABASES['default']['NAME'], a real database" in result.output, (
        result.describe()
    )


# SQLite file naming only: on a server the default test name cannot be a
# real database's file.
if BACKEND == "sqlite":

    def test_refuses_a_default_sqlite_test_file_that_is_a_real_database(project):
        real = project.path / f"test_{project.name}.sqlite3"
        with sqlite3.connect(real) as connection:
            connection.execute("CREATE TABLE precious (value TEXT)")
        project.edit("settings.py", append=f'\nDATABASES["other"]["NAME"] = {str(real)!r}\n')
        result, _ = project.run()
        assert result.returncode != 0
        assert "django plugin: the test database of alias 'default'" in result.output, (
            result.describe()
        )
        with sqlite3.connect(real) as connection:
            tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
            assert tables == [("precious",)]


def _create_foreign_database(project, name=None):
    """A database (or SQLite file) holding a table of someone else's, named
    ``name`` or as the project's test database."""
    name = name or project.test_database()
    if BACKEND == "sqlite":
        with sqlite3.connect(name) as connection:
            connection.execute("CREATE TABLE precious (value TEXT)")
        connection.close()
        return
    connection = _server_connection()
    try:
        quoted = f'"{name}"' if BACKEND == "postgresql" else f"`{name}`"
        connection.cursor().execute(f"CREATE DATABASE {quoted}")
    finally:
        connection.close()
    project.execute("CREATE TABLE precious (value TEXT)", name=name)


def test_refuses_an_existing_database_without_its_marker_until_reset(project):
    _create_foreign_database(project)
    result, _ = project.run()
    assert result.returncode != 0
    assert "already exists and has tables but no nose-speedup marker" in result.output, (
        result.describe()
    )
    assert "run once with REUSE_DB=reset" in result.output
    assert project.execute("SELECT count(*) FROM precious") == [(0,)]
    result, report = project.run(reuse="reset")
    assert report["items"] == PRISTINE_ITEMS, result.describe()


def test_an_empty_database_left_by_a_killed_creation_is_rebuilt(project):
    _create_foreign_database(project)
    project.execute("DROP TABLE precious")
    result, report = project.run()
    assert "it was empty" in succeeded(result).output, result.describe()
    assert report["items"] == PRISTINE_ITEMS


@pytest.mark.kept_build
def test_refuses_a_database_kept_for_another_project(project):
    project.execute(
        "UPDATE nose_speedup_reuse SET content = 'nose-speedup for other.settings' "
        "WHERE entry = 'owner'"
    )
    result, _ = project.run()
    assert result.returncode != 0
    assert (
        "was built by nose-speedup for other.settings, not for settings; it may hold data"
    ) in result.output, result.describe()


@pytest.mark.parametrize("step", ["migration", "post_migrate"])
def test_build_killed_midway_is_rebuilt_next_run(project, step):
    result, _ = project.run(NSP_KILL_AT=step)
    assert result.returncode == -signal.SIGKILL, result.describe()
    result, report = project.run()
    assert "the previous build did not finish" in succeeded(result).output, result.describe()
    assert report["items"] == PRISTINE_ITEMS


@pytest.mark.parametrize(
    "step, labels",
    [("fixture", [PROBE, "shop.tests.test_fixture"]), ("test", [PROBE, TRANSACTIONAL])],
)
@pytest.mark.kept_build
def test_run_killed_midway_is_restored_next_run(project, step, labels):
    result, _ = project.run(*labels, NSP_KILL_AT=step)
    assert result.returncode == -signal.SIGKILL, result.describe()
    result, report = project.run()
    # Rolled back fixtures leave at most an advanced sequence; a killed
    # TransactionTestCase its committed row.
    done = {"fixture": r"(reset 1 sequence a killed run advanced|nothing to restore)",
            "test": "restored 1 table a killed run changed and reset 1 sequence"}[step]
    assert re.search(
        rf"Reusing test database '[^']+' \({done}; built ", succeeded(result).output
    ), result.describe()
    assert report["items"] == PRISTINE_ITEMS


def _start_in_background(project, started, sleep=0, release=None):
    extra = {"NSP_SLEEP": str(sleep), "NSP_STARTED": str(started)}
    if release is not None:
        extra["NSP_RELEASE"] = str(release)
    env = scenario_env(project.path, project.env(**extra))
    process = subprocess.Popen(
        [sys.executable, "-m", "nose2", "-v", PROBE], cwd=project.path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while not started.exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.05)
    return process


def _finish(process):
    stdout, stderr = process.communicate(timeout=120)
    return RunResult(process.args, process.returncode, stdout, stderr)


def test_a_second_run_on_the_same_database_waits_for_the_first(project):
    # The first run holds the database until the second says it waits, however
    # slowly either starts: no time window to miss on a busy machine.
    release = project.path.parent / "release"
    first = _start_in_background(project, project.path.parent / "started", release=release)
    second_log = project.path.parent / "second.log"
    with open(second_log, "w") as log:
        second = subprocess.Popen(
            [sys.executable, "-m", "nose2", "-v", PROBE], cwd=project.path,
            env=scenario_env(project.path, project.env()), stdout=log, stderr=log, text=True,
        )
        deadline = time.monotonic() + 120
        while "Waiting for test database" not in second_log.read_text():
            assert second.poll() is None and time.monotonic() < deadline, second_log.read_text()
            time.sleep(0.05)
        release.touch()
        second.wait(timeout=120)
    output = second_log.read_text()
    assert second.returncode == 0, output
    assert "another run (pid" in output, output
    succeeded(_finish(first))


def test_a_second_run_gives_up_after_the_lock_timeout(project):
    project.edit("unittest.cfg", append="\n[reuse-db]\nlock-timeout = 1\n")
    first = _start_in_background(project, project.path.parent / "started", sleep=8)
    try:
        second, _ = project.run()
        assert second.returncode != 0
        assert "is still in use by another run" in second.output, second.describe()
        assert "[reuse-db] lock-timeout" in second.output
    finally:
        succeeded(_finish(first))


@pytest.mark.kept_build
def test_keyboard_interrupt_tears_down_cleanly_and_the_next_run_is_clean(project):
    # The probe uses every alias, so the tear-down touches 'other' too.
    result, _ = project.run(PROBE, "shop.tests.test_interrupt", NSP_INTERRUPT="1")
    assert result.returncode != 0
    assert "KeyboardInterrupt" in result.output, result.describe()
    assert "DatabaseOperationForbidden" not in result.output, result.describe()
    assert "Internal Error" not in result.output, result.describe()
    result, report = project.run()
    assert result.returncode == 0, result.describe()
    assert "Never committed" not in report["items"], result.describe()
