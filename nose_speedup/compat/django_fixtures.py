"""Fixture loading as Django's ``TestCase.setUpClass`` does it, keeping what
``loaddata`` knows and does not return: which models it loaded (to reset
their sequences again after a rollback) and how many rows.

``loaddata`` keeps ``models`` and ``loaded_object_count`` on the command
object (undocumented, 4.2-6.x); the sequence reset is the one its
``reset_sequences`` does, through the backend's public ``ops``.
"""

from django.core.management import BaseCommand, call_command, get_commands, load_command_class
from django.core.management.color import no_style
from django.db import connections

from nose_speedup.compat.django_testcase import database_names


def load_fixtures(test_class):
    """``loaddata`` of ``test_class.fixtures`` on each non-mirror database,
    with the arguments ``TestCase.setUpClass`` uses. Return ``({alias:
    models}, rows)``: the models whose sequences ``loaddata`` reset after
    loading (its ``models``, kept on the command object since Django 1.x) and
    the rows it loaded (its ``loaded_object_count``)."""
    loaded, rows = {}, 0
    for db_name in database_names(test_class, include_mirrors=False):
        # The loaddata command call_command("loaddata") would run (an app
        # may override it), kept to read which models it loaded.
        app_name = get_commands()["loaddata"]
        command = (
            app_name if isinstance(app_name, BaseCommand)
            else load_command_class(app_name, "loaddata")
        )
        call_command(command, *test_class.fixtures, verbosity=0, database=db_name)
        loaded[db_name] = set(getattr(command, "models", ()))
        rows += getattr(command, "loaded_object_count", 0) or 0
    return loaded, rows


def reset_sequences(loaded_models):
    """Reset the sequences ``loaddata`` reset after loading ``loaded_models``
    (``{alias: models}``), as its ``reset_sequences`` does: PostgreSQL gets
    one ``setval`` per model, SQLite and MySQL/MariaDB none (their backends
    return no SQL; SQLite's rowids follow max(pk) by themselves)."""
    for alias, models in loaded_models.items():
        if not models:
            continue
        connection = connections[alias]
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
