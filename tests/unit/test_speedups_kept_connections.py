"""``nose_speedup.speedups.kept_connections``: the keeper leaves a
connection open after a ``TestCase`` class only when the class left nothing
on it. One subprocess on the selected database installs the keeper, runs a
class's ``setUpClass``/``tearDownClass`` and asks ``reason_to_close`` after
each thing a class might leave behind. PostgreSQL connections can be kept;
SQLite and MariaDB ones are closed as Django does."""

import pytest

from tests.support.databases import selected_backend
from tests.support.unit_database import run_on_database

CHECKS = """
from django.db import transaction
from django.test import TestCase
from nose_speedup.speedups.kept_connections import ConnectionKeeper

result = r = {}
original = TestCase.__dict__["tearDownClass"]
connection.ensure_connection()  # opened before the keeper: never kept
keeper = ConnectionKeeper()
keeper.install()
r["installed"] = TestCase.__dict__["tearDownClass"] is not original
r["before the run"] = keeper.reason_to_close(connection)
connection.close()
connection.ensure_connection()
r["fresh"] = keeper.reason_to_close(connection)


class UnitClass(TestCase):
    databases = {"default"}

    def test_nothing(self):
        pass


driver = connection.connection
UnitClass.setUpClass()
UnitClass.tearDownClass()
r["kept after a clean class"] = connection.connection is driver and driver is not None


def after(statement, undo=None):
    with connection.cursor() as cursor:
        cursor.execute(statement)
    reason = keeper.reason_to_close(connection)
    if undo:
        with connection.cursor() as cursor:
            cursor.execute(undo)
    return reason


if connection.vendor == "postgresql":
    r["SET"] = after("SET statement_timeout = 12345", "RESET statement_timeout")
    r["after RESET"] = keeper.reason_to_close(connection)
    r["advisory lock"] = after("SELECT pg_advisory_lock(4242)", "SELECT pg_advisory_unlock(4242)")
    r["temporary table"] = after("CREATE TEMPORARY TABLE unit_temp (id int)",
                                 "DROP TABLE unit_temp")
    r["prepared statement"] = after("PREPARE unit_plan AS SELECT 1", "DEALLOCATE unit_plan")
    with transaction.atomic():
        r["in an atomic block"] = keeper.reason_to_close(connection)
    r["after the atomic block"] = keeper.reason_to_close(connection)
    connection.settings_dict["CONN_MAX_AGE"] = 99
    r["settings_dict"] = keeper.reason_to_close(connection)

# PostgreSQL: the settings_dict changed above; other vendors: any class.
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
UnitClass.setUpClass()
UnitClass.tearDownClass()
r["closed after the second class"] = connection.connection is None
r["summary"] = keeper.summary()
keeper.uninstall()
r["uninstalled"] = TestCase.__dict__["tearDownClass"] is original
"""


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    return run_on_database(CHECKS, "kept", tmp_path_factory.mktemp("kept"))


def test_install_wraps_djangos_tear_down_class_and_uninstall_puts_it_back(seen):
    assert seen["installed"] and seen["uninstalled"]


if selected_backend() == "postgresql":

    def test_a_connection_opened_before_the_run_is_closed(seen):
        assert seen["before the run"] == "opened before the run"

    def test_a_connection_as_django_set_it_up_is_kept(seen):
        assert seen["fresh"] is None and seen["kept after a clean class"]

    def test_a_session_setting_a_class_left_closes_the_connection(seen):
        reason = "session state changed (SET, lock, cursor, temporary table...)"
        assert seen["SET"] == reason and seen["after RESET"] is None

    @pytest.mark.parametrize("left", ["advisory lock", "temporary table", "prepared statement"])
    def test_server_side_session_state_closes_the_connection(seen, left):
        assert seen[left] == "session state changed (SET, lock, cursor, temporary table...)"

    def test_an_open_atomic_block_closes_the_connection(seen):
        assert seen["in an atomic block"] == "transaction state left open"
        assert seen["after the atomic block"] is None

    def test_a_changed_settings_dict_closes_the_connection(seen):
        assert seen["settings_dict"] == "settings_dict changed"

    def test_the_summary_counts_kept_and_closed_connections_with_reasons(seen):
        # Opened once after install: kept after the first class, closed after the second.
        assert seen["closed after the second class"]
        assert seen["summary"] == (
            "keep-connections: 1 connection(s) opened; kept open after a class 1 time(s), "
            "closed 1 (1x settings_dict changed)"
        )

else:

    def test_connections_of_other_vendors_are_closed_as_django_does(seen):
        vendor = "sqlite" if selected_backend() == "sqlite" else "mysql"
        reason = f"{vendor}: closed as Django does"
        assert seen["before the run"] == seen["fresh"] == reason
        assert not seen["kept after a clean class"]
        assert seen["summary"] == (
            f"keep-connections: 2 connection(s) opened; kept open after a class 0 time(s), "
            f"closed 2 (2x {reason})"
        )
