"""Traps a hostile user sets for REUSE_DB=1's warm restore: the run killed
or interrupted in the middle of a restore, another client holding a lock on
a table being restored or editing the database and its pristine copy
between runs, a TestCase that commits behind Django's back. Whatever was
done, the next run ends with the database a fresh build has, and says why
it restored or rebuilt. Each test runs nose2 in a subprocess against a copy
of tests/scenarios/reuse_db/shop (whose kill.py sends the signal), on the
backend NOSE_SPEEDUP_TEST_DB selects."""

import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.support.nose2run import scenario_env
from tests.functional.reuse.test_reuse_exactness import AUDIT_MIGRATION
from tests.functional.reuse.test_reuse_db import (  # noqa: F401 (project is a fixture)
    BACKEND,
    _server_connection,
    PRISTINE_ITEMS,
    PROBE,
    TRANSACTIONAL,
    project,
    succeeded,
)

# What a fresh build holds, whichever build it is (ids, names, contents).
SAME_AS_FRESH = ("items", "content_type_rows", "permission_rows", "first_pk")
# The statements of a restore, on every backend: copying a table's pristine
# rows back, and setting a sequence back.
RESTORING_ROWS = r"^INSERT INTO .* SELECT .* FROM \S*pristine\S*\."
RESETTING_SEQUENCES = r"setval\(|AUTO_INCREMENT = \d|UPDATE sqlite_sequence"
COPYING_THE_WHOLE_DATABASE = r"^CREATE DATABASE .* TEMPLATE "


def same_as_fresh(report, cold):
    assert report is not None
    for key in SAME_AS_FRESH:
        assert report[key] == cold[key], key
    assert report["items"] == PRISTINE_ITEMS


# 1. A restore killed or interrupted half-way -----------------------------------------------


@pytest.mark.parametrize("number", ["SIGKILL", "SIGINT"])
@pytest.mark.parametrize("statement", [RESTORING_ROWS, RESETTING_SEQUENCES])
@pytest.mark.kept_build
def test_a_restore_killed_or_interrupted_half_way_is_finished_by_the_next_run(
    project, statement, number
):
    cold = project.cold_report
    succeeded(project.run(PROBE, TRANSACTIONAL)[0])
    result, _ = project.run(NSP_SIGNAL_ON_SQL=statement, NSP_SIGNAL=number)
    assert result.returncode != 0, result.describe()
    if number == "SIGKILL":
        assert result.returncode == -signal.SIGKILL, result.describe()
    else:
        assert "KeyboardInterrupt" in result.output, result.describe()
    result, report = project.run()
    assert re.search(
        r"^Reusing test database '[^']+' \((restored \d tables? a TransactionTestCase changed "
        r"and )?reset \d sequences?( a TransactionTestCase advanced)?; built ",
        succeeded(result).output, re.M,
    ), result.describe()
    same_as_fresh(report, cold)
    result, _ = project.run()
    assert re.search(r"^Reusing test database '[^']+' \(built ", succeeded(result).output, re.M)


# 2. Another client holding a lock on a table the start reads or restores -------------------
#
# The start waits, saying who holds the lock where the server can tell, up to
# [reuse-db] lock-timeout, then stops naming the fix; it neither hangs without
# a word nor goes around the lock (a whole copy needs the same locks, and on
# PostgreSQL would end the other client's session).

# (statements taking the lock, statement releasing it), per backend: a write
# transaction left open in an SQLite shell, psql's LOCK TABLE, MariaDB's LOCK
# TABLES.
HOLD = {
    "sqlite": (["BEGIN IMMEDIATE", "INSERT INTO auth_group (name) VALUES ('held')"], "COMMIT"),
    "postgresql": (["BEGIN", "LOCK TABLE shop_item IN ACCESS EXCLUSIVE MODE"], "COMMIT"),
    "mariadb": (["LOCK TABLES shop_item WRITE"], "UNLOCK TABLES"),
}


