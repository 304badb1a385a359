"""One fresh database of the selected backend for a unit test file's
subprocess: ``run_on_database(code, name, base_dir)`` runs ``code`` (as
``run_snippet`` does) with ``connection`` bound to a new, empty database
named after ``name`` and ``name_suffix()`` (a file under ``base_dir`` on
SQLite), and drops it, with its ``_pristine`` copy, whatever ``code`` did.

``code`` may call ``make_model(table, **fields)``, which creates the table
of a throw-away model of the app label ``unit`` with Django's schema editor
(so every vendor gets its own primary key, sequence or AUTO_INCREMENT) and
returns the model class. A second alias, ``absent``, names a database that
does not exist; one ``code`` creates there is dropped too.
"""

import textwrap

from tests.support.databases import database_alias, selected_backend
from tests.support.django_snippet import run_snippet

PROLOGUE = """
import os
from django.db import connection, connections, models
from nose_speedup.compat import django_testdb


def _databases(connection):
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        root, extension = os.path.splitext(name)
        return [name, f"{root}_pristine{extension}"]
    return [name, f"{name}_pristine"]


def _drop_all(connection, create=False):
    django_testdb.close_connection_and_pool(connection)
    names = _databases(connection)
    if connection.vendor == "sqlite":
        for path in names:
            if os.path.exists(path):
                os.remove(path)
        return
    quote = connection.ops.quote_name
    force = " WITH (FORCE)" if connection.vendor == "postgresql" else ""
    with django_testdb.nodb_cursor(connection) as cursor:
        for name in names:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}{force}")
        if create:
            cursor.execute(f"CREATE DATABASE {quote(names[0])}")


def make_model(table, **fields):
    meta = type("Meta", (), {"app_label": "unit", "db_table": table})
    model = type(table, (models.Model,), {"__module__": "unit.models", "Meta": meta, **fields})
    with connection.schema_editor() as editor:
        editor.create_model(model)
    return model


_drop_all(connection, create=True)
"""


def unit_settings(name, base_dir):
    """DATABASES whose ``default`` NAME is the database the snippet makes."""
    backend = selected_backend()
    default = database_alias(f"unit_{name}", base_dir, backend)
    absent = database_alias(f"unit_{name}_absent", base_dir, backend)
    for alias in (default, absent):
        if backend != "sqlite":
            alias["NAME"] = alias["TEST"]["NAME"]  # the snippet's own database
    return {"default": default, "absent": absent}


def run_on_database(code, name, base_dir):
    body = textwrap.indent(textwrap.dedent(code), "    ")
    wrapped = (f"{PROLOGUE}\ntry:\n{body}\nfinally:\n    _drop_all(connection)\n"
               "    _drop_all(connections['absent'])\n")
    return run_snippet(wrapped, settings={"DATABASES": unit_settings(name, base_dir)})
