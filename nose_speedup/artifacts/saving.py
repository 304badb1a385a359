"""Write the kept test databases of the current settings to an artifact.

Each kept database must be one a ``REUSE_DB=1`` run built for today's code:
it exists, carries this project's marker, its fingerprint is today's and
its build finished. It is saved pristine: when the last run left it dirty
(or another client changed it) it is first restored from its pristine copy,
as the next run would do. Each database is locked while it is read, so a
run cannot change it under the dump.
"""

import datetime
import os
import shutil
import sys
import tempfile

import django

import nose_speedup
from nose_speedup.core import database_guards
from nose_speedup import vendors
from nose_speedup.vendors import marker
from nose_speedup.artifacts import archive, key
from nose_speedup.errors import ConfigurationError, reported_by
from nose_speedup.compat import django_testdb
from nose_speedup.reuse import fingerprint, lock, ownership
from nose_speedup.vendors.dump_base import DumpFailed
from nose_speedup.vendors.reuse_base import RestoreImpossible

SOURCE = "nose_speedup.db save"
HOW_TO_BUILD = "run the tests once with REUSE_DB=1 to build it, then save"


def _say(line):
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _test_connection(alias):
    """``alias``'s connection, pointed at its kept test database (the marker
    writes in ``atomic(using=alias)``, so it must be the alias's own)."""
    from django.conf import settings
    from django.db import connections

    connection = connections[alias]
    vendors.for_connection(connection).prepare_kept()
    name = django_testdb.test_db_name(connection)
    connection.close()
    settings.DATABASES[alias]["NAME"] = connection.settings_dict["NAME"] = name
    return connection


def _check(alias, kept, manifest):
    """Stop unless ``kept`` is a finished build of today's code, for us."""
    backend = vendors.for_connection(kept).reuse_backend()
    name = kept.settings_dict["NAME"]
    if not backend.exists():
        raise ConfigurationError(
            SOURCE, f"test database {name!r} of alias {alias!r} does not exist; {HOW_TO_BUILD}"
        )
    found = marker.read(kept)
    if found is None or found.get(marker.OWNER) != ownership.owner():
        owner = found.get(marker.OWNER) if found else "no nose-speedup marker"
        raise ConfigurationError(
            SOURCE, f"test database {name!r} of alias {alias!r} is not this project's kept "
            f"test database ({owner}); {HOW_TO_BUILD}",
        )
    if found.get(marker.STATE) == marker.BUILDING or marker.STRUCTURE not in found:
        raise ConfigurationError(
            SOURCE, f"the build of test database {name!r} did not finish; {HOW_TO_BUILD}"
        )
    if found.get(marker.FINGERPRINT) != fingerprint.digest(manifest):
        reasons = fingerprint.summary(fingerprint.changes(found.group(marker.MANIFEST), manifest))
        raise ConfigurationError(
            SOURCE, f"test database {name!r} was built from other code ({reasons}); {HOW_TO_BUILD}"
        )
    return backend, found


def _make_pristine(backend, found, name):
    """Restore a database the last run left dirty, as the next run would."""
    reason = found.get(marker.REASON) if found.get(marker.STATE) != marker.CLEAN else None
    reason = reason or backend.differences(found)
    if found.get(marker.STATE) == marker.IN_USE:
        reason = reason or "the last run did not finish"
    if not reason:
        return
    _say(f"Restoring test database {name!r} from its pristine copy before saving it: {reason}")
    try:
        backend.restore(found)
    except RestoreImpossible as error:
        raise ConfigurationError(
            SOURCE, f"test database {name!r}: {error}; {HOW_TO_BUILD}"
        ) from None
    marker.write(backend.connection, {marker.STATE: marker.CLEAN, marker.REASON: None})


def save(path, lock_timeout):
    """Write the artifact ``path``; return the line that says what it holds."""
    from django.db import connections

    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise ConfigurationError(
            SOURCE, f"cannot write {path!r}: directory {directory!r} does not exist; create it"
        )
    aliases = key.kept_aliases()
    if not aliases:
        raise ConfigurationError(
            SOURCE, "settings name no database whose test database can be kept"
        )
    with reported_by(SOURCE):
        database_guards.refuse_real_database_names(aliases)
    directory = tempfile.mkdtemp(prefix="nose-speedup-save-")
    entries, files, manifests, held = [], {}, {}, []
    try:
        for alias in aliases:
            connection = connections[alias]
            manifest = fingerprint.manifest(alias, connection.settings_dict)
            kept = _test_connection(alias)
            name = kept.settings_dict["NAME"]
            identity = database_guards.database_identity(kept, name)
            held.append(lock.acquire(identity, name, lock_timeout, SOURCE))
            try:
                backend, found = _check(alias, kept, manifest)
                _make_pristine(backend, found, name)
                vendor = vendors.for_connection(kept)
                dump = vendor.dump()
                if getattr(dump, "why", None):
                    _say(f"Saving test database {name!r} with {dump.method}: {dump.why}")
                version = vendor.server_version()
                files[alias] = os.path.join(directory, alias)
                django_testdb.close_connection_and_pool(kept)
                try:
                    dump.dump(name, files[alias])
                except DumpFailed as error:
                    raise ConfigurationError(SOURCE, f"test database {name!r}: {error}") from None
            finally:
                kept.close()
            manifests[alias] = (connection.vendor, key.portable(manifest))
            entries.append({
                "alias": alias,
                archive.VENDOR: connection.vendor,
                archive.METHOD: dump.method,
                archive.SCHEMA: key.portable(manifest),
                archive.MIGRATIONS: fingerprint.migration_count(manifest),
                "server_version": version,
            })
        built = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        manifest = {
            "format": key.FORMAT,
            archive.KEY: key.key(manifests),
            archive.PROJECT: key.project(),
            archive.DJANGO: django.get_version(),
            "nose_speedup": nose_speedup.__version__,
            archive.BUILT: built,
            archive.DATABASES: entries,
        }
        archive.write(path, manifest, files)
    finally:
        for handle in held:
            lock.release(handle)
        shutil.rmtree(directory, ignore_errors=True)
    size = os.path.getsize(path)
    held_text = ", ".join(f"{e['alias']} ({e[archive.METHOD]})" for e in entries)
    return f"Saved {held_text} to {path} ({size / 1e6:.1f} MB), key {manifest[archive.KEY]}"
