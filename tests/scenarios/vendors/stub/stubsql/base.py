"""Django's SQLite backend under another vendor name, as a third-party
backend nose-speedup has no package for would be."""
import contextlib

from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper


class DatabaseWrapper(SQLiteDatabaseWrapper):
    vendor = "stubsql"

    @contextlib.contextmanager
    def _nodb_cursor(self):
        # Outside the "sqlite" vendor, nose-speedup checks the server is up by
        # connecting without a database (Django's _nodb_cursor); a file has
        # no server, so this one connects to the file.
        with self.cursor() as cursor:
            yield cursor
