"""One copy of every test database a run uses, per worker process.

The main process makes the copies (all copies of one database at once, in
threads) while the workers start up, from the test
databases the django (or reuse-db) plugin set up, with Django's own
``clone_test_db`` where it works the same under every start method:
PostgreSQL ``CREATE DATABASE ... TEMPLATE``, MySQL/MariaDB a dump piped into
a new database, a SQLite test database file copied beside it. The copies
have names no other runner uses (``test_shop_nsp1``: Django's own are
``test_shop_1``, which ``--keepdb --parallel`` leaves behind), and each is
marked as ours on the database itself (PostgreSQL's and MariaDB's database
comment, SQLite's ``application_id``): a database at a copy's name without
that mark is never dropped, the run stops naming it. SQLite's
in-memory test database is written once to a file in a temporary directory,
which each worker loads into an in-memory database of its own (as Django's
spawn-mode workers do). Aliases that share a test database (``TEST
["MIRROR"]`` or the same ``NAME``) share its copy.

Copies are destroyed at the end of the run, whatever stopped it (after a
run that finished, in a thread, while the run's report and the tear-down of
the test databases go on: a ``DROP DATABASE`` can take seconds on a busy
server). Under
``REUSE_DB`` they are made again from the kept database on every run, so
they can never be stale (Django's ``--keepdb --parallel`` reuses stale
clones: ticket #26822); a run that was killed leaves copies that the next
run's cloning replaces. A backend that cannot clone stops the run with one
line saying to run without ``--django-parallel``.
"""

import os
import shutil
import tempfile
import threading
import time

from nose_speedup.errors import ConfigurationError
from nose_speedup.timing import recorder as timing

SOURCE = "parallel plugin"


def database_key(settings_dict):
    return tuple(str(settings_dict.get(key) or "") for key in ("ENGINE", "HOST", "PORT", "NAME"))