def _hold_a_lock(project):
    """Another client's open connection, holding a lock on the test database."""
    name = project.test_database()
    if BACKEND == "sqlite":
        connection = sqlite3.connect(name, isolation_level=None)
    else:
        connection = _server_connection(name)
    cursor = connection.cursor()
    for statement in HOLD[BACKEND][0]:
        cursor.execute(statement)
    return connection


def _release(connection):
    connection.cursor().execute(HOLD[BACKEND][1])
    connection.close()


@pytest.mark.kept_build
def test_a_lock_another_client_holds_is_waited_for_saying_so(project):
    cold = project.cold_report
    succeeded(project.run(PROBE, TRANSACTIONAL)[0])  # the next start must write
    holder = _hold_a_lock(project)
    log_path = project.path.parent / "waiting.log"
    try:
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "nose2", "-v", PROBE], cwd=project.path,
                env=scenario_env(project.path, project.env()), stdout=log, stderr=log,
                text=True,
            )
            deadline = time.monotonic() + 120
            while "Waiting for test database" not in log_path.read_text():
                assert process.poll() is None and time.monotonic() < deadline, (
                    log_path.read_text()
                )
                time.sleep(0.1)
    finally:
        _release(holder)
    process.wait(timeout=120)
    output = log_path.read_text()
    assert process.returncode == 0, output
    assert "another client holds a lock on it (" in output, output
    if BACKEND == "postgresql":  # the server names the session holding it
        assert "idle in transaction: LOCK TABLE shop_item" in output, output
    assert "up to 300 s ([reuse-db] lock-timeout)" in output, output
    result, report = project.run()  # what the waiting run left
    succeeded(result)
    same_as_fresh(report, cold)


def test_a_lock_held_past_the_lock_timeout_stops_the_start_naming_the_fix(project):
    project.edit("unittest.cfg", append="\n[reuse-db]\nlock-timeout = 1\n")
    _, cold = project.run()
    succeeded(project.run(PROBE, TRANSACTIONAL)[0])
    holder = _hold_a_lock(project)
    try:
        result, _ = project.run()
    finally:
        _release(holder)
    assert result.returncode != 0, result.describe()
    assert "reuse-db plugin: test database " in result.output, result.describe()
    assert "was still locked by another client" in result.output, result.describe()
    assert "End that client's transaction (COMMIT or ROLLBACK) or its session, or raise " \
        "[reuse-db] lock-timeout" in result.output, result.describe()
    assert "Traceback" not in result.output, result.describe()
    result, report = project.run()
    succeeded(result)
    same_as_fresh(report, cold)


# PostgreSQL only: defined only on PostgreSQL runs, never a skip elsewhere.
if BACKEND == "postgresql":

    @pytest.mark.kept_build
    def test_a_whole_copy_killed_half_way_is_rebuilt_next_run(project):
        cold = project.cold_report
        succeeded(project.run(PROBE, "shop.tests.test_ddl")[0])
        # Killed after the test database was dropped, before its copy was made.
        result, _ = project.run(NSP_SIGNAL_ON_SQL=COPYING_THE_WHOLE_DATABASE)
        assert result.returncode == -signal.SIGKILL, result.describe()
        result, report = project.run()
        assert f"Creating test database {project.test_database()!r}: it does not exist yet" in (
            succeeded(result).output
        ), result.describe()
        same_as_fresh(report, cold)
        assert "extra" not in report["group_columns"]


# 3. Commits behind Django's back, and changes that keep the number of rows --------------------


COMMITS = "shop.tests.test_hostile_commits"


def _rows(project):
    return project.execute("SELECT id, name FROM shop_item ORDER BY id")


