"""Per vendor: write a test database to one file, and load that file into a
new, empty test database. One class per vendor, chosen by ``for_vendor``.

* SQLite: the database file itself, copied with SQLite's backup API.
* PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore
  --single-transaction`` (schema, rows, sequence values; no owner, no
  grants). ``pg_dump`` must be at least as new as the server, which it
  checks itself; ``pg_restore`` must be at least as new as the ``pg_dump``
  that wrote the file. Without a ``pg_dump`` that fits the server, the save
  uses the portable fallback of ``pgcopy`` (catalog DDL and ``COPY`` through
  psycopg, loaded by psycopg alone) and says why. A load uses the method the
  artifact was written with; one that cannot run (no ``pg_restore``) falls
  back to building the database, saying why.
* MariaDB/MySQL: ``mariadb-dump`` (or ``mysqldump``) ``--single-transaction
  --routines --triggers``, loaded with the ``mariadb`` (or ``mysql``)
  client.

The marker table of the reuse machinery is left out of server dumps: a load
creates its own first, so that a load cut short is never a database with
tables and no marker. Connection options come from Django's own
``dbshell`` client (``connection.client.settings_to_cmd_args_env``).
"""

import os
import re
import shutil
import sqlite3
import subprocess

from nose_speedup.artifacts import pgcopy
from nose_speedup.compat import django_testdb
from nose_speedup.reuse import marker


class DumpFailed(Exception):
    """A dump or load did not work; the message is one line."""


def _run(args, env, stdin=None):
    try:
        completed = subprocess.run(
            args, env={**os.environ, **(env or {})}, stdin=stdin or subprocess.DEVNULL,
            capture_output=True, text=True,
        )
    except OSError as error:
        raise DumpFailed(f"{args[0]} could not run ({error})") from None
    if completed.returncode != 0:
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        why = lines[0] if lines else f"exit code {completed.returncode}"
        raise DumpFailed(f"{os.path.basename(args[0])} failed: {why}")


def _tool(*names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


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


class ServerDump:
    """The shared flow of the client-tool dumps."""

    vendor = method = None
    dump_tools = load_tools = ()

    def __init__(self, connection):
        self.connection = connection

    def _command(self, tools, name, parameters):
        tool = _tool(*tools)
        if tool is None:
            raise DumpFailed(
                f"none of {', '.join(tools)} is installed: install the {self.vendor} client "
                "tools matching the server's version"
            )
        settings_dict = {**self.connection.settings_dict, "NAME": name}
        args, env = self.connection.client.settings_to_cmd_args_env(settings_dict, parameters)
        return [tool, *args[1:]], env


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
                f"{server_version(self.connection)} or newer"
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


class MySQLDump(ServerDump):
    vendor = "mysql"
    method = "mariadb-dump SQL"
    dump_tools, load_tools = ("mariadb-dump", "mysqldump"), ("mariadb", "mysql")

    def dump(self, name, path):
        parameters = ["--single-transaction", "--routines", "--triggers", "--skip-comments",
                      "--hex-blob", "--no-create-db", f"--ignore-table={name}.{marker.TABLE}",
                      f"--result-file={path}"]
        args, env = self._command(self.dump_tools, name, parameters)
        _run(args, env)

    def load(self, name, path):
        args, env = self._command(self.load_tools, name, [])
        with open(path, "rb") as dump:
            _run(args, env, stdin=dump)


DUMPS = (SQLiteDump, PostgreSQLDump, PostgreSQLCopyDump, MySQLDump)


def for_connection(connection):
    """The way to save the database ``connection`` points at."""
    if connection.vendor == "postgresql":
        why = _pg_dump_unfit(connection)
        return PostgreSQLCopyDump(connection, why) if why else PostgreSQLDump(connection)
    for dump in DUMPS:
        if dump.vendor == connection.vendor:
            return dump(connection)
    return None


def for_method(connection, method):
    """The way to load a dump written with ``method``, or ``None``."""
    for dump in DUMPS:
        if dump.vendor == connection.vendor and dump.method == method:
            return dump(connection)
    return None


def server_version(connection):
    """The server's major version, to say which client tools fit."""
    if connection.vendor == "postgresql":
        return str(connection.pg_version // 10000)
    if connection.vendor == "mysql":
        return ".".join(str(part) for part in connection.mysql_version[:2])
    return re.sub(r"\..*", "", sqlite3.sqlite_version)
