"""A project's own ``connection_created`` receiver, beside contrib.postgres's:
each connection queries its own database, and, when ``NSP_CONNECTIONS_LOG``
names a file, appends ``alias NAME current_database()`` to it, so that a
test can see that no side connection made a receiver reach another
database (and that receivers were not disconnected)."""
import os

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def note_connection(sender, connection, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
    log = os.environ.get("NSP_CONNECTIONS_LOG")
    if log:
        with open(log, "a") as file:
            file.write(f"{connection.alias} {connection.settings_dict['NAME']} {database}\n")


class PgExtrasConfig(AppConfig):
    name = "pgextras"

    def ready(self):
        connection_created.connect(note_connection)
