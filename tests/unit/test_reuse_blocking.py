"""``nose_speedup.reuse.blocking``: a set-up waiting for a lock another
client holds says so once, retries statements the server gave up on, and
stops with ``LockedOut`` naming the fix at ``[reuse-db] lock-timeout``; on
servers that wait without end the watching thread sees the blocked session
and interrupts it at the deadline.

A fake backend and connection stand for the database here (what each
vendor's ``lock_holders``/``is_lock_wait`` answer is the scenarios' job,
``tests/functional/reuse/test_reuse_hostile.py``); Django's
``DatabaseError`` is the only Django name used, and no setting is read."""

import contextlib
import threading
import types

import pytest
from django.db import DatabaseError

from nose_speedup.reuse import blocking

pytestmark = pytest.mark.backend_independent

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


def test_a_statement_that_gave_up_waiting_is_retried_saying_so_once(capsys):
    watch, connection = watch_of(FakeBackend(), timeout=60)
    execute, calls = failing(3)
    with watch:
        assert connection.run(execute) == "done"
    assert len(calls) == 4
    assert capsys.readouterr().err == waiting_line("which one cannot be told", 60)


def test_another_database_error_is_raised_at_once_without_a_word(capsys):
    watch, connection = watch_of(FakeBackend(), timeout=60)
    execute, calls = failing(1, error='relation "unit_item" does not exist')
    with watch, pytest.raises(DatabaseError, match="does not exist"):
        connection.run(execute)
    assert len(calls) == 1 and capsys.readouterr().err == ""


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


def test_waits_outside_djangos_cursors_report_through_on_busy_while_watched():
    backend = FakeBackend()
    watch, _connection = watch_of(backend, timeout=0)
    with watch:
        assert backend.on_busy == watch.busy
        with pytest.raises(blocking.LockedOut):
            backend.on_busy()  # SQLite's backup found the file locked
    assert backend.on_busy is None


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


def test_a_set_up_that_waits_on_nothing_is_never_interrupted(capsys):
    backend = FakeBackend(watch_from_outside=True)
    backend.lock_holders = lambda side, session: None
    watch, connection = watch_of(backend, timeout=0)
    execute, calls = failing(0)
    with watch:
        assert connection.run(execute) == "done"
        threading.Event().wait(0.05)  # a few polls
    assert not backend.interrupted.is_set() and capsys.readouterr().err == ""
