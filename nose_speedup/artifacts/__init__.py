"""Test databases you can carry: CI cache artifacts keyed by the fingerprint.

A ``REUSE_DB=1`` run keeps its test databases and knows what they were built
from. This package lets them travel between machines:

``key``       the portable fingerprint key (a CI cache key);
``archive``   the artifact file: manifest, checksums, one dump per database;
``saving``    ``save``: the kept databases of today's code into an artifact;
``loading``   load one instead of building it, applying new migrations on
              top when the artifact was built from a prefix of them.

``command``   the command line, ``python -m nose_speedup.db`` (an alias kept
              in ``nose_speedup/db.py``) or ``python -m nose_speedup.artifacts``;
a run loads an artifact with ``[reuse-db] artifact = PATH``.

Each vendor writes a database to a file and loads it back with its own dump
(``nose_speedup.vendors``: ``vendors.for_connection(connection).dump()``,
``dump_for(method)``; PostgreSQL without ``pg_dump`` uses
``vendors.postgresql.pgcopy``: catalog DDL and ``COPY``).
"""
