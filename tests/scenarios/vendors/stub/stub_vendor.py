"""The vendor of ``stubsql``: SQLite's, saying on stderr each time the run
asks it for its reuse backend, so that a test sees the lifecycle use it."""
import sys

from nose_speedup.vendors.sqlite import SQLite


class StubVendor(SQLite):
    name = "stubsql"

    def reuse_backend(self):
        print(f"stub vendor: reuse backend of {self.connection.alias!r}", file=sys.stderr)
        return super().reuse_backend()
