"""Write what the next test sees, in the databases a test uses: every table's rows (but
django_migrations, whose timestamps differ between builds) and every
sequence's value, as one JSON line per call, to the file FLUSH_STATE_FILE
names."""
import json
import os

from django.db import connections

SEQUENCES = {
    "postgresql": "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1",
    "sqlite": "SELECT name, seq FROM sqlite_sequence ORDER BY 1",
    "mysql": "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES "
             "WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1",
}


def snapshot(connection):
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(include_views=False)):
            if table == "django_migrations":
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            state[table] = sorted(repr(tuple(row)) for row in cursor.fetchall())
        cursor.execute(SEQUENCES[connection.vendor])
        state["<sequences>"] = [list(row) for row in cursor.fetchall()]
    return state


def record(label, aliases):
    path = os.environ.get("FLUSH_STATE_FILE")
    if path:
        state = {alias: snapshot(connections[alias]) for alias in sorted(aliases)}
        with open(path, "a") as file:
            file.write(json.dumps({"test": label, "state": state}) + "\n")
