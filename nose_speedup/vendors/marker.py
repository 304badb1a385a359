"""The marker table kept in each reused test database (and in its pristine
copy, which is how a pristine copy is known to be ours).

One table of ours, ``nose_speedup_reuse``, with one row per entry:

``owner``              proves that nose-speedup built this database, and for
                       which settings module: a database without it is never
                       altered or dropped;
``state``              ``BUILDING`` (a build is under way; a pristine copy
                       keeps this state), ``IN_USE`` (a run is under way, or
                       was killed), ``DIRTY`` (the last run left changes
                       behind) or ``CLEAN``;
``reason``             why the database is dirty, said by the next run;
``format``             how the rest was recorded (``FORMAT``): a database
                       kept by a nose-speedup that recorded it otherwise is
                       rebuilt;
``fingerprint``        the digest of the manifest it was built from,
``built``, ``migrations``: when and from how many migrations;
``structure``          the pristine checksum of the tables' structure
                       (columns, indexes, constraints, triggers);
``manifest <key>``     the manifest, to say what changed on a rebuild;
``table <name>``       the pristine signature of each table's rows;
``counter <name>``     the pristine value of each sequence.

Django's flush lists only the tables of models, so ``TransactionTestCase``
never empties this one. Everything is read with one query.
"""

import datetime

from django.db import DatabaseError, transaction


TABLE = "nose_speedup_reuse"

# Entries.
OWNER = "owner"
STATE = "state"
REASON = "reason"
FINGERPRINT = "fingerprint"
BUILT = "built"
MIGRATIONS = "migrations"
STRUCTURE = "structure"
FORMAT = "format"
# The format written now: 2 added the pristine rows kept for restoring single
# tables and the server-side structure digest, 3 the sequences' definitions
# to PostgreSQL's structure (an increment changed was not seen).
CURRENT_FORMAT = "3"
# Prefixes of grouped entries.
MANIFEST = "manifest"
TABLES = "table"
COUNTERS = "counter"

# States.
BUILDING = "building"
IN_USE = "in use"
DIRTY = "dirty"
CLEAN = "clean"


class Marker(dict):
    """The entries of a marker table; the prefixed ones as sub-dicts."""

    def group(self, prefix):
        start = f"{prefix} "
        return {key[len(start):]: value for key, value in self.items() if key.startswith(start)}


def read(connection):
    """The marker of the database ``connection`` points at; ``None`` when the
    table does not exist. Other database errors propagate."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT entry, content FROM {TABLE}")
            return Marker(cursor.fetchall())
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        with connection.cursor() as cursor:
            if TABLE in connection.introspection.table_names(cursor):
                raise
        return None


def create(connection, owner, lazy_commit=None):
    """Create the table in a new, empty database and claim it: ``BUILDING``."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {TABLE} (entry VARCHAR(255) PRIMARY KEY, content TEXT)")
    write(connection, {OWNER: owner, STATE: BUILDING}, lazy_commit)


def write(connection, entries, lazy_commit=None):
    """Set ``entries`` (``None`` deletes one) and commit, running the
    vendor's ``lazy_commit`` statement first when given
    (``nose_speedup.vendors``: the reuse lifecycle gives it).

    A warm run writes the marker twice, so it costs few round trips: one
    ``DELETE`` and one ``INSERT`` per 400 entries (SQLite's old limit of 999
    parameters). On PostgreSQL the commit does not wait for the disk
    (``synchronous_commit = off``): a crash can lose only the last writes,
    in order, and every start checks the database against its record
    anyway, rebuilding one whose marker says ``building``."""
    keys = list(entries)
    rows = [(key, str(value)) for key, value in entries.items() if value is not None]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if lazy_commit:
            cursor.execute(lazy_commit)
        for start in range(0, len(keys), 400):
            chunk = keys[start:start + 400]
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE entry IN ({', '.join(['%s'] * len(chunk))})", chunk
            )
        for start in range(0, len(rows), 400):
            chunk = rows[start:start + 400]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {TABLE} (entry, content) VALUES {values}",
                [value for row in chunk for value in row],
            )


def built_now():
    """The ``built`` entry for a build finishing now: in UTC, said so, since
    ``django.setup()`` has set the process's time zone to the project's
    ``TIME_ZONE``, which need not be the reader's."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def flatten(prefix, values):
    """``{"shop_item": "x"}`` -> ``{"table shop_item": "x"}``."""
    return {f"{prefix} {key}": value for key, value in values.items()}
