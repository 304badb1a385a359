"""A nose2 plugin for benchmarks: count the database connections a run
opens (``connection_created``) and print ``connection probe: N connections
opened`` after the summary. Load with ``--plugin benchmarks.connection_probe``
(the repository root on ``PYTHONPATH``)."""

from nose2.events import Plugin


class ConnectionProbe(Plugin):
    alwaysOn = True

    def __init__(self):
        from django.db.backends.signals import connection_created

        self.opened = 0
        connection_created.connect(self.count, weak=False)

    def count(self, sender, connection, **kwargs):
        self.opened += 1

    def afterSummaryReport(self, event):
        event.stream.writeln(f"connection probe: {self.opened} connections opened")
