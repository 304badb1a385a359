"""The artifact dump on SQLite: the database file itself, copied with
SQLite's backup API (see ``vendors.dump_base``)."""

import os
import shutil
import sqlite3

from nose_speedup.compat import django_testdb
from nose_speedup.vendors import marker
from nose_speedup.vendors.dump_base import DumpFailed


class SQLiteDump:
    vendor = "sqlite"
    method = "SQLite file (backup API)"

    def __init__(self, connection):
        self.connection = connection

    def dump(self, name, path):
        with sqlite3.connect(name) as source, sqlite3.connect(path) as target:
            source.backup(target)
        source.close()
        target.close()

    def load(self, name, path):
        django_testdb.close_connection_and_pool(self.connection)
        temporary = f"{name}.loading"
        shutil.copyfile(path, temporary)
        # A load cut short must read as an unfinished build, never as clean.
        try:
            with sqlite3.connect(temporary) as loading:
                loading.execute(
                    f"UPDATE {marker.TABLE} SET content = ? WHERE entry = ?",
                    (marker.BUILDING, marker.STATE),
                )
            loading.close()
        except sqlite3.Error as error:
            os.unlink(temporary)
            raise DumpFailed(f"its SQLite file cannot be read ({error})") from None
        os.replace(temporary, name)
