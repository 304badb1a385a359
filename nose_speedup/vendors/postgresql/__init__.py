"""PostgreSQL: the reuse backend and what it may do with the test user's
rights (``reuse``, ``rights``), ``pg_dump`` dumps and their fallback
without it (``dump``, ``pgcopy``), the flush probe that picks ``DELETE``
or ``TRUNCATE`` per table (``probe``)."""

from nose_speedup.vendors.base import Vendor


def major_version(connection):
    return str(connection.pg_version // 10000)


class PostgreSQL(Vendor):
    name = "postgresql"
    lazy_commit = "SET LOCAL synchronous_commit = off"

    def reuse_backend(self):
        from nose_speedup.vendors.postgresql.reuse import PostgreSQLBackend

        return PostgreSQLBackend(self.connection)

    def dump_classes(self):
        from nose_speedup.vendors.postgresql.dump import PostgreSQLCopyDump, PostgreSQLDump

        return (PostgreSQLDump, PostgreSQLCopyDump)

    def dump(self):
        """``pg_dump`` when one fits the server, else the fallback, saying why."""
        from nose_speedup.vendors.postgresql.dump import (
            PostgreSQLCopyDump,
            PostgreSQLDump,
            _pg_dump_unfit,
        )

        why = _pg_dump_unfit(self.connection)
        return PostgreSQLCopyDump(self.connection, why) if why else PostgreSQLDump(self.connection)

    def flush_probe(self):
        from nose_speedup.vendors.postgresql.probe import PostgreSQLProbe

        return PostgreSQLProbe(self.connection)

    def server_version(self):
        return major_version(self.connection)
