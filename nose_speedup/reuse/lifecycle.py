"""Set-up and tear-down of kept test databases: what the reuse-db plugin does
in place of Django's ``setup_databases`` and ``teardown_databases``.

At set-up, per test database (aliases sharing one, and ``TEST["MIRROR"]``
aliases, are grouped as Django groups them), under its lock:

* reuse it when its fingerprint matches, after comparing it with what the
  marker recorded at build time (structure, row signatures and sequences,
  read cheaply on every start whatever the marker's state, so that changes
  made by any other client since are seen): one connection, no
  ``migrate``, no flush;
* when it differs (the previous run left it ``DIRTY`` or ``IN_USE``, or
  another client changed it), put back only the rows of the tables and the
  sequences that differ, and check the result (``repair``);
* restore it from its whole pristine copy when that cannot be exact (its
  structure changed), after checking that the copy is whole, saying why;
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

import sys

from django.db import DatabaseError

from nose_speedup.compat import django_testdb
from nose_speedup.errors import ConfigurationError
from nose_speedup import vendors
from nose_speedup.vendors import marker
from nose_speedup.reuse import blocking, fingerprint, lock, ownership, repair
from nose_speedup.reuse.reused_databases import KeptDatabase, ReusedDatabases
from nose_speedup.timing import recorder as timing
from nose_speedup.vendors.reuse_base import RestoreImpossible

SOURCE = ownership.SOURCE


def _say(line):
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _point_at(connection, name):
    from django.conf import settings

    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def prepare(aliases):
    """Before the django plugin's guards: refuse an engine whose test database
    cannot be kept, and move in-memory SQLite test databases to files."""
    from django.db import connections

    for alias in aliases:
        connection = connections[alias]
        if connection.settings_dict["TEST"].get("MIRROR"):
            continue
        if not vendors.supported(connection):
            raise ConfigurationError(
                SOURCE,
                f"{vendors.refusal(connection)}: its test database cannot be kept. "
                "Run without REUSE_DB/--reuse-db",
            )
        vendors.for_connection(connection).prepare_kept()


def set_up(verbosity, aliases, serialized_aliases, reset, lock_timeout, artifact=None,
           recorder=None):
    """Set up the test databases of ``aliases`` (prepared by ``prepare``, their
    names checked by the django plugin); return a ``ReusedDatabases``. A
    database that must be built is loaded from ``artifact`` (an
    ``artifacts.loading.ArtifactSource``) when it fits, unless ``reset``.
    Each phase's seconds go to ``recorder`` (the timing plugin's), if any."""
    from django.db import connections
    from django.test.utils import get_unique_databases_and_mirrors

    # Django's setup_databases (django/test/utils.py, 5.2; the same in 4.2
    # and 6.x) mirrored: one database per group of aliases that share one,
    # the other aliases and TEST["MIRROR"] aliases pointed at it, and the
    # serialization for serialized_rollback made once every database is
    # ready. Copied because the databases here are kept, restored or built
    # by the backends, not created by create_test_db.
    groups, mirrors = get_unique_databases_and_mirrors(aliases)
    reused = ReusedDatabases()
    try:
        for old_name, group in groups.values():
            first = connections[group[0]]
            database = KeptDatabase(first, old_name)
            database.artifact = None if reset else artifact
            database.recorder = recorder or timing.Recorder()
            database.lock = lock.acquire(database.identity(), database.name, lock_timeout, SOURCE)
            reused.kept.append(database)
            try:
                with blocking.Watch(database, lock_timeout):
                    line = _prepare(database, reset, verbosity)
            except blocking.LockedOut as error:
                raise ConfigurationError(SOURCE, str(error)) from None
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
                django_testdb.serialize(database.connection)
    except BaseException:
        _release(reused)
        raise
    return reused


def _prepare(database, reset, verbosity):
    """Make ``database`` ready and ``IN_USE``; return the line saying how."""
    connection, name = database.connection, database.name
    started = timing.now()
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
        if database.backend.holds_anything():
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
    if found.get(marker.FORMAT) != marker.CURRENT_FORMAT:  # kept by an older version
        return _build(database, manifest, verbosity, "it was kept by an older nose-speedup")
    database.marker = found
    return _reuse(database, found, manifest, verbosity, started)


def _reuse(database, found, manifest, verbosity, started):
    """Reuse it, restoring first only what differs from its pristine record,
    or the whole pristine copy when only that is exact."""
    connection, name, backend = database.connection, database.name, database.backend
    comparison = backend.compare(found)
    who, reason = repair.cause(found, comparison)
    built = (
        f"built {found.get(marker.BUILT)} from {found.get(marker.MIGRATIONS)} migrations; "
        "REUSE_DB=reset to rebuild"
    )
    if comparison.same:
        _write_marker(connection, {marker.STATE: marker.IN_USE, marker.REASON: None})
        done = "" if found.get(marker.STATE) == marker.CLEAN else "nothing to restore; "
        database.recorder.record_phase(connection.alias, timing.REUSE_CHECK, started)
        return f"Reusing test database {name!r} ({done}{built})"
    try:
        repair.restore_changed(backend, found, comparison)
    except repair.FullCopyNeeded as error:
        try:
            repair.restore_whole(backend, found)
        except RestoreImpossible as impossible:
            return _build(database, manifest, verbosity, f"{reason}, and {impossible}")
        _write_marker(connection, {marker.STATE: marker.IN_USE, marker.REASON: None})
        database.recorder.record_phase(connection.alias, timing.RESTORE, started)
        why = "" if str(error) in reason else f"; {error}"
        return (
            f"Restoring test database {name!r} from its pristine copy: {reason}{why}; "
            "only a full copy is exact"
        )
    _write_marker(connection, {marker.STATE: marker.IN_USE, marker.REASON: None})
    database.recorder.record_phase(connection.alias, timing.RESTORE, started)
    line = f"Reusing test database {name!r} ({repair.summary(comparison, who)}; {built})"
    return f"{line}\n{repair.detail(comparison)}" if verbosity >= 2 else line


def _build(database, manifest, verbosity, reason, action="Rebuilding"):
    """Build from scratch, saying why first: it takes as long as migrating."""
    connection, backend = database.connection, database.backend
    alias = connection.alias
    ownership.claim_pristine(database)
    if database.artifact is not None:
        loaded = database.artifact.load(database, manifest, verbosity)
        if loaded is not None:
            return loaded
    _say(f"{action} test database {database.name!r}: {reason}")
    started = timing.now()
    backend.drop()
    django_testdb.create_empty_test_db(connection, verbosity=0)
    _point_at(connection, database.name)
    marker.create(
        connection, ownership.owner(), vendors.for_connection(connection).lazy_commit
    )
    database.recorder.record_phase(alias, timing.CREATE, started)
    # Django's own messages ("Using existing test database...") would mislead.
    with database.recorder.phase(alias, timing.MIGRATE):
        django_testdb.migrate_test_db(connection, verbosity if verbosity >= 3 else 0)
    entries = {
        marker.FINGERPRINT: fingerprint.digest(manifest),
        marker.BUILT: marker.built_now(),
        marker.MIGRATIONS: fingerprint.migration_count(manifest),
        **marker.flatten(marker.MANIFEST, manifest),
        **backend.state(),
        marker.FORMAT: marker.CURRENT_FORMAT,
    }
    _write_marker(connection, entries)
    with database.recorder.phase(alias, timing.SNAPSHOT):
        backend.snapshot()
    _write_marker(connection, {marker.STATE: marker.IN_USE})
    database.marker = marker.read(connection)
    database.recorder.record_phase(alias, timing.BUILD, started)


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
            _write_marker(connection, {marker.STATE: marker.CLEAN, marker.REASON: None})
            return f"Kept test database {name!r}, clean, for the next run"
        _write_marker(connection, {marker.STATE: marker.DIRTY, marker.REASON: reason})
    except DatabaseError as error:
        reason = f"checking it at the end failed: {error}"
    return f"Kept test database {name!r}; the next run restores its pristine copy ({reason})"


def _release(reused):
    for database in reused.kept:
        if database.lock is not None:
            lock.release(database.lock)
            database.lock = None


def _write_marker(connection, entries):
    """``marker.write``, with the commit the vendor lets skip the disk wait."""
    marker.write(connection, entries, vendors.for_connection(connection).lazy_commit)
