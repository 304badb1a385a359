"""Set-up and tear-down of kept test databases: what the reuse-db plugin does
in place of Django's ``setup_databases`` and ``teardown_databases``.

At set-up, per test database (aliases sharing one, and ``TEST["MIRROR"]``
aliases, are grouped as Django groups them), under its lock:

* reuse it as it is when its marker says ``clean`` and its fingerprint
  matches: one connection, one query, no ``migrate``, no flush;
* restore it from its pristine copy when the previous run left it ``in use``
  (killed) or ``dirty`` (rows left behind);
* rebuild it (Django's create and migrate, then a pristine copy) when it does
  not exist, its fingerprint differs, a build did not finish, or the user
  asked (``reset``);
* refuse to touch it when it has tables but no marker, or another project's.

It is marked ``in use`` for the run. At tear-down it is marked ``clean`` if
no ``TransactionTestCase`` used it and its tables match their pristine
signature (sequences are then reset), else ``dirty`` with the reason.
"""

import datetime
import sys

from django.db import DatabaseError

from nose_speedup import test_databases
from nose_speedup.errors import ConfigurationError
from nose_speedup.reuse import compat, fingerprint, lock, marker, snapshots

SOURCE = "reuse-db plugin"
KILLED = "the previous run did not finish (killed or crashed)"
LEFT_ROWS = "the previous run left rows behind"


def _say(line):
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _settings_module():
    from django.conf import settings

    return getattr(settings, "SETTINGS_MODULE", None) or "settings configured in-process"


def _owner():
    return f"nose-speedup for {_settings_module()}"


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
        self.vendor = snapshots.for_connection(connection)
        self.name = compat.test_db_name(connection)
        self.marker = None
        self.dirty_reason = None
        self.lock = None

    def identity(self):
        """The server and name, or the SQLite file: what the lock is keyed by."""
        return test_databases.database_identity(self.connection, self.name)


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

    from nose_speedup.reuse import sqlite

    for alias in aliases:
        connection = connections[alias]
        if connection.settings_dict["TEST"].get("MIRROR"):
            continue
        if snapshots.for_connection(connection) is None:
            raise ConfigurationError(
                SOURCE,
                f"DATABASES[{alias!r}] uses ENGINE {connection.settings_dict['ENGINE']!r}, "
                "whose test database cannot be kept (PostgreSQL, MySQL/MariaDB and SQLite can). "
                "Run without REUSE_DB/--reuse-db",
            )
        if connection.vendor == "sqlite":
            sqlite.use_file(connection)
    test_databases.refuse_real_database_names(aliases, source=SOURCE)
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
    """Make ``database`` ready and ``in use``; return the line saying how."""
    connection, name = database.connection, database.name
    # Django derives the name from TEST NAME, or NAME, which now changes.
    connection.settings_dict["TEST"]["NAME"] = name
    _point_at(connection, name)
    manifest = fingerprint.manifest(connection.alias, connection.settings_dict)
    if reset:
        return _build(database, manifest, verbosity, "REUSE_DB=reset or --create-db asked for it")
    if not database.vendor.exists(connection):
        return _build(database, manifest, verbosity, "it does not exist yet", "Creating")
    found = marker.read(connection)
    if found is None:
        if snapshots.user_tables(connection):
            what = "has tables but no nose-speedup marker"
            raise ConfigurationError(SOURCE, _not_ours(database, what))
        return _build(database, manifest, verbosity, "it was empty")
    if found.get("owner") != _owner():
        what = f"was built by {found.get('owner')}, not for {_settings_module()}"
        raise ConfigurationError(SOURCE, _not_ours(database, what))
    if found.get("state") == "building":
        return _build(database, manifest, verbosity, "the previous build did not finish")
    if found.get("fingerprint") != fingerprint.digest(manifest):
        reasons = fingerprint.changes(found.group("manifest"), manifest)
        return _build(database, manifest, verbosity, fingerprint.summary(reasons))
    database.marker = found
    if found.get("state") != "clean":
        reason = f"{LEFT_ROWS} ({found['reason']})" if found.get("reason") else KILLED
        try:
            database.vendor.restore(connection, found)
        except snapshots.RestoreImpossible as error:
            return _build(database, manifest, verbosity, f"{reason}, and {error}")
        marker.write(connection, {"state": "in use", "reason": None})
        return f"Restoring test database {name!r} from its pristine copy: {reason}"
    marker.write(connection, {"state": "in use"})
    return (
        f"Reusing test database {name!r} (built {found.get('built')} from "
        f"{found.get('migrations')} migrations; REUSE_DB=reset to rebuild)"
    )


def _not_ours(database, what):
    alias = database.connection.alias
    return (
        f"the test database {database.name!r} of alias {alias!r} already exists and {what}; "
        "it may hold data that is not disposable, so it is left untouched. Check that it is "
        "a disposable test database and run once with REUSE_DB=reset (or --create-db) to "
        f"rebuild it, or give DATABASES[{alias!r}]['TEST']['NAME'] another name"
    )


def _build(database, manifest, verbosity, reason, action="Rebuilding"):
    """Build from scratch, saying why first: it takes as long as migrating."""
    connection = database.connection
    _say(f"{action} test database {database.name!r}: {reason}")
    database.vendor.drop(connection)
    compat.create_empty_test_db(connection, verbosity=0)
    _point_at(connection, database.name)
    marker.create(connection, _owner())
    # Django's own messages ("Using existing test database...") would mislead.
    compat.migrate_test_db(connection, verbosity if verbosity >= 3 else 0)
    tables = snapshots.user_tables(connection)
    entries = {
        "fingerprint": fingerprint.digest(manifest),
        "built": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "migrations": fingerprint.migration_count(manifest),
        **marker.flatten("manifest", manifest),
        **marker.flatten("table", database.vendor.signature(connection, tables)),
        **marker.flatten("counter", database.vendor.counters(connection)),
    }
    marker.write(connection, entries)
    database.vendor.snapshot(connection)
    marker.write(connection, {"state": "in use"})
    database.marker = marker.Marker(entries)


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
            tables = snapshots.user_tables(connection)
            now = database.vendor.signature(connection, tables)
            left = snapshots.changed_tables(database.marker.group("table"), now)
            if left:
                reason = f"changed tables: {', '.join(left)}"
        if reason is None:
            database.vendor.reset_counters(connection, database.marker.group("counter"))
            marker.write(connection, {"state": "clean", "reason": None})
            return f"Kept test database {name!r}, clean, for the next run"
        marker.write(connection, {"state": "dirty", "reason": reason})
    except DatabaseError as error:
        reason = f"checking it at the end failed: {error}"
    return f"Kept test database {name!r}; the next run restores its pristine copy ({reason})"


def _release(reused):
    for database in reused.kept:
        if database.lock is not None:
            lock.release(database.lock)
            database.lock = None
