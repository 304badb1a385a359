"""Every option of every plugin, declared once.

One ``Option`` says everything about a setting a user can give: the plugin
that reads it, its config section and key, its nose2 flag, its ``manage.py
test`` flag, its kind, default and help. That one declaration drives

* the plugins' strict config reading (``nose_speedup.config.StrictSection``
  reads only declared keys, each by its kind, and names any other key);
* the plugins' nose2 flags (``add_flags``);
* ``Nose2TestRunner``'s own arguments and its mapping of every
  ``manage.py test`` flag onto the nose2 flag (``nose_speedup.runner``);
* the option reference of the documentation, generated from ``OPTIONS``;
* ``tests/test_options.py``, which fails when a declared option is not wired
  or a plugin reads a key not declared here.

Adding a flag shared by nose2 and ``manage.py test`` is one ``Option`` here
and the code in its feature module that uses the value.

Kinds: ``switch``, a flag without a value (its config key, if any, is a
boolean); ``bool``, a boolean config key without a flag; ``int``, ``float``,
``str``, ``path``, ``list`` (one value per line; a repeatable flag), and
``choice`` (one of ``choices``).
"""

from dataclasses import dataclass
from typing import Callable


SWITCH, BOOL, INT, FLOAT, STR, PATH, LIST, CHOICE = (
    "switch", "bool", "int", "float", "str", "path", "list", "choice"
)
PLUGIN_PACKAGE = "nose_speedup.plugins"


@dataclass(frozen=True)
class Option:
    plugin: str  # plugin module under nose_speedup.plugins, e.g. "parallel"
    section: str  # config section, e.g. "django"
    key: str | None  # hyphenated config key; None: no config key
    flag: str | None  # nose2 flag, e.g. "--django-parallel"; None: config only
    runner_flag: str | None  # manage.py test flag, e.g. "--parallel"; None: not offered
    kind: str  # SWITCH, BOOL, INT, FLOAT, STR, PATH, LIST or CHOICE
    default: object
    help: str  # one sentence: --help text and the documentation table's cell
    choices: tuple = ()
    environment: str | None = None  # an environment variable that sets it, e.g. "REUSE_DB"
    # The plugin attribute the value lands in (default: the key, snake_case).
    attribute: str | None = None
    # What a switch sets its attribute to.
    const: object = True
    # The least number accepted (int, float).
    minimum: float | None = None
    # For str: turns the text into the value, raising ValueError when bad;
    # ``accepted`` says what it takes, for the error.
    parse: Callable | None = None
    accepted: str = ""
    metavar: str | None = None
    # manage.py test: the attribute of Nose2TestRunner the runner flag sets,
    # and whether the flag is the runner's own (else Django's DiscoverRunner's).
    runner_dest: str | None = None
    runner_own: bool = False
    # The runner value that turns a switch's nose2 flag on.
    runner_value: object = True
    # The runner's own flag: its help when it says the opposite of ``help``
    # (``--no-fast-flush``), and the type of its value.
    runner_help: str = ""
    runner_type: Callable | None = None

    @property
    def module(self):
        return f"{PLUGIN_PACKAGE}.{self.plugin}"

    @property
    def name(self):
        """The attribute the plugin keeps the value in."""
        if self.attribute:
            return self.attribute
        return (self.key or self.flag.lstrip("-")).replace("-", "_")


def _dotted_name(text):
    if text and not all(part.isidentifier() for part in text.split(".")):
        raise ValueError(text)
    return text


def _seed(text):
    if text and text != "random":
        int(text)
    return text