@pytest.mark.parametrize("test, line", [
    # MariaDB commits before DDL, the TestCase's row with it; elsewhere DDL
    # is rolled back with the rest.
    ("ImplicitCommitTests", {
        "mariadb": "Restoring test database {name!r} from its pristine copy: the previous run "
                   "left changes behind (the structure of its tables changed); only a full "
                   "copy is exact",
    }),
    ("SecondConnectionTests", {
        "any": "Reusing test database {name!r} (restored 1 table the previous run changed "
               "and reset 1 sequence; built ",
    }),
    # The same number of rows, the same names, swapped between ids: only the
    # rows' checksum sees it.
    ("SwappedRowsTests", {
        "sqlite": "Reusing test database {name!r} (restored 1 table the previous run changed; "
                  "built ",
        "any": "Reusing test database {name!r} (restored 1 table the previous run changed and "
               "reset 1 sequence; built ",  # the probe's rolled-back row advanced it
    }),
])
@pytest.mark.kept_build
def test_what_a_test_committed_behind_djangos_back_is_undone_next_run(project, test, line):
    cold = project.cold_report
    fresh_rows = _rows(project)
    result, _ = project.run(PROBE, f"{COMMITS}.{test}")
    succeeded(result)
    expected = line.get(BACKEND, line.get("any"))
    if expected is not None:
        assert "the next run restores its pristine copy" in result.output, result.describe()
    result, report = project.run()
    succeeded(result)
    if expected is not None:
        expected = expected.format(name=project.test_database())
        assert expected in result.output, result.describe()
    same_as_fresh(report, cold)
    assert report["tables"] == cold["tables"]  # hostile_made is gone
    assert _rows(project) == fresh_rows


# 4. Another client between runs, while the pristine copy is edited by hand too -----------------


def _pristine_statement(project, statement):
    """Run ``statement`` (on ``{}shop_item``) where the pristine rows a restore
    of single tables copies from are kept."""
    if BACKEND == "postgresql":
        project.execute(statement.format("nose_speedup_pristine."))
    else:
        project.execute(statement.format(""), name=project.pristine_database())


@pytest.mark.parametrize("edit", ["rows changed", "table dropped"])
@pytest.mark.kept_build
def test_a_client_insert_and_a_pristine_copy_edited_by_hand_end_in_a_fresh_database(
    project, edit
):
    cold = project.cold_report
    project.execute("INSERT INTO shop_item (name) VALUES ('inserted by another client')")
    if edit == "rows changed":
        _pristine_statement(project, "UPDATE {}shop_item SET name = 'tampered'")
    else:
        _pristine_statement(project, "DROP TABLE {}shop_item")
    result, report = project.run()
    output = succeeded(result).output
    name = project.test_database()
    if BACKEND == "postgresql":  # the template database is whole: copied
        assert (
            f"Restoring test database {name!r} from its pristine copy: it changed since the "
            "last run (changed tables: shop_item); restoring the changed tables "
        ) in output, result.describe()
    else:  # the pristine copy is what was edited: rebuilt, saying why
        why = {"rows changed": "is not what was built (changed tables: shop_item)",
               "table dropped": "lacks tables: shop_item"}[edit]
        assert (
            f"Rebuilding test database {name!r}: it changed since the last run (changed "
            "tables: shop_item), and its pristine copy "
        ) in output, result.describe()
        assert why in output, result.describe()
    same_as_fresh(report, cold)
    result, report = project.run()
    assert re.search(r"^Reusing test database '[^']+' \(built ", succeeded(result).output, re.M)
    same_as_fresh(report, cold)


# 5. Sequences another client changed between runs -----------------------------------------

SEQUENCE_CHANGES = {
    # Not the value, the definition: only the structure digest sees it, and
    # only the whole copy puts it back.
    "postgresql": ("ALTER SEQUENCE shop_item_id_seq INCREMENT BY 10",
                   "Restoring test database {name!r} from its pristine copy: it changed since "
                   "the last run (the structure of its tables changed); only a full copy is "
                   "exact"),
    "mariadb": ("ALTER TABLE shop_item AUTO_INCREMENT = 1000",
                "Reusing test database {name!r} (reset 1 sequence another client advanced; "),
    # Rows deleted from sqlite_sequence are put back, not only updated.
    "sqlite": ("DELETE FROM sqlite_sequence",
               "Reusing test database {name!r} (reset 6 sequences another client advanced; "),
}


