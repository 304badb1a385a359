from django.apps import AppConfig


def count_connection(sender, connection, **kwargs):
    from desk.report import record

    record("connection_opened", connection.alias)


class DeskConfig(AppConfig):
    name = "desk"

    def ready(self):
        from django.db.backends.signals import connection_created

        connection_created.connect(count_connection, dispatch_uid="desk.count_connection")
