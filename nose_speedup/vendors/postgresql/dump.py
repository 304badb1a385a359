"""The artifact dumps on PostgreSQL: ``pg_dump`` when one fits the server,
else the portable fallback of ``pgcopy`` (see ``vendors.dump_base``)."""

import re
import subprocess

from nose_speedup.vendors import marker
from nose_speedup.vendors.postgresql import major_version
from nose_speedup.vendors.dump_base import DumpFailed, ServerDump, _run, _tool
from nose_speedup.vendors.postgresql import pgcopy


class PostgreSQLDump(ServerDump):
    vendor = "postgresql"
    method = "pg_dump custom format"
    dump_tools, load_tools = ("pg_dump",), ("pg_restore",)

    def dump(self, name, path):
        parameters = ["--format=custom", "--compress=0", "--no-owner", "--no-privileges",
                      f"--exclude-table={marker.TABLE}", f"--file={path}"]
        args, env = self._command(self.dump_tools, name, parameters)
        _run(args, env)

    def load(self, name, path):
        args, env = self._command(self.load_tools, name, [])
        if args[-1] == name:  # psql's database argument: pg_restore's is --dbname
            args.pop()
        _run([*args, "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={name}", path], env)


class PostgreSQLCopyDump:
    """The fallback without ``pg_dump``: ``why`` says why it was chosen."""

    vendor = "postgresql"
    method = pgcopy.METHOD

    def __init__(self, connection, why=""):
        self.connection = connection
        self.why = why

    def dump(self, name, path):
        try:
            pgcopy.dump(self.connection, path)
        except pgcopy.Unsupported as error:
            raise DumpFailed(
                f"the fallback without pg_dump cannot copy {error}; install pg_dump "
                f"{major_version(self.connection)} or newer"
            ) from None

    def load(self, name, path):
        pgcopy.load(self.connection, path)


def _pg_dump_unfit(connection):
    """Why ``pg_dump`` cannot dump this server's databases, or ``None``."""
    tool = _tool("pg_dump")
    if tool is None:
        return "pg_dump is not installed"
    try:
        output = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
    except OSError as error:
        return f"pg_dump could not run ({error})"
    found = re.search(r"(\d+)\.", output)
    server = connection.pg_version // 10000
    if found is None or int(found.group(1)) < server:
        return f"pg_dump {found.group(1) if found else '?'} is older than the server ({server})"
    return None
