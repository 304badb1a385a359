"""Fast flush: after each ``TransactionTestCase`` test, empty only the tables
that hold rows, instead of every table as Django's ``flush`` does.

On a schema of hundreds of tables, Django's flush after each
``TransactionTestCase`` test (one ``TRUNCATE`` of all tables on PostgreSQL, a
``DELETE`` per table on SQLite and MariaDB/MySQL) is most of such a test's
cost. This plugin finds the tables that hold rows with one query and empties
only those, with Django's own statements (on PostgreSQL a ``DELETE`` where
nothing can tell it from the ``TRUNCATE``, whose commit costs far more; a
table under row-level security is truncated after every test), leaving what
Django's flush leaves: the tables migrations filled are emptied too,
``post_migrate`` runs again exactly when Django runs it (not with
``available_apps`` or ``serialized_rollback``; on PostgreSQL the rows
``contenttypes`` and ``auth`` write are replayed once two real runs
agreed), sequences are not reset (``reset_sequences = True``
still resets them before each test, as Django does), and with
``available_apps`` the tables referencing the listed ones are emptied as
Django's cascade empties them. ``nose_speedup/fast_flush/`` says why this
is the same end state, and when it is not shown to be: then Django's flush
runs, and the closing line says how often and why (a trigger the flush
could fire, a foreign key into the flushed tables from a table Django does
not flush on PostgreSQL, an app overriding the ``flush`` command...).

Switch it on with ``--fast-flush`` or in the config::

    nose2 --plugin nose_speedup.plugins.django \\
          --plugin nose_speedup.plugins.fast_flush --fast-flush

    [unittest]
    plugins = nose_speedup.plugins.django
              nose_speedup.plugins.fast_flush

    [fast-flush]
    always-on = False

Under ``manage.py test`` (``Nose2TestRunner``) it is on by default;
``manage.py test --no-fast-flush`` or the setting ``NOSE_FAST_FLUSH = False``
runs Django's flush instead.

Hooks:

* ``startTestRun``: puts the fast flush in the place of Django's ``flush``
  call in ``TransactionTestCase`` teardown (every other command still runs
  as Django runs it);
* ``stopTestRun``: puts Django's back;
* ``recordWorkerFlushes`` (a hook of the parallel plugin's): adds what the
  fast flushes of its worker processes did;
* ``afterSummaryReport``: one line, e.g. ``fast-flush: 100
  TransactionTestCase flushes emptied 312 non-empty tables (Django's flush
  empties 20600); post_migrate's rows replayed 98 times``, and each reason
  Django's flush ran instead; nothing when no ``TransactionTestCase`` test
  ran.

It needs Django configured by the django plugin (or ``manage.py test``).
Under ``--django-parallel`` (``nose_speedup.plugins.parallel``) the worker
processes flush as this plugin does when it is switched on, and as Django
does when not; the closing line counts the workers' flushes and fallbacks
with the main process's (all but those of a unit whose worker died).
"""

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.compat.nose2_compat import OncePerSession
from nose_speedup.errors import ConfigurationError

SOURCE = "fast-flush"


class FastFlushPlugin(Plugin, metaclass=OncePerSession):
    configSection = "fast-flush"
    commandLineSwitch = options.switch("fast_flush")

    def __init__(self):
        # nose2 reads always-on itself, taking any unknown word for False.
        self.config = config.StrictSection(self.session, self.configSection, SOURCE)
        options.read("fast_flush", self.config)
        # The run's nose_speedup.fast_flush.FastFlush, for the closing line.
        self.flush = None
        hooks.declare(self)  # recordWorkerFlushes: the parallel plugin's

    def handleArgs(self, event):
        hooks.put_in_order(self.session)  # nose_speedup.hooks: the order of a run

    def startTestRun(self, event):
        from django.conf import settings

        if not settings.configured:
            raise ConfigurationError(
                SOURCE,
                "needs Django configured; load the django plugin "
                "(--plugin nose_speedup.plugins.django) or run manage.py test",
            )
        from nose_speedup.fast_flush import FastFlush

        self.flush = FastFlush()
        self.flush.install()

    def stopTestRun(self, event):
        if self.flush is not None:
            self.flush.uninstall()

    def recordWorkerFlushes(self, event):
        if self.flush is not None:
            for figures in event.figures:
                self.flush.add_figures(figures)

    def afterSummaryReport(self, event):
        line = self.flush.summary() if self.flush is not None else None
        if line:
            event.stream.writeln(line)
