"""Load each set of fixtures once for all the test classes that share it.

Django's ``TestCase`` loads ``fixtures`` once per class; a suite of 60 classes
sharing 6 fixture sets loads them 60 times. This plugin groups the
``nose_speedup.FastFixtureTestCase`` classes whose ``fixtures`` name the same
list and that use the same ``databases``, ``available_apps`` and class-level
settings overrides into *bundles*, runs each bundle's classes one after the
other, and has the first load the fixtures once, in a transaction per
database that spans the bundle.
Each class's ``setUpTestData`` runs in a savepoint inside it and each test in
Django's own per-test atomic block; all are rolled back, the bundle's
transaction last, so nothing is ever committed and what tests prove does not
change. At the end it prints one line with the real figures::

    fixture bundling: 60 classes in 6 bundles; fixtures loaded 6 times instead of 60

What stays as Django has it: a class with ``exempt_from_fixture_bundling =
True``, one without ``fixtures``, one alone with its fixtures, and every class
on a database without transactions or savepoints (the end of the run says so
in one line). A fixture that fails to load fails its bundle's classes with an
error that names the class, the fixture and the fix; other bundles run on.

Hooks:

* ``handleArgs``: stops the run unless the django plugin
  (``nose_speedup.plugins.django``) is loaded, as bundling needs its test
  databases and Django's test ordering;
* ``startTestRun``: wraps ``executeTests``. The wrapper runs after every
  plugin's ``startTestRun`` (the django plugin's ordering and shuffling among
  them), moves each bundle to where its first class stands, tells each class
  its part through public attributes (``fixture_bundle``,
  ``sets_up_fixture_bundle``, ``tears_down_fixture_bundle``) and runs the
  tests through ``nose_speedup.bundling.suite``: it rolls each bundle back
  before the next class outside it starts, however its classes ended, and
  runs each module's ``setUpModule``/``tearDownModule`` as often as Django's
  runner would. Afterwards it rolls back any bundle a KeyboardInterrupt left
  open, before the django plugin destroys the databases;
* ``afterSummaryReport``: the closing line.

Switch it on with ``--with-fixture-bundling`` or in the config::

    [unittest]
    plugins = nose_speedup.plugins.django
              nose_speedup.plugins.bundling

    [fixture-bundling]
    # bundle on every run, without --with-fixture-bundling
    always-on = False
    # which classes bundle: fast (FastFixtureTestCase classes only) or all
    # (every django.test.TestCase with fixtures, without a code change:
    # each then bundles exactly as a FastFixtureTestCase would, and may join
    # a FastFixtureTestCase bundle of its fixtures); --bundle-testcases
    # (manage.py test --bundle-testcases) is all, and switches bundling on
    testcases = fast

nose2's ``mp`` plugin is refused at start-up by the django plugin: it would
split bundles across processes. ``--django-parallel`` (the parallel plugin)
runs each bundle whole in one worker.
"""

from nose2.events import Plugin

from nose_speedup import config, hooks, options
from nose_speedup.bundling import rule
from nose_speedup.compat.nose2_compat import OncePerSession, registered_plugins_from
from nose_speedup.errors import ConfigurationError

DJANGO_PLUGIN_MODULE = "nose_speedup.plugins.django"
# Prints the counts line itself, with what bundling saved, when loaded.
TIMING_PLUGIN_MODULE = "nose_speedup.plugins.timing"


def mode_of(session):
    """The bundling mode of ``session``'s switched-on bundling plugin
    (``rule.FAST``/``rule.ALL``), or ``None`` when bundling is off: what the
    parallel and shards plugins group by."""
    plugins = registered_plugins_from(session, __name__)
    return plugins[0].testcases if plugins else None


class FixtureBundling(Plugin, metaclass=OncePerSession):
    configSection = "fixture-bundling"
    commandLineSwitch = options.switch("bundling")

    def __init__(self):
        # nose2 reads always-on itself, taking any unknown word for False.
        self.config = config.StrictSection(self.session, self.configSection, "fixture-bundling")
        # Its keys and flags besides always-on and the switch, each an attribute.
        for name, value in options.read("bundling", self.config).items():
            setattr(self, name, value)
        options.add_flags(self, self._set_option)
        # The BundledRun of the current run, for the closing line.
        self.run = None

    def _set_option(self, option, value):
        setattr(self, option.name, value)
        if value == rule.ALL and not self.registered:  # --bundle-testcases switches it on
            self.register()

    def handleArgs(self, event):
        hooks.put_in_order(self.session)
        # nose2 calls handleArgs on every loaded plugin, switched on or not.
        if self.registered and not registered_plugins_from(self.session, DJANGO_PLUGIN_MODULE):
            raise ConfigurationError(
                "fixture-bundling",
                f"the django plugin is not loaded, and bundling needs its test databases; "
                f"add '--plugin {DJANGO_PLUGIN_MODULE}' to the command line or "
                f"'{DJANGO_PLUGIN_MODULE}' to 'plugins' in the [unittest] section",
            )

    def startTestRun(self, event):
        inner = event.executeTests

        def execute_in_bundles(suite, result):
            from django.test.utils import iter_test_cases

            from nose_speedup.bundling.plan import BundledRun

            self.run = BundledRun(iter_test_cases(suite), self.testcases)
            recorder = hooks.find_recorder(self.session)
            if recorder is not None:  # the timing plugin counts what bundles did
                recorder.note_bundled_run(self.run)
            try:
                inner(self.run.suite, result)
            finally:
                self.run.finish()

        event.executeTests = execute_in_bundles

    def afterSummaryReport(self, event):
        if self.run is not None:
            timing = registered_plugins_from(self.session, TIMING_PLUGIN_MODULE)
            for line in self.run.summary_lines(with_counts=not timing):
                event.stream.writeln(line)
