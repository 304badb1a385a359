"""Print the SQL of failing tests, as ``manage.py test --debug-sql`` does.

Load it (``manage.py test`` with ``Nose2TestRunner`` loads it) and switch it on::

    nose2 --plugin nose_speedup.plugins.debug_sql --django-debug-sql

Each failing or erroring test's report ends with the queries it ran (set-up
and tear-down included), in Django's log format. (Django also prints every
test's SQL at verbosity 2; this plugin does not.)

Hooks: ``startTestRun`` (turns on every connection's debug cursor),
``startTest``/``setTestOutcome``/``stopTest`` (one log buffer per test) and
``outcomeDetail`` (adds the SQL to the report).

.. code-block:: ini

    [debug-sql]
    always-on = False

nose2's ``mp`` plugin is refused at start-up by the django plugin; parallel
runs are ``nose_speedup.plugins.parallel``'s (``--django-parallel``).
"""

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.compat.nose2_compat import OncePerSession
from nose_speedup.core import debug_sql

SOURCE = "debug-sql plugin"

METADATA_KEY = "debug_sql"


class DebugSQLPlugin(Plugin, metaclass=OncePerSession):
    configSection = "debug-sql"
    commandLineSwitch = options.switch("debug_sql")

    def __init__(self):
        # nose2 reads always-on itself, taking any unknown word for False.
        self.config = config.StrictSection(self.session, self.configSection, SOURCE)
        options.read("debug_sql", self.config)
        self.recorder = debug_sql.QueryRecorder()

    def handleArgs(self, event):
        hooks.put_in_order(self.session)  # nose_speedup.hooks: the order of a run

    def startTestRun(self, event):
        debug_sql.log_every_query()

    def startTest(self, event):
        self.recorder.start()

    def setTestOutcome(self, event):
        recording = self.recorder.handler is not None  # not for class fixture errors
        if recording and event.exc_info is not None and not event.expected:
            event.metadata[METADATA_KEY] = self.recorder.recorded()

    def stopTest(self, event):
        self.recorder.stop()

    def outcomeDetail(self, event):
        sql = event.outcomeEvent.metadata.get(METADATA_KEY)
        if sql is not None:
            event.extraDetail += [debug_sql.SEPARATOR, sql]
