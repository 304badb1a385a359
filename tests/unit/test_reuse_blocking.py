"""``nose_speedup.reuse.blocking``: a set-up waiting for a lock another
client holds says so once, retries statements the server gave up on, and
stops with ``LockedOut`` naming the fix at ``[reuse-db] lock-timeout``; on
servers that wait without end the watching thread sees the blocked session
and interrupts it at the deadline.

A fake backend and connection stand for the database in most tests here
(Django's ``DatabaseError`` is the only Django name they use, and no setting
is read). The last ones hold a real lock on the database
``NOSE_SPEEDUP_TEST_DB`` selects from a second connection, in one
subprocess: the vendor's own ``is_lock_wait``, ``lock_holders`` and
``interrupt`` end the wait at the timeout."""

import contextlib
import threading
import types

import pytest
from django.db import DatabaseError

from nose_speedup.reuse import blocking
from tests.support.databases import selected_backend
from tests.support.unit_database import run_on_database

independent = pytest.mark.backend_independent

HOLDERS = "PostgreSQL session 7 (psql, idle in transaction: LOCK TABLE unit_item)"


class FakeBackend:
    def __init__(self, watch_from_outside=False):
        self.watch_from_outside = watch_from_outside
        self.on_busy = None
        self.interrupted = threading.Event()
        self.interrupted_session = None
        self.sides_closed = 0

    def is_lock_wait(self, error):
        return "database is locked" in str(error)

    def session_id(self):
        return 42

    def side_connection(self):
        return types.SimpleNamespace(close=self.side_closed)

    def side_closed(self):
        self.sides_closed += 1

    def lock_holders(self, side, session):
        return HOLDERS if session == 42 else None

    def interrupt(self, side, session):
        self.interrupted_session = session
        self.interrupted.set()


class FakeConnection:
    """Records the wrapper ``Watch`` installs; ``run`` sends a statement
    through it as Django's cursor would."""

    def __init__(self):
        self.connection = object()  # the driver's connection
        self.wrapper = None

    def execute_wrapper(self, wrapper):
        self.wrapper = wrapper
        return contextlib.nullcontext()

    def run(self, execute, sql="UPDATE unit_item SET name = 'x'"):
        return self.wrapper(execute, sql, None, False, {})


def watch_of(backend, timeout):
    database = types.SimpleNamespace(backend=backend, connection=FakeConnection(),
                                     name="test_unit_shop")
    return blocking.Watch(database, timeout), database.connection


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(blocking, "RETRY_SECONDS", 0)
    monkeypatch.setattr(blocking, "POLL_SECONDS", 0.01)


def failing(times, error="database is locked"):
    """A statement that fails ``times`` times with ``error``, then works."""
    calls = []

    def execute(sql, params, many, context):
        calls.append(sql)
        if len(calls) <= times:
            raise DatabaseError(error)
        return "done"

    return execute, calls


def waiting_line(holders, timeout):
    return (
        f"Waiting for test database 'test_unit_shop': another client holds a lock on it "
        f"({holders}); waiting up to {timeout} s ([reuse-db] lock-timeout)\n"
    )


def failure(holders, timeout):
    return (
        f"test database 'test_unit_shop' was still locked by another client ({holders}) "
        f"after {timeout} s. End that client's transaction (COMMIT or ROLLBACK) or its "
        "session, or raise [reuse-db] lock-timeout"
    )


@independent
def test_a_statement_that_gave_up_waiting_is_retried_saying_so_once(capsys):
    watch, connection = watch_of(FakeBackend(), timeout=60)
    execute, calls = failing(3)
    with watch:
        assert connection.run(execute) == "done"
    assert len(calls) == 4
    assert capsys.readouterr().err == waiting_line("which one cannot be told", 60)


@independent
def test_another_database_error_is_raised_at_once_without_a_word(capsys):
    watch, connection = watch_of(FakeBackend(), timeout=60)
    execute, calls = failing(1, error='relation "unit_item" does not exist')
    with watch, pytest.raises(DatabaseError, match="does not exist"):
        connection.run(execute)
    assert len(calls) == 1 and capsys.readouterr().err == ""


@independent
def test_a_lock_held_past_the_timeout_stops_the_set_up_naming_the_fix(capsys):
    watch, connection = watch_of(FakeBackend(), timeout=0)
    execute, calls = failing(1000)
    with watch:
        with pytest.raises(blocking.LockedOut) as raised:
            connection.run(execute)
        assert str(raised.value) == failure("which one cannot be told", 0)
        # Later statements of the set-up are refused without running.
        with pytest.raises(blocking.LockedOut):
            connection.run(execute)
    assert len(calls) == 1
    assert capsys.readouterr().err == waiting_line("which one cannot be told", 0)