class WorkerDatabases:
    """The copies of the test databases of ``aliases`` for ``processes`` workers."""

    def __init__(self, aliases, processes, recorder=None):
        from django.db import connections

        self.processes = processes
        # Where the copies' seconds go (the timing plugin's recorder, if any).
        self.recorder = recorder or timing.Recorder()
        self.groups = {}  # database key -> the aliases using that database
        for alias in aliases:
            key = database_key(connections[alias].settings_dict)
            self.groups.setdefault(key, []).append(alias)
        self.made = []  # (connection, slot, name) of the clones made
        self.directory = None
        self.memory_files = {}  # first alias -> file an in-memory database was saved to
        self.dropping = None  # the thread of destroy_in_background
        self.drop_errors = []

    def create(self):
        """Make every copy; the copies of one database are made at once, in
        threads (each with its own connection), where the server works on
        them side by side."""
        from django.db import connections

        connections.close_all()  # a template must have no other session
        try:
            for aliases in self.groups.values():
                connection = connections[aliases[0]]
                if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(
                    connection.settings_dict["NAME"]
                ):
                    self.save_memory_database(connection)
                    continue
                started = timing.now()
                slots = list(range(1, self.processes + 1))
                outcomes = in_threads(self.clone, [aliases[0]] * len(slots), slots)
                # Each copy's name is fixed now, in this thread: a drop in the
                # background must not derive it from NAME, which the run's
                # tear-down turns back into the real database's name.
                self.made.extend(
                    (connection, slot, clone_name(connection, slot))
                    for slot, error in zip(slots, outcomes) if error is None
                )
                for error in outcomes:
                    if isinstance(error, NotImplementedError):
                        raise ConfigurationError(
                            SOURCE,
                            f"the {connection.vendor} backend of alias {connection.alias!r} "
                            "cannot copy a test database for each worker; run without "
                            "--django-parallel (or [django] parallel)",
                        ) from None
                    if error is not None:
                        raise error
                self.recorder.record_phase(connection.alias, timing.CLONE, started)
        finally:
            connections.close_all()

    @staticmethod
    def clone(alias, slot):
        from django.db import connections

        from nose_speedup import vendors
        from nose_speedup.reuse import ownership

        connection = connections[alias]  # Django gives each thread its own
        name = clone_name(connection, slot)
        try:
            ownership.claim_clone(connection, name, SOURCE)
            connection.creation.clone_test_db(suffix=clone_suffix(slot), verbosity=0)
            if vendors.supported(connection):
                vendors.for_connection(connection).reuse_backend().mark_clone(
                    name, ownership.clone_mark()
                )
        finally:
            connections[alias].close()

    def save_memory_database(self, connection):
        import sqlite3

        if self.directory is None:
            self.directory = tempfile.mkdtemp(prefix="nose-speedup-parallel-")
        path = os.path.join(self.directory, f"{connection.alias}.sqlite3")
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        self.memory_files[connection.alias] = path

    def settings_for(self, slot):
        """What worker ``slot`` (1, 2...) needs: alias -> (settings dict,
        file to load into memory or None), for every alias."""
        from django.db import connections

        settings = {}
        for aliases in self.groups.values():
            first = connections[aliases[0]]
            memory_file = self.memory_files.get(first.alias)
            if memory_file is not None:
                name = f"file:nose_speedup_{first.alias}_{slot}?mode=memory&cache=shared"
                clone = {**first.settings_dict, "NAME": name}
            else:
                clone = first.creation.get_test_db_clone_settings(clone_suffix(slot))
            for alias in aliases:
                settings[alias] = (dict(clone), memory_file)
        return settings

    def serialized(self):
        """alias -> serialized contents, for ``serialized_rollback``."""
        from django.db import connections

        from nose_speedup.compat import django_testdb

        contents = {}
        for aliases in self.groups.values():
            for alias in aliases:
                value = django_testdb.serialized_contents(connections[alias])
                if value is not None:
                    contents[alias] = value
        return contents

    def destroy_in_background(self):
        """Start dropping the copies in a thread, so that the run's own tear-down
        (the django plugin drops the test databases) and its report go on
        meanwhile; ``finish`` waits for it. The thread is not a daemon: the
        interpreter waits for it before it exits, whatever happens."""
        self.dropping = threading.Thread(target=self._destroy_into, name="nose-speedup-drop")
        self.dropping.start()

    def _destroy_into(self):
        self.drop_errors = self.destroy()

    def finish(self):
        """Wait for ``destroy_in_background``; return its errors."""
        if self.dropping is None:
            return []
        self.dropping.join()
        self.dropping = None
        return self.drop_errors

    def destroy(self):
        """Drop every copy (at once, in threads); a copy a killed worker
        still held is retried a few times while its server session ends."""
        errors = []
        made = [(connection.alias, slot, name) for connection, slot, name in self.made]
        for (alias, slot, _), error in zip(made, in_threads(self.drop, *zip(*made))):
            if error is not None:
                errors.append(f"{alias} copy {slot}: {error}")
        self.made = []
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None
        return errors

    @staticmethod
    def drop(alias, slot, name):
        from django.db import connections

        from nose_speedup.compat import django_testdb

        connection = connections[alias]
        try:
            for attempt in range(20):
                try:
                    django_testdb.destroy_test_db_named(connection, name)
                    return
                except Exception:
                    if attempt == 19:
                        raise
                    time.sleep(0.25)
        finally:
            connections[alias].close()


def clone_suffix(slot):
    """The suffix of copy ``slot``: ``nsp1``, where Django's runner uses ``1``."""
    return f"nsp{slot}"


def clone_name(connection, slot):
    """The name of copy ``slot`` of ``connection``'s test database."""
    return connection.creation.get_test_db_clone_settings(clone_suffix(slot))["NAME"]


def in_threads(function, *argument_lists):
    """Call ``function`` on each tuple of arguments (``zip(*argument_lists)``)
    in a thread of its own; return the error each call raised, or None."""
    calls = list(zip(*argument_lists))
    errors = [None] * len(calls)

    def call(number, arguments):
        try:
            function(*arguments)
        except BaseException as error:
            errors[number] = error

    threads = [
        threading.Thread(target=call, args=(number, arguments), daemon=True)
        for number, arguments in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