OPTIONS = (
    # django: the Django side of a run
    Option("django", "django", "settings", "--django-settings", "--settings", STR, "",
           "Django settings module; DJANGO_SETTINGS_MODULE when empty",
           environment="DJANGO_SETTINGS_MODULE", attribute="settings_module",
           parse=_dotted_name, accepted="a dotted module name, e.g. mysite.settings"),
    Option("django", "django", "interactive", "--django-interactive", None, SWITCH, None,
           "Ask before destroying an old test database (unset: ask when stdin is a terminal)"),
    Option("django", "django", None, "--django-noinput", "--noinput", SWITCH, False,
           "Never ask before destroying an old test database",
           attribute="interactive", const=False, runner_dest="interactive",
           runner_value=False),
    Option("django", "django", "shuffle", "--django-shuffle", "--shuffle", STR, "",
           "Shuffle like Django's --shuffle: a seed, or 'random'",
           attribute="shuffle_seed", parse=_seed,
           accepted="a whole number, 'random', or empty for no shuffling"),
    Option("django", "django", "reverse", "--django-reverse", "--reverse", SWITCH, False,
           "Reverse each group's order", runner_dest="reverse"),
    Option("django", "django", "timing", "--django-timing", "--timing", SWITCH, False,
           "Print Django's --timing report"),
    Option("django", "django", "debug-mode", "--django-debug-mode", "--debug-mode", SWITCH,
           False, "Set DEBUG = True, as Django's --debug-mode", runner_dest="debug_mode"),
    Option("django", "django", "progress-after", None, None, FLOAT, 2.0,
           "Seconds a database build runs before its progress shows", minimum=0),
    Option("django", "django", "nose2-collection", "--django-nose2-collection", None, SWITCH,
           False, "Also collect test functions, generators and Test* classes, as nose2 does"),
    Option("django", "django", "collect-at-exit", None, None, BOOL, True,
           "Run the interpreter's last garbage collection at exit; False saves 0.1-0.3 s "
           "but skips finalizers of objects in cycles (unflushed writes are lost)"),
    # fixture bundling
    Option("bundling", "fixture-bundling", "always-on", "--with-fixture-bundling",
           "--no-fixture-bundling", SWITCH, False,
           "Load each set of fixtures once for all FastFixtureTestCase classes sharing it",
           runner_dest="bundling", runner_own=True,
           runner_help="Load fixtures per class, as Django does, instead of once per bundle"),
    Option("bundling", "fixture-bundling", "testcases", None, None, CHOICE, "fast",
           "Which classes bundle: fast (FastFixtureTestCase only) or all (every "
           "django.test.TestCase with fixtures)", choices=("fast", "all")),
    Option("bundling", "fixture-bundling", None, "--bundle-testcases", "--bundle-testcases",
           SWITCH, False, "Bundle plain django.test.TestCase classes with fixtures too "
           "(testcases = all; switches bundling on)", attribute="testcases", const="all",
           runner_dest="bundle_testcases", runner_own=True),
    # keeping test databases
    Option("reuse_db", "reuse-db", "reuse", "--reuse-db", "--keepdb", SWITCH, False,
           "Keep test databases and reuse them (REUSE_DB=1)", environment="REUSE_DB",
           runner_dest="keepdb"),
    Option("reuse_db", "reuse-db", None, "--create-db", None, SWITCH, False,
           "Rebuild the kept test databases (REUSE_DB=reset)", attribute="create_db"),
    Option("reuse_db", "reuse-db", "lock-timeout", None, None, FLOAT, 300.0,
           "Seconds to wait for another run, or client, using the same test database",
           minimum=0),
    Option("reuse_db", "reuse-db", "artifact", None, None, PATH, "",
           "An artifact (python -m nose_speedup.db save PATH) to load test databases from"),
    # parallel runs (its key lives in the django plugin's section)
    Option("parallel", "django", "parallel", "--django-parallel", "--parallel", STR, "",
           "Run in N processes (N, auto or auto-K), each fixture bundle whole",
           attribute="value", metavar="N", runner_dest="parallel"),
    Option("parallel", "django", None, "--django-parallel-source", None, CHOICE, "nose2",
           "Whose flag the run's lines name for the processes: nose2's --django-parallel, "
           "or manage.py test's --parallel (Nose2TestRunner gives manage.py)",
           choices=("nose2", "manage.py"), attribute="source"),
    # fast flush
    Option("fast_flush", "fast-flush", "always-on", "--fast-flush", "--no-fast-flush",
           SWITCH, False,
           "After each TransactionTestCase test, empty only the tables that hold rows",
           runner_dest="fast_flush", runner_own=True,
           runner_help="Empty every table after each TransactionTestCase test, as Django "
           "does, instead of only the tables that hold rows"),
    # selection
    Option("selection", "test-selection", "name-patterns", "--django-name-pattern", "-k",
           LIST, [], "Run only tests whose id matches PATTERN (Django's -k); repeatable",
           runner_dest="test_name_patterns"),
    Option("selection", "test-selection", "tags", "--django-tag", "--tag", LIST, [],
           "Run only tests with this tag (Django's --tag); repeatable", runner_dest="tags"),
    Option("selection", "test-selection", "exclude-tags", "--django-exclude-tag",
           "--exclude-tag", LIST, [],
           "Do not run tests with this tag (Django's --exclude-tag); repeatable",
           runner_dest="exclude_tags"),
    # reports
    Option("durations", "test-durations", "durations", "--django-durations", "--durations",
           STR, "", "Show the N slowest tests (0 for all), like Django's --durations",
           attribute="count", metavar="N", runner_dest="durations", runner_own=True,
           runner_type=int),
    Option("debug_sql", "debug-sql", "always-on", "--django-debug-sql", "--debug-sql",
           SWITCH, False, "Print the SQL of failing tests", runner_dest="debug_sql"),
    Option("timing", "timing", "durations-file", None, None, PATH, "",
           "Where durations are kept; .nose-speedup/durations.json when empty",
           attribute="path"),
    Option("timing", "timing", "record", None, None, BOOL, True,
           "Merge this run's figures into the durations file"),
    Option("timing", "timing", "report", "--speedup-report", "--speedup-report", SWITCH,
           False, "Print where the time went: database phases, fixture loads, slowest "
           "set-ups and tests, and which TestCase classes would bundle",
           runner_dest="speedup_report", runner_own=True),
    Option("timing", "timing", "report-html", "--speedup-report-html",
           "--speedup-report-html", PATH, "",
           "Write an HTML report of the run to PATH: a timeline per process, slowest classes",
           attribute="html_path", metavar="PATH", runner_dest="speedup_report_html",
           runner_own=True),
    Option("timing", "timing", "report-count", None, None, INT, 10,
           "Entries per list in the report", attribute="count", minimum=0),
    # shards
    Option("shards", "shards", "shard", "--shard", "--shard", STR, "",
           "Run part I of N of the suite (I/N), bundles whole, balanced by recorded durations",
           attribute="value", metavar="I/N", runner_dest="shard", runner_own=True),
    # running only what a change can affect
    Option("affected", "affected", None, "--affected", "--affected", SWITCH, False,
           "Run only the tests a change since the last run can affect, and record what "
           "each test uses", attribute="selecting", runner_dest="affected", runner_own=True),
    Option("affected", "affected", "record", None, None, BOOL, False,
           "Record what each test uses in every run, with or without --affected"),
    # the smaller speed-ups (manage.py test: the NOSE_SPEEDUPS setting)
    Option("speedups", "speedups", "memory-sessions", "--memory-sessions", None, SWITCH,
           False, "Store sessions in a local-memory cache for the run"),
    Option("speedups", "speedups", "suspend-signals", "--suspend-signals", None, SWITCH,
           False, "SUSPEND_SIGNALS=True: @suspendingreceiver receivers idle"),
    Option("speedups", "speedups", "keep-connections", "--keep-connections", None, SWITCH,
           False, "Keep connections open between TestCase classes when safe"),
    Option("speedups", "speedups", "fast-settings", "--fast-settings", None, SWITCH, False,
           "Use a fast password hasher"),
)


