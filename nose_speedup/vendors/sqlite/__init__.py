"""SQLite: a kept test database is a file (``reuse``), saved and loaded as
that file (``dump``); its flush probe looks for triggers (``probe``)."""

import re

from nose_speedup.vendors.base import Vendor


class SQLite(Vendor):
    name = "sqlite"
    dump_is_file = True

    def reuse_backend(self):
        from nose_speedup.vendors.sqlite.reuse import SQLiteBackend

        return SQLiteBackend(self.connection)

    def kept_name(self):
        from nose_speedup.vendors.sqlite.reuse import kept_file

        return kept_file(self.connection)

    def prepare_kept(self):
        from nose_speedup.vendors.sqlite.reuse import use_file

        use_file(self.connection)

    def dump_classes(self):
        from nose_speedup.vendors.sqlite.dump import SQLiteDump

        return (SQLiteDump,)

    def flush_probe(self):
        from nose_speedup.vendors.sqlite.probe import SQLiteProbe

        return SQLiteProbe(self.connection)

    def server_version(self):
        import sqlite3

        return re.sub(r"\..*", "", sqlite3.sqlite_version)
