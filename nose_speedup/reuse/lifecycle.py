"""Set-up and tear-down of kept test databases: what the reuse-db plugin does
in place of Django's ``setup_databases`` and ``teardown_databases``.

At set-up, per test database (aliases sharing one, and ``TEST["MIRROR"]``
aliases, are grouped as Django groups them), under its lock:

* reuse it as it is when its marker says ``CLEAN``, its fingerprint matches
  and it still is what the marker recorded at build time (structure, row
  signatures and sequences, checked on every start, so that changes made by
  any other client since are seen): one connection, no ``migrate``, no
  flush;
* restore it from its pristine copy when it changed since, or the previous
  run left it ``IN_USE`` (killed) or ``DIRTY`` (changes left behind), after
  checking that the copy is whole;
* rebuild it (Django's create and migrate, then a pristine copy) when it does
  not exist, its fingerprint differs, a build did not finish, its pristine
  copy is missing or damaged, or the user asked (``reset``);
* refuse to touch it when it has tables but no marker, or another project's;
  refuse to drop or overwrite its pristine copy when that is a real
  ``NAME`` or holds tables without this project's marker.

It is marked ``IN_USE`` for the run. At tear-down it is marked ``CLEAN`` if
no ``TransactionTestCase`` used it and its structure and rows match their
pristine record (sequences are then reset), else ``DIRTY`` with the reason.

What is ours, and what is refused, is decided in ``ownership``.
"""

import datetime
import sys

from django.db import DatabaseError

from nose_speedup.django_run import database_guards
from nose_speedup.errors import ConfigurationError
from nose_speedup.reuse import backends, compat, fingerprint, lock, marker, ownership

SOURCE = ownership.SOURCE
KILLED = "the previous run did not finish (killed or crashed)"
LEFT_CHANGES = "the previous run left changes behind"
CHANGED = "it changed since the last run"


def _say(line):
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _point_at(connection, name):
    from django.conf import settings

    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


class KeptDatabase:
    """One test database of the run, reached through its first alias."""

    def __init__(self, connection, old_name):
        self.connection = connection
        self.old_name = old_name
        self.backend = backends.for_connection(connection)
        self.name = compat.test_db_name(connection)
        self.marker = None
        self.dirty_reason = None
        self.lock = None

    def identity(self):
        """The server and name, or the SQLite file: what the lock is keyed by."""
        return database_guards.database_identity(self.connection, self.name)


class ReusedDatabases:
    """The run's kept databases: the ``old_config`` of the plugin's hooks."""

    def __init__(self):
        self.kept = []
        self.by_alias = {}

    def note_test(self, test):
        """Mark the databases a test may commit to (a ``TransactionTestCase``,
        or a ``TestCase`` on a database without transactions) as dirty."""
        from django.db import connections
        from django.test import TestCase, TransactionTestCase

        if not isinstance(test, TransactionTestCase):
            return  # plain unittest: the signature check at the end sees its rows
        databases = test.databases
        aliases = list(connections) if databases == "__all__" else databases
        for alias in aliases:
            database = self.by_alias.get(alias)
            if database is None or database.dirty_reason is not None:
                continue
            if isinstance(test, TestCase) and connections[alias].features.supports_transactions:
                continue
            kind = "TransactionTestCase"
            if isinstance(test, TestCase):
                kind = "TestCase on a database without transactions"
            cls = type(test)
            database.dirty_reason = f"a {kind} ran: {cls.__module__}.{cls.__qualname__}"


def set_up(runner, aliases, serialized_aliases, reset, lock_timeout):
    """Set up the test databases of ``aliases``; return a ``ReusedDatabases``."""
    from django.db import connections
    from django.test.utils import get_unique_databases_and_mirrors

    from nose_speedup.reuse.backends import sqlite

    for alias in aliases:
        connection = connections[alias]
        if connection.settings_dict["TEST"].get("MIRROR"):
            continue
        if backends.for_connection(connection) is None:
            raise ConfigurationError(
                SOURCE,
                f"DATABASES[{alias!r}] uses ENGINE {connection.settings_dict['ENGINE']!r}, "
                "whose test database cannot be kept (PostgreSQL, MySQL/MariaDB and SQLite can). "
                "Run without REUSE_DB/--reuse-db",
            )
        if connection.vendor == "sqlite":
            sqlite.use_file(connection)
    database_guards.refuse_real_database_names(aliases, source=SOURCE)
    groups, mirrors = get_unique_databases_and_mirrors(aliases)
    reused = ReusedDatabases()
    try:
        for old_name, group in groups.values():
            first = connections[group[0]]
            database = KeptDatabase(first, old_name)
            database.lock = lock.acquire(database.identity(), database.name, lock_timeout, SOURCE)
            reused.kept.append(database)
            line = _prepare(database, reset, runner.verbosity)
            if line:
                _say(line)
            for alias in group:
                reused.by_alias[alias] = database
                if alias != group[0]:
                    connections[alias].creation.set_as_test_mirror(first.settings_dict)
        for alias, mirror in mirrors.items():
            connections[alias].creation.set_as_test_mirror(connections[mirror].settings_dict)
            if mirror in reused.by_alias:
                reused.by_alias[alias] = reused.by_alias[mirror]
        for database in reused.kept:
            if database.connection.alias in serialized_aliases:
                compat.serialize(database.connection)
        if getattr(runner, "debug_sql", False):
            for alias in connections:
                connections[alias].force_debug_cursor = True
    except BaseException:
        _release(reused)
        raise
    return reused


