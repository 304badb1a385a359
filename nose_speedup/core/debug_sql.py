"""Record the SQL each test runs, for ``manage.py test --debug-sql``.

Django's ``DebugSQLTextTestResult`` sends the ``django.db.backends`` logger
to a buffer for each test and prints the buffer under a failing test's
traceback. This does the same with Django's own log records (so the text is
Django's: ``(0.000) SELECT ...; args=...; alias=default``), and turns on the
debug cursor of every connection, as Django's ``setup_databases(debug_sql=True)``
does, so that queries are logged with ``DEBUG = False``.
"""

import io
import logging

LOGGER_NAME = "django.db.backends"
SEPARATOR = "-" * 70


def log_every_query():
    """What Django's ``setup_databases(debug_sql=True)`` does."""
    from django.db import connections

    for alias in connections:
        connections[alias].force_debug_cursor = True


class QueryRecorder:
    def __init__(self):
        self.logger = logging.getLogger(LOGGER_NAME)
        self.stream = None
        self.handler = None

    def start(self):
        self.logger.setLevel(logging.DEBUG)
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.logger.addHandler(self.handler)

    def stop(self):
        """Stop recording (nothing to do when ``start`` was not called)."""
        if self.handler is not None:
            self.logger.removeHandler(self.handler)
            self.handler = None

    def recorded(self):
        """The SQL logged since ``start``."""
        return self.stream.getvalue()