@independent
def test_waits_outside_djangos_cursors_report_through_on_busy_while_watched():
    backend = FakeBackend()
    watch, _connection = watch_of(backend, timeout=0)
    with watch:
        assert backend.on_busy == watch.busy
        with pytest.raises(blocking.LockedOut):
            backend.on_busy()  # SQLite's backup found the file locked
    assert backend.on_busy is None


@independent
def test_the_watching_thread_names_the_holder_and_interrupts_at_the_deadline(capsys):
    backend = FakeBackend(watch_from_outside=True)
    watch, connection = watch_of(backend, timeout=0.05)

    def blocked(sql, params, many, context):
        # The server waits without end: only the interruption ends it.
        if backend.interrupted.wait(30):
            raise DatabaseError("canceling statement due to user request")
        return "never interrupted"

    with watch, pytest.raises(blocking.LockedOut) as raised:
        connection.run(blocked)
    assert str(raised.value) == failure(HOLDERS, 0.05)
    assert backend.interrupted_session == 42
    assert capsys.readouterr().err == waiting_line(HOLDERS, 0.05)
    watch.done.wait()
    for _ in range(300):  # the thread closes its side connection as it leaves
        if backend.sides_closed:
            break
        threading.Event().wait(0.01)
    assert backend.sides_closed == 1


@independent
def test_a_set_up_that_waits_on_nothing_is_never_interrupted(capsys):
    backend = FakeBackend(watch_from_outside=True)
    backend.lock_holders = lambda side, session: None
    watch, connection = watch_of(backend, timeout=0)
    execute, calls = failing(0)
    with watch:
        assert connection.run(execute) == "done"
        threading.Event().wait(0.05)  # a few polls
    assert not backend.interrupted.is_set() and capsys.readouterr().err == ""


REAL_LOCK = """
import io, sqlite3, sys
from nose_speedup import vendors
from nose_speedup.reuse import blocking

result = r = {}
Item = make_model("unit_item", name=models.CharField(max_length=20))
blocking.POLL_SECONDS = 0.05
name = connection.settings_dict["NAME"]
database = types.SimpleNamespace(backend=vendors.for_connection(connection).reuse_backend(),
                                 connection=connection, name=name)
if connection.vendor == "sqlite":
    connection.close()
    connection.settings_dict["OPTIONS"]["timeout"] = 0.05  # the busy timeout
    holder = sqlite3.connect(name)
    holder.execute("BEGIN IMMEDIATE")
else:
    holder = connection.copy()
    with holder.cursor() as cursor:
        if connection.vendor == "postgresql":
            holder.set_autocommit(False)
            cursor.execute("LOCK TABLE unit_item IN ACCESS EXCLUSIVE MODE")
        else:
            cursor.execute("LOCK TABLES unit_item WRITE")
sys.stderr = said = io.StringIO()
try:
    with blocking.Watch(database, 0.3):
        Item.objects.create(name="blocked")
except blocking.LockedOut as error:
    r["locked out"] = str(error)
sys.stderr = sys.__stderr__
r["said"] = said.getvalue()
if connection.vendor == "sqlite":
    holder.rollback()
elif connection.vendor == "postgresql":
    holder.rollback()
else:
    with holder.cursor() as cursor:
        cursor.execute("UNLOCK TABLES")
holder.close()
with blocking.Watch(database, 0.3):
    Item.objects.create(name="free")
r["rows after"] = list(Item.objects.values_list("name", flat=True))
r["name"] = name
"""


@pytest.fixture(scope="module")
def real_lock(tmp_path_factory):
    code = "import types\n" + REAL_LOCK
    return run_on_database(code, "blocking", tmp_path_factory.mktemp("blocking"))


HOLDER_WORDS = {
    "sqlite": "which one cannot be told",
    "postgresql": "PostgreSQL session ",
    "mariadb": "MariaDB/MySQL sessions on it: ",
}


def test_a_lock_another_client_holds_is_waited_for_saying_so_once_naming_it(real_lock):
    said = real_lock["said"].splitlines()
    assert len(said) == 1, said
    assert said[0].startswith(
        f"Waiting for test database {real_lock['name']!r}: another client holds a lock on it ("
        + HOLDER_WORDS[selected_backend()]
    )
    assert said[0].endswith("; waiting up to 0.3 s ([reuse-db] lock-timeout)")


def test_a_real_lock_held_past_the_timeout_ends_in_the_timeout_line(real_lock):
    message = real_lock["locked out"]
    assert message.startswith(
        f"test database {real_lock['name']!r} was still locked by another client ("
        + HOLDER_WORDS[selected_backend()]
    )
    assert message.endswith(
        "after 0.3 s. End that client's transaction (COMMIT or ROLLBACK) or its session, "
        "or raise [reuse-db] lock-timeout"
    )


def test_nothing_of_the_interrupted_statement_stays_and_the_next_set_up_runs(real_lock):
    assert real_lock["rows after"] == ["free"]
