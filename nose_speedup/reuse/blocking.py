"""Another client holding a lock on a kept test database while a run checks,
restores or rebuilds it: say so, wait up to ``[reuse-db] lock-timeout``,
then stop the run clearly.

A session left idle in a transaction (a ``psql`` that ran ``LOCK TABLE`` or
an ``UPDATE``, a ``LOCK TABLES`` in a MariaDB client, an SQLite shell in
``BEGIN IMMEDIATE``) would otherwise make the start wait without a word,
forever on PostgreSQL and for a day on MariaDB, or make it fail with a
traceback when the server's own lock wait ends. Going around it is not an
option: copying the whole pristine database instead needs the same locks,
or, on PostgreSQL, ends the other client's session.

``Watch`` wraps the set-up of one database. Every statement on its
connection goes through ``execute``: a lock-wait error the server or SQLite
gives up with (SQLite's busy timeout, MariaDB's
``innodb_lock_wait_timeout``) is retried until the deadline. On PostgreSQL
and MariaDB/MySQL, which otherwise wait on, one thread for the process
looks, after one second and every second after, whether the set-up's
session is blocked by another (from a connection to the server, never to
the test database, which PostgreSQL could not copy then), and at the
deadline interrupts the waiting statement. The first wait seen is said on
stderr, once, naming the sessions holding the locks where the server can
tell; at the deadline ``LockedOut`` says what to do. A start that waits on
nothing costs that thread's start, once per run, and a wrapper call per
statement of the set-up.

Not watched: statements on other connections (PostgreSQL's ``DROP`` and
``CREATE DATABASE``, MariaDB's ``DROP DATABASE``), the serialization for
``serialized_rollback``, and the tear-down.
"""

import _thread
import queue
import sys
import threading
import time

from django.db import DatabaseError

POLL_SECONDS = 1.0
# Between retries of a statement that gave up waiting (OPTIONS "timeout": 0
# makes SQLite give up at once).
RETRY_SECONDS = 0.1


class LockedOut(Exception):
    """The database stayed locked by another client for the whole timeout."""


# One watching thread for the process, started by the first Watch that needs
# it (a warm start is timed: a thread per database, and Thread.start's
# handshake, would cost more), looking after one Watch at a time.
_to_watch = queue.SimpleQueue()
_started = threading.Lock()


def _watch_forever():
    while True:
        _to_watch.get()._poll()


def _look_after(watch):
    _to_watch.put(watch)
    if _started.acquire(blocking=False):  # never released: started once
        _thread.start_new_thread(_watch_forever, ())


class Watch:
    """See the module docstring; a context manager around one set-up."""

    def __init__(self, database, timeout):
        self.database = database
        self.backend = database.backend
        self.timeout = timeout
        self.since = None  # when the current wait was first seen
        self.announced = False
        self.holders = "which one cannot be told"
        self.expired = False
        self.done = threading.Event()
        self.watched = self.backend.watch_from_outside
        self.wrapper = None
        # The server's id of the set-up's session, read in its own thread
        # (MySQLdb refuses a connection busy in another), for the watcher.
        self.raw = None
        self.session = None

    def __enter__(self):
        if self.watched:
            _look_after(self)
        self.backend.on_busy = self.busy
        self.wrapper = self.database.connection.execute_wrapper(self.execute)
        self.wrapper.__enter__()
        return self

    def __exit__(self, kind, value, traceback):
        self.done.set()
        self.wrapper.__exit__(kind, value, traceback)
        self.backend.on_busy = None

    # Seen from the set-up's own thread.

    def execute(self, execute, sql, params, many, context):
        if self.watched and self.database.connection.connection is not self.raw:
            self.raw = self.database.connection.connection
            self.session = self.backend.session_id()
        while True:
            if self.expired:
                raise LockedOut(self.failure())
            try:
                result = execute(sql, params, many, context)
            except DatabaseError as error:
                if self.expired:  # interrupted at the deadline
                    raise LockedOut(self.failure()) from None
                if not self.backend.is_lock_wait(error):
                    raise
                self.busy()
                time.sleep(RETRY_SECONDS)
            else:
                self.since = None
                return result

    def busy(self):
        """The set-up's statement gave up waiting for a lock: say so the
        first time, and raise ``LockedOut`` at the deadline."""
        self.waiting(self.holders)
        if time.monotonic() - self.since >= self.timeout:
            self.expired = True
            raise LockedOut(self.failure())

    def waiting(self, holders):
        if self.since is None:
            self.since = time.monotonic()
        self.holders = holders
        if self.announced:
            return
        self.announced = True
        sys.stderr.write(
            f"Waiting for test database {self.database.name!r}: another client holds a lock "
            f"on it ({holders}); waiting up to {self.timeout:g} s ([reuse-db] lock-timeout)\n"
        )
        sys.stderr.flush()

    def failure(self):
        return (
            f"test database {self.database.name!r} was still locked by another client "
            f"({self.holders}) after {self.timeout:g} s. End that client's transaction "
            "(COMMIT or ROLLBACK) or its session, or raise [reuse-db] lock-timeout"
        )

    # Seen from the watching thread (PostgreSQL, MariaDB/MySQL), which looks
    # after this Watch until it is done.

    def _poll(self):
        side = None
        try:
            while not self.done.wait(POLL_SECONDS):
                session = self.session
                if session is None:
                    continue
                if side is None:
                    side = self.backend.side_connection()
                holders = self.backend.lock_holders(side, session)
                if holders is None:
                    continue
                self.waiting(holders)
                late = time.monotonic() - self.since >= self.timeout
                if late and not self.expired and not self.done.is_set():
                    self.expired = True
                    self.backend.interrupt(side, session)
        except Exception as error:  # watching is best effort; the set-up goes on
            sys.stderr.write(f"reuse-db: watching for locks failed: {error}\n")
        finally:
            if side is not None:
                side.close()
