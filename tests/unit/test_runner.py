"""``manage.py test`` flags as ``Nose2TestRunner`` hands them to nose2.

Each command line is parsed by Django's own ``test`` command parser (which
adds the runner's options, as ``manage.py test`` does) and the runner is
built from the parsed options exactly as the command builds it; the nose2
arguments it returns are compared with those of the plain ``manage.py test``.
All cases run in one subprocess with a configured Django.
"""

import difflib

import pytest

from tests.support.django_snippet import run_snippet

# No database: the runner's mapping of flags to nose2 arguments.
pytestmark = pytest.mark.backend_independent

PLUGIN_MODULES = [
    "nose_speedup.plugins.django",
    "nose_speedup.plugins.bundling",
    "nose_speedup.plugins.reuse_db",
    "nose_speedup.plugins.selection",
    "nose_speedup.plugins.durations",
    "nose_speedup.plugins.debug_sql",
    "nose_speedup.plugins.parallel",
    "nose_speedup.plugins.timing",
    "nose_speedup.plugins.shards",
    "nose_speedup.plugins.fast_flush",
    "nose_speedup.plugins.affected",
]
DEFAULT_PLUGINS = [arg for module in PLUGIN_MODULES for arg in ("--plugin", module)]

# case: (manage.py test arguments, settings overridden)
CASES = {
    "plain": ([], {}),
    "keepdb": (["--keepdb"], {}),
    "failfast": (["--failfast"], {}),
    "verbosity": (["-v", "2"], {}),
    "verbosity-zero": (["--verbosity", "0"], {}),
    "noinput": (["--noinput"], {}),
    "shuffle": (["--shuffle"], {}),
    "shuffle-seed": (["--shuffle", "42"], {}),
    "reverse": (["--reverse"], {}),
    "reverse-short": (["-r"], {}),
    "buffer": (["-b"], {}),
    "top-level": (["-t", "src"], {}),
    "no-bundling": (["--no-fixture-bundling"], {}),
    "no-fast-flush": (["--no-fast-flush"], {}),
    "fast-flush-setting-off": ([], {"NOSE_FAST_FLUSH": False}),
    "labels": (["shop", "blog.tests.test_views"], {}),
    "passthrough": (["shop", "--", "--plugin", "nose2.plugins.junitxml", "--junit-xml"], {}),
    "settings": (["shop"], {"NOSE2_PLUGINS": ["nose2.plugins.junitxml",
                                             "nose_speedup.plugins.django"],
                            "NOSE2_ARGS": ["--junit-xml"]}),
    "settings-and-passthrough": (["shop", "--", "-B"], {"NOSE2_ARGS": ["--junit-xml"]}),
    "timing": (["--timing"], {}),
    "speedup-report": (["--speedup-report"], {}),
    "speedup-report-html": (["--speedup-report-html", "out/report.html"], {}),
    "shard": (["--shard", "2/4"], {}),
    "affected": (["--affected"], {}),
}

SNIPPET = """
import sys
from django.core.management.commands.test import Command
from django.test.utils import override_settings
from nose_speedup.runner import Nose2TestRunner

result = {}
for name, (argv, overrides) in CASES.items():
    sys.argv = ["manage.py", "test", *argv]
    with override_settings(**overrides):
        parser = Command().create_parser("manage.py", "test")
        options = vars(parser.parse_args(argv))
        labels = options.pop("args")
        runner = Nose2TestRunner(**options)
        result[name] = runner.nose2_arguments(labels)
"""


@pytest.fixture(scope="module")
def arguments():
    settings = {"TEST_RUNNER": "nose_speedup.runner.Nose2TestRunner"}
    return run_snippet(f"CASES = {CASES!r}\n{SNIPPET}", settings=settings)


def changes(before, after):
    """``(removed, added)``: what turns ``before`` into ``after``."""
    removed, added = [], []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += before[i1:i2]
            added += after[j1:j2]
    return removed, added