@pytest.mark.kept_build
def test_a_sequence_another_client_changed_gives_the_next_primary_key_of_a_fresh_build(
    project
):
    cold = project.cold_report
    statement, line = SEQUENCE_CHANGES[BACKEND]
    project.execute(statement)
    result, report = project.run()
    assert line.format(name=project.test_database()) in succeeded(result).output, (
        result.describe()
    )
    same_as_fresh(report, cold)  # first_pk: the probe's new row
    result, report = project.run()
    same_as_fresh(report, cold)


@pytest.mark.parametrize("number", ["SIGKILL", "SIGINT"])
def test_a_restore_stopped_while_a_tables_triggers_are_dropped_ends_with_the_trigger(
    project, number
):
    project.edit("shop/migrations/0003_audit.py", AUDIT_MIGRATION)
    _, cold = project.run()
    succeeded(project.run(PROBE, TRANSACTIONAL)[0])
    # SQLite and MariaDB drop shop_item's trigger for the copy: stopped there.
    result, _ = project.run(NSP_SIGNAL_ON_SQL=RESTORING_ROWS, NSP_SIGNAL=number)
    assert result.returncode != 0, result.describe()
    result, report = project.run()
    succeeded(result)
    if BACKEND == "mariadb" and number == "SIGKILL":  # the trigger was gone: rebuilt
        assert (
            f"Rebuilding test database {project.test_database()!r}: the previous run left "
            "changes behind (a TransactionTestCase ran: shop.tests.test_transactional."
            "CommittingTests), and a changed structure cannot be copied back exactly on "
            "MySQL/MariaDB"
        ) in result.output, result.describe()
    else:  # in a transaction (SQLite), not dropped (PostgreSQL), or re-created (finally)
        assert "(restored 4 tables a TransactionTestCase changed and reset 3 sequences; " in (
            result.output
        ), result.describe()
    same_as_fresh(report, cold)
    assert project.execute("SELECT name FROM shop_audit") == [("Made by post_migrate",)]
    project.execute("INSERT INTO shop_item (name) VALUES ('fires the trigger')")
    assert len(project.execute("SELECT name FROM shop_audit")) == 2, "the trigger is there"


# PostgreSQL only: defined only on PostgreSQL runs, never a skip elsewhere.
if BACKEND == "postgresql":

    @pytest.mark.kept_build
    def test_a_client_connected_to_the_pristine_copy_does_not_stop_a_whole_copy(project):
        cold = project.cold_report
        succeeded(project.run(PROBE, "shop.tests.test_ddl")[0])
        client = _server_connection(project.pristine_database())  # e.g. a psql left open
        try:
            result, report = project.run()
        finally:
            client.close()
        assert (
            f"Rebuilding test database {project.test_database()!r}: the previous run left changes "
            "behind (the structure of its tables changed), and copying its pristine copy failed "
        ) in succeeded(result).output, result.describe()
        same_as_fresh(report, cold)


def test_the_fast_flush_leaves_what_the_next_start_restores_as_after_djangos_flush(project):
    """The fast flush skips tables that are empty: the next start restores
    the same tables as after Django's flush, to the same fresh state."""
    _, cold = project.run()
    fast = ["--plugin", "nose_speedup.plugins.fast_flush", "--fast-flush"]
    result, _ = project.run(PROBE, TRANSACTIONAL, "shop.tests.test_available_apps", args=fast)
    assert "fast-flush: 2 TransactionTestCase flushes" in succeeded(result).output, (
        result.describe()
    )
    result, report = project.run()
    assert "(restored 3 tables a TransactionTestCase changed and reset 3 sequences; " in (
        succeeded(result).output
    ), result.describe()
    same_as_fresh(report, cold)
