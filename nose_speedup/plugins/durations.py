"""Report the slowest tests, as ``manage.py test --durations N`` does.

Load it (``manage.py test`` with ``Nose2TestRunner`` loads it) and ask for
a report::

    nose2 --plugin nose_speedup.plugins.durations --django-durations 10

``--django-durations N`` prints the ``N`` slowest tests (``0`` for all)
before the ``Ran N tests`` line, in the format of Python 3.12's unittest
(which Django's ``--durations`` uses), on every supported Python. Tests
under a millisecond are hidden below verbosity 2.

Hooks: ``startTest``/``stopTest`` (timing) and ``beforeSummaryReport``.

.. code-block:: ini

    [test-durations]
    # how many of the slowest tests to show (0: all); empty for no report
    durations =

nose2's ``mp`` plugin is refused at start-up by the django plugin; parallel
runs are ``nose_speedup.plugins.parallel``'s (``--django-parallel``).
"""

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.compat.nose2_compat import OncePerSession
from nose_speedup.errors import ConfigurationError
from nose_speedup.timing import durations

SOURCE = "durations plugin"


def parse_count(text, where):
    try:
        count = int(text)
    except ValueError:
        count = -1
    if count < 0:
        raise ConfigurationError(
            SOURCE, f"{where} {text!r} is not a whole number >= 0; give N, or 0 for all tests"
        )
    return count


class DurationsPlugin(Plugin, metaclass=OncePerSession):
    configSection = "test-durations"
    alwaysOn = True

    def __init__(self):
        self.config = config.StrictSection(self.session, self.configSection, SOURCE)
        text = options.read("durations", self.config)["count"]
        self.count = parse_count(text, "[test-durations] durations") if text else None
        self.durations = None
        options.add_flags(self, self._set_option)

    def handleArgs(self, event):
        hooks.put_in_order(self.session)  # nose_speedup.hooks: the order of a run

    def _set_option(self, option, value):
        self.count = parse_count(value, option.flag)

    def startTestRun(self, event):
        if self.count is not None:
            self.durations = durations.Durations(self.count)

    def startTest(self, event):
        if self.durations is not None:
            self.durations.start(event.test)

    def stopTest(self, event):
        if self.durations is not None:
            self.durations.stop(event.test)

    def beforeSummaryReport(self, event):
        if self.durations is not None:
            for line in self.durations.report_lines(self.session.verbosity):
                event.stream.writeln(line)
