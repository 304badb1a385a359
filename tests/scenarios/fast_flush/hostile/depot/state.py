"""Write what the next test sees, in the databases a test uses: every table's rows (but
django_migrations, whose timestamps differ between builds) and every
sequence's value, as one JSON line per call, to the file FLUSH_STATE_FILE
names. On PostgreSQL the line also holds each table's file node (outside
the state compared with Django's): a TRUNCATE gives a table a new one, a
DELETE does not, so the lines show which tables a flush truncated."""
import json
import os

from django.db import connections

from tests.support.database_state import snapshot

FILE_NODES = ("SELECT c.relname, pg_relation_filenode(c.oid) FROM pg_class c "
              "WHERE c.relkind = 'r' AND pg_table_is_visible(c.oid)")


def file_nodes(connection):
    with connection.cursor() as cursor:
        cursor.execute(FILE_NODES)
        return dict(cursor.fetchall())


def record(label, aliases):
    path = os.environ.get("FLUSH_STATE_FILE")
    if path:
        state = {alias: snapshot(connections[alias]) for alias in sorted(aliases)}
        entry = {"test": label, "state": state}
        if connections["default"].vendor == "postgresql":
            entry["file_nodes"] = file_nodes(connections["default"])
        with open(path, "a") as file:
            file.write(json.dumps(entry) + "\n")
