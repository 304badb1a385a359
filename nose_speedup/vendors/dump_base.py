"""The shared flow of the artifact dumps: write a test database to one file,
and load that file into a new, empty test database. One class per vendor
(``vendors/<vendor>/dump.py``), chosen by the vendor's ``dump()`` and
``dump_for(method)``:

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
import shutil
import subprocess


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
