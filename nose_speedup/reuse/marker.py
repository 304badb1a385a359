"""The marker table kept in each reused test database.

One table of ours, ``nose_speedup_reuse``, with one row per entry:

``owner``              proves that nose-speedup built this database, and for
                       which settings module: a database without it is never
                       altered or dropped;
``state``              ``building`` (a build or restore is under way),
                       ``in use`` (a run is under way, or was killed),
                       ``dirty`` (the last run left rows behind) or ``clean``;
``reason``             why the database is dirty, said by the next run;
``fingerprint``        the digest of the manifest it was built from,
``built``, ``migrations``: when and from how many migrations;
``manifest <key>``     the manifest, to say what changed on a rebuild;
``table <name>``       the pristine signature of each table;
``counter <name>``     the pristine value of each sequence.

Django's flush lists only the tables of models, so ``TransactionTestCase``
never empties this one. Everything is read with one query.
"""

from django.db import DatabaseError, transaction

TABLE = "nose_speedup_reuse"
PREFIXES = ("manifest", "table", "counter")


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


def create(connection, owner):
    """Create the table in a new, empty database and claim it: ``building``."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {TABLE} (entry VARCHAR(255) PRIMARY KEY, content TEXT)")
    write(connection, {"owner": owner, "state": "building"})


def write(connection, entries):
    """Set ``entries`` (``None`` deletes one) and commit."""
    keys = list(entries)
    rows = [(key, str(value)) for key, value in entries.items() if value is not None]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE entry IN ({', '.join(['%s'] * len(chunk))})", chunk
            )
        if rows:
            cursor.executemany(f"INSERT INTO {TABLE} (entry, content) VALUES (%s, %s)", rows)


def flatten(prefix, values):
    """``{"shop_item": "x"}`` -> ``{"table shop_item": "x"}``."""
    return {f"{prefix} {key}": value for key, value in values.items()}
