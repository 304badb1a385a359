"""Write what the next test sees, in the databases a test uses: every table's rows (but
django_migrations, whose timestamps differ between builds) and every
sequence's value, as one JSON line per call, to the file FLUSH_STATE_FILE
names."""
import json
import os

from django.db import connections

from tests.support.database_state import snapshot


def record(label, aliases):
    path = os.environ.get("FLUSH_STATE_FILE")
    if path:
        state = {alias: snapshot(connections[alias]) for alias in sorted(aliases)}
        with open(path, "a") as file:
            file.write(json.dumps({"test": label, "state": state}) + "\n")
