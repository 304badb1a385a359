"""Load a kept test database from an artifact instead of building it.

The reuse lifecycle calls ``ArtifactSource.load`` where it would build a
test database (it does not exist, its fingerprint changed, ...), after its
guards ran: the name is no real ``NAME``, and an existing database there is
this project's. The artifact is used when

* it was made for this project (settings module) and this Django version,
  its checksums hold and it has a dump of the alias's database (else it is
  refused, in one line);
* it was built from exactly what the database is built from today, or from
  a prefix of it: everything equal, and only migrations (with the project
  modules a new ``RunPython`` migration imports) added. The new migrations
  are then applied on top of the loaded database, as ``migrate`` does on a
  kept one. Any other difference (a migration edited or removed, a setting
  or an app changed) is said, and the database is built.

After a load the database is kept as if it was built here: its marker
records today's fingerprint and the pristine state, and its pristine copy is
made. A load that fails (client tools missing or too old, a broken dump) is
said and the database is built, unless the load was asked for explicitly
(``python -m nose_speedup.db load``), which stops with that line instead
(saying that nothing was loaded, as nothing is built then). ``loaded`` names
the databases loaded, for that command to say which it left as they were.
"""

import sys

from django.db import DatabaseError

from nose_speedup import vendors
from nose_speedup.vendors import marker
from nose_speedup.artifacts import archive, key
from nose_speedup.errors import ConfigurationError
from nose_speedup.compat import django_testdb
from nose_speedup.reuse import fingerprint, ownership
from nose_speedup.vendors.dump_base import DumpFailed

SOURCE = "reuse-db artifact"
ADDABLE = ("migration", "source")
GROUPS = (marker.MANIFEST, marker.TABLES, marker.COUNTERS)


def _say(line):
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def new_migrations(old, new):
    """``(added migrations, [])`` when ``old`` is a prefix of ``new`` (only
    migrations, and the modules they import, added); ``(None, reasons)``
    otherwise."""
    same = all(new.get(name) == value for name, value in old.items())
    added = sorted(name for name in new.keys() - old.keys())
    if same and all(name.split(" ", 1)[0] in ADDABLE for name in added):
        return [name.split(" ", 1)[1] for name in added if name.startswith("migration ")], []
    return None, fingerprint.changes(old, new)


class ArtifactSource:
    """The artifact of ``[reuse-db] artifact`` (or of the ``load`` command,
    ``strict``), opened and checked the first time a database needs it."""

    def __init__(self, path, strict=False):
        self.path = str(path)
        self.strict = strict
        self._artifact = None
        self._refusal = None
        self.loaded = []  # names of the databases loaded from it

    def _opened(self):
        if self._refusal is not None:
            raise archive.Refused(self._refusal)
        if self._artifact is None:
            try:
                self._artifact = archive.Artifact(self.path)
                self._check_origin(self._artifact.manifest)
            except archive.Refused as error:
                self._refusal = str(error)
                raise
        return self._artifact

    def check(self):
        """Stop with one line unless the artifact can be opened and is ours
        (the ``load`` command checks first, even when nothing needs it)."""
        try:
            self._opened()
        except archive.Refused as error:
            raise ConfigurationError(SOURCE, str(error)) from None

    def _check_origin(self, manifest):
        import django

        where = f"artifact {self.path!r}"
        if manifest.get(archive.PROJECT) != key.project():
            raise archive.Refused(
                f"{where} was made by {manifest.get(archive.PROJECT)}, not {key.project()}"
            )
        if manifest.get(archive.DJANGO) != django.get_version():
            raise archive.Refused(
                f"{where} was made with Django {manifest.get(archive.DJANGO)}, this is "
                f"Django {django.get_version()}"
            )

    def _refuse(self, line, building="; building it"):
        """Say why the artifact is not used: a run then builds the database
        (``building`` says so); the ``load`` command stops, having built and
        loaded nothing."""
        if self.strict:
            raise ConfigurationError(
                SOURCE, f"{line}; nothing loaded (a REUSE_DB=1 run builds the test database)"
            )
        _say(f"Not loading {line}{building}")

    def load(self, database, manifest, verbosity):
        """Load ``database`` (a ``reuse.reused_databases.KeptDatabase``) from the artifact;
        return the line saying so, or ``None`` (said why) to build it."""
        alias = database.connection.alias
        try:
            artifact = self._opened()
        except archive.Refused as error:
            return self._refuse(str(error), f"; building test database {database.name!r}")
        entry = artifact.entry(alias)
        where = f"artifact {self.path!r}"
        if entry is None or entry[archive.VENDOR] != database.connection.vendor:
            return self._refuse(
                f"{where}: it holds no {database.connection.vendor} database for alias {alias!r}",
                "",
            )
        added, reasons = new_migrations(entry[archive.SCHEMA], key.portable(manifest))
        if added is None:
            return self._refuse(
                f"{where} for {database.name!r}: it was built from other code "
                f"({fingerprint.summary(reasons)})"
            )
        try:
            self._restore(database, artifact.dump(alias), entry[archive.METHOD], added, verbosity)
        except (DumpFailed, DatabaseError, OSError) as error:
            text = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            return self._refuse(f"{where} into {database.name!r}: {text}")
        self._keep(database, manifest)
        self.loaded.append(database.name)
        then = ""
        if added:
            then = f", then applied {len(added)} new migration{'s' * (len(added) != 1)}: "
        return (
            f"Reusing test database {database.name!r} (loaded from artifact built "
            f"{artifact.manifest[archive.BUILT]} from {entry[archive.MIGRATIONS]} migrations "
            f"with {entry[archive.METHOD]}{then}{', '.join(added)}; REUSE_DB=reset to rebuild)"
        )

    def _restore(self, database, path, method, added, verbosity):
        connection, name = database.connection, database.name
        vendor = vendors.for_connection(connection)
        dump = vendor.dump_for(method)
        if dump is None:
            raise DumpFailed(f"it was written with {method!r}, which cannot be loaded here")
        database.backend.drop()
        if vendor.dump_is_file:
            dump.load(name, path)
            _point_at(connection, name)
            marker.write(connection, {marker.STATE: marker.BUILDING})
        else:
            django_testdb.create_empty_test_db(connection, verbosity=0)
            _point_at(connection, name)
            marker.create(connection, ownership.owner())
            django_testdb.close_connection_and_pool(connection)
            dump.load(name, path)
        if added:
            django_testdb.migrate_test_db(connection, verbosity if verbosity >= 3 else 0)

    def _keep(self, database, manifest):
        """Record the loaded database as the lifecycle records a build."""
        connection, backend = database.connection, database.backend
        entries = {
            marker.OWNER: ownership.owner(),
            marker.FINGERPRINT: fingerprint.digest(manifest),
            marker.BUILT: marker.built_now(),
            marker.MIGRATIONS: fingerprint.migration_count(manifest),
            marker.REASON: None,
            **marker.flatten(marker.MANIFEST, manifest),
            **backend.state(),
            marker.FORMAT: marker.CURRENT_FORMAT,
        }
        found = marker.read(connection) or {}
        for stale in found.keys() - entries.keys():
            if stale.split(" ", 1)[0] in GROUPS:
                entries[stale] = None
        marker.write(connection, entries)
        backend.snapshot()
        marker.write(connection, {marker.STATE: marker.IN_USE})
        database.marker = marker.read(connection)


def _point_at(connection, name):
    from django.conf import settings

    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