def of_plugin(plugin):
    """The options of plugin module ``plugin`` (e.g. ``"django"``)."""
    return tuple(option for option in OPTIONS if option.plugin == plugin)


def in_section(section):
    """The options kept in config section ``section``."""
    return tuple(option for option in OPTIONS if option.section == section and option.key)


def find(section, key):
    """The option of ``key`` in ``section``."""
    (option,) = [o for o in OPTIONS if o.section == section and o.key == key]
    return option


def find_flag(flag):
    """The option of nose2 flag ``flag``."""
    (option,) = [o for o in OPTIONS if o.flag == flag]
    return option


def switch(plugin):
    """``commandLineSwitch`` of a plugin switched on by its flag (nose2
    reads ``always-on`` for it)."""
    (option,) = [o for o in of_plugin(plugin) if o.key == "always-on"]
    return (None, option.flag.lstrip("-"), option.help)


def read(plugin, section):
    """``{attribute: value}`` of the config keys ``plugin`` reads from
    ``section`` (a ``StrictSection``), each by its kind; then any key no
    option declares stops the run."""
    values = {}
    for option in of_plugin(plugin):
        if option.key and option.key != "always-on" and option.section == section.section:
            values[option.name] = section.read_option(option)
    section.refuse_unknown_keys()
    return values


def add_flags(plugin, set_value, module=None):
    """Give ``plugin`` the nose2 flags its options declare; each calls
    ``set_value(option, value)``. The switch nose2 itself registers
    (``commandLineSwitch``) is left to nose2."""
    for option in of_plugin(module or type(plugin).__module__.rsplit(".", 1)[-1]):
        if option.flag is None or option.key == "always-on":
            continue
        name = option.flag.lstrip("-")
        if option.kind == SWITCH:
            plugin.addFlag(_constant(set_value, option), None, name, option.help)
        else:
            plugin.addArgument(_values(set_value, option), None, name, option.help)


ALL_PLUGINS = f"{PLUGIN_PACKAGE}.all"


def _constant(set_value, option):
    return lambda _: set_value(option, option.const)


def _values(set_value, option):
    if option.kind == LIST:
        return lambda values: set_value(option, list(values))
    return lambda values: set_value(option, values[0])