def test_plain_manage_py_test_runs_nose2_with_the_default_plugins_and_bundling(arguments):
    args = arguments["plain"]
    assert args[0] == "nose2"
    assert args[1:1 + len(DEFAULT_PLUGINS)] == DEFAULT_PLUGINS
    assert "--with-fixture-bundling" in args
    assert "--fast-flush" in args
    # Flags not typed leave unittest.cfg's values alone (the command line
    # beats the config only where it says something).
    for flag in ("--verbosity", "--django-interactive", "--django-noinput", "--reuse-db",
                 "--fail-fast", "--django-shuffle", "--django-reverse", "--output-buffer",
                 "--top-level-directory", "--django-parallel"):
        assert flag not in args


@pytest.mark.parametrize("case, removed, added", [
    ("keepdb", [], ["--reuse-db"]),
    ("failfast", [], ["--fail-fast"]),
    ("verbosity", [], ["--verbosity", "2"]),
    ("verbosity-zero", [], ["--verbosity", "0"]),
    ("noinput", [], ["--django-noinput"]),
    ("shuffle", [], ["--django-shuffle", "random"]),
    ("shuffle-seed", [], ["--django-shuffle", "42"]),
    ("reverse", [], ["--django-reverse"]),
    ("reverse-short", [], ["--django-reverse"]),
    ("buffer", [], ["--output-buffer"]),
    ("top-level", [], ["--top-level-directory", "src"]),
    ("no-bundling", ["--with-fixture-bundling"], ["--exclude-plugin", "nose_speedup.plugins.bundling"]),
    ("no-fast-flush", ["--fast-flush"], ["--exclude-plugin", "nose_speedup.plugins.fast_flush"]),
    ("fast-flush-setting-off", ["--fast-flush"],
     ["--exclude-plugin", "nose_speedup.plugins.fast_flush"]),
])
def test_django_flag_becomes_its_nose2_argument(arguments, case, removed, added):
    assert changes(arguments["plain"], arguments[case]) == (removed, added)


def test_verbosity_is_the_value_of_nose2s_verbosity_option(arguments):
    args = arguments["verbosity"]
    assert args[args.index("--verbosity") + 1] == "2"


def test_labels_come_last_in_the_order_given(arguments):
    assert arguments["labels"] == arguments["plain"] + ["shop", "blog.tests.test_views"]


def test_arguments_after_double_dash_go_to_nose2_before_the_labels(arguments):
    assert arguments["passthrough"] == arguments["plain"] + [
        "--plugin", "nose2.plugins.junitxml", "--junit-xml", "shop"
    ]


def test_nose2_plugins_setting_adds_plugins_once_and_nose2_args_precede_labels(arguments):
    args = arguments["settings"]
    plugins = [args[i + 1] for i, arg in enumerate(args) if arg == "--plugin"]
    assert plugins == [*PLUGIN_MODULES, "nose2.plugins.junitxml"]
    assert args[-2:] == ["--junit-xml", "shop"]


def test_nose2_args_setting_comes_before_the_double_dash_arguments(arguments):
    assert arguments["settings-and-passthrough"][-3:] == ["--junit-xml", "-B", "shop"]


def test_changes_names_what_was_removed_and_added():
    assert changes(["a", "1", "b"], ["a", "2", "b", "c"]) == (["1"], ["2", "c"])


@pytest.mark.parametrize("case, added", [
    ("timing", ["--django-timing", "--speedup-report"]),
    ("speedup-report", ["--speedup-report"]),
    ("speedup-report-html", ["--speedup-report-html", "out/report.html"]),
    ("shard", ["--shard", "2/4"]),
    ("affected", ["--affected"]),
])
def test_timing_report_and_shard_flags_map_onto_the_plugins_flags(arguments, case, added):
    assert changes(arguments["plain"], arguments[case]) == ([], added)