def _prepare(database, reset, verbosity):
    """Make ``database`` ready and ``IN_USE``; return the line saying how."""
    connection, name = database.connection, database.name
    # Django derives the name from TEST NAME, or NAME, which now changes.
    connection.settings_dict["TEST"]["NAME"] = name
    _point_at(connection, name)
    ownership.refuse_real_pristine(database)
    manifest = fingerprint.manifest(connection.alias, connection.settings_dict)
    if reset:
        return _build(database, manifest, verbosity, "REUSE_DB=reset or --create-db asked for it")
    if not database.backend.exists():
        return _build(database, manifest, verbosity, "it does not exist yet", "Creating")
    found = marker.read(connection)
    if found is None:
        if database.backend.tables():
            what = "has tables but no nose-speedup marker"
            raise ConfigurationError(SOURCE, ownership.not_ours(database, what))
        return _build(database, manifest, verbosity, "it was empty")
    if found.get(marker.OWNER) != ownership.owner():
        what = f"was built by {found.get(marker.OWNER)}, not for {ownership.settings_module()}"
        raise ConfigurationError(SOURCE, ownership.not_ours(database, what))
    if found.get(marker.STATE) == marker.BUILDING:
        return _build(database, manifest, verbosity, "the previous build did not finish")
    if found.get(marker.FINGERPRINT) != fingerprint.digest(manifest):
        reasons = fingerprint.changes(found.group(marker.MANIFEST), manifest)
        return _build(database, manifest, verbosity, fingerprint.summary(reasons))
    if marker.STRUCTURE not in found:  # kept by a version that did not record it
        return _build(database, manifest, verbosity, "it was kept by an older nose-speedup")
    database.marker = found
    if found.get(marker.STATE) == marker.CLEAN:
        changed = database.backend.differences(found)
        reason = f"{CHANGED} ({changed})" if changed else None
    elif found.get(marker.REASON):
        reason = f"{LEFT_CHANGES} ({found[marker.REASON]})"
    else:
        reason = KILLED
    if reason is None:
        marker.write(connection, {marker.STATE: marker.IN_USE})
        return (
            f"Reusing test database {name!r} (built {found.get(marker.BUILT)} from "
            f"{found.get(marker.MIGRATIONS)} migrations; REUSE_DB=reset to rebuild)"
        )
    try:
        database.backend.restore(found)
    except backends.RestoreImpossible as error:
        return _build(database, manifest, verbosity, f"{reason}, and {error}")
    marker.write(connection, {marker.STATE: marker.IN_USE, marker.REASON: None})
    return f"Restoring test database {name!r} from its pristine copy: {reason}"


def _build(database, manifest, verbosity, reason, action="Rebuilding"):
    """Build from scratch, saying why first: it takes as long as migrating."""
    connection, backend = database.connection, database.backend
    ownership.claim_pristine(database)
    _say(f"{action} test database {database.name!r}: {reason}")
    backend.drop()
    compat.create_empty_test_db(connection, verbosity=0)
    _point_at(connection, database.name)
    marker.create(connection, ownership.owner())
    # Django's own messages ("Using existing test database...") would mislead.
    compat.migrate_test_db(connection, verbosity if verbosity >= 3 else 0)
    entries = {
        marker.FINGERPRINT: fingerprint.digest(manifest),
        marker.BUILT: datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        marker.MIGRATIONS: fingerprint.migration_count(manifest),
        **marker.flatten(marker.MANIFEST, manifest),
        **backend.state(),
    }
    marker.write(connection, entries)
    backend.snapshot()
    marker.write(connection, {marker.STATE: marker.IN_USE})
    database.marker = marker.read(connection)


def tear_down(reused):
    """Mark each kept database ``clean`` or ``dirty`` and hand it back."""
    try:
        for database in reused.kept:
            _say(_finish(database))
            # Closes the connection and gives the alias its real NAME back.
            creation = database.connection.creation
            creation.destroy_test_db(database.old_name, verbosity=0, keepdb=True)
    finally:
        _release(reused)


def _finish(database):
    connection, name = database.connection, database.name
    reason = database.dirty_reason
    if connection.in_atomic_block:  # nothing written now would be committed
        return f"Kept test database {name!r}; the next run restores it (a transaction is open)"
    try:
        if reason is None:
            reason = database.backend.differences(database.marker, counters=False) or None
        if reason is None:
            database.backend.reset_counters(database.marker.group(marker.COUNTERS))
            marker.write(connection, {marker.STATE: marker.CLEAN, marker.REASON: None})
            return f"Kept test database {name!r}, clean, for the next run"
        marker.write(connection, {marker.STATE: marker.DIRTY, marker.REASON: reason})
    except DatabaseError as error:
        reason = f"checking it at the end failed: {error}"
    return f"Kept test database {name!r}; the next run restores its pristine copy ({reason})"


def _release(reused):
    for database in reused.kept:
        if database.lock is not None:
            lock.release(database.lock)
            database.lock = None
