"""The docs' option reference (``docs/_ext/option_reference.py``) renders
``nose_speedup.options.OPTIONS``: tested on stand-in ``Option``-like objects,
without Sphinx, and its fallback and CI-mode error on stand-in modules."""

import importlib
import sys
import textwrap
from collections import namedtuple

import pytest

from tests.support.nose2run import REPO_ROOT

pytestmark = pytest.mark.backend_independent

sys.path.insert(0, str(REPO_ROOT / "docs" / "_ext"))
option_reference = importlib.import_module("option_reference")
sys.path.remove(str(REPO_ROOT / "docs" / "_ext"))

Option = namedtuple("Option", "plugin section key flag runner_flag kind default help choices "
                              "environment")

OPTIONS = (
    Option("bundling", "fixture-bundling", "always-on", "--with-fixture-bundling",
           "--no-fixture-bundling", "bool", False, "Bundle classes that share fixtures.", (),
           None),
    Option("reuse_db", "reuse-db", "reuse", "--reuse-db", "--keepdb", "bool", False,
           "Keep test databases and reuse them.", (), "REUSE_DB"),
    Option("reuse_db", "reuse-db", "lock-timeout", None, None, "float", 300,
           "Seconds to wait for another run's lock.", (), None),
    Option("timing", "timing", None, "--speedup-report", "--speedup-report", "switch", False,
           "Print where the time went.", (), None),
    Option("django", "django", "shuffle", "--django-shuffle", "--shuffle", "choice", "",
           "Shuffle the   order\n  like Django.", ("random", "SEED"), None),
    Option("selection", "test-selection", "tags", "--django-tag", "--tag", "list", (),
           "Run only tests with these tags.", (), None),
)


def test_one_section_per_plugin_in_first_seen_order():
    lines = option_reference.reference_lines(OPTIONS)
    titles = [line for line in lines if line.startswith("nose_speedup.plugins.")]
    assert titles == [f"nose_speedup.plugins.{p}" for p in
                      ("bundling", "reuse_db", "timing", "django", "selection")]
    assert lines[lines.index(titles[1]) + 1] == "-" * len(titles[1])


def test_every_place_an_option_is_set_is_on_its_row():
    text = "\n".join(option_reference.reference_lines(OPTIONS))
    assert "\n".join([
        "   * - | ``[reuse-db] reuse``",
        "       | nose2 ``--reuse-db``",
        "       | ``manage.py test`` ``--keepdb``",
        "       | environment ``REUSE_DB``",
        "     - boolean; default ``False``",
        "     - Keep test databases and reuse them.",
    ]) in text


def test_kinds_and_defaults_are_written_as_in_unittest_cfg():
    text = "\n".join(option_reference.reference_lines(OPTIONS))
    assert "- number; default ``300``" in text
    assert "- switch (flag only); default off" in text
    assert "- one of ``random``, ``SEED``; default empty" in text
    assert "- list (one per line); default empty" in text
    # A help text over several lines stays one table cell.
    assert "- Shuffle the order like Django." in text


def test_switch_without_key_is_listed_by_its_flags():
    lines = option_reference.reference_lines(OPTIONS)
    row = lines.index("   * - | nose2 ``--speedup-report``")
    assert lines[row + 1] == "       | ``manage.py test`` ``--speedup-report``"


@pytest.mark.parametrize("change, message", [
    ({"kind": "number"}, "has kind 'number'; accepted: switch, bool"),
    ({"kind": "choice"}, "is a choice with no choices"),
    ({"key": None, "flag": None, "runner_flag": None}, "has no key, flag, runner_flag or"),
])
def test_a_bad_declaration_is_named_with_the_fix(change, message):
    bad = OPTIONS[2]._replace(**change)
    with pytest.raises(option_reference.OptionReferenceError) as raised:
        option_reference.reference_lines([OPTIONS[0], bad])
    assert "option 2 ([reuse-db] " in str(raised.value) and message in str(raised.value)


def test_an_object_without_every_field_is_refused():
    Short = namedtuple("Short", "plugin section key flag kind default")
    with pytest.raises(option_reference.OptionReferenceError, match="has no field 'runner_flag', "
                       "'help', 'choices', 'environment'"):
        option_reference.reference_lines([Short("django", "django", "reverse", None, "bool", 0)])


@pytest.fixture
def stand_in_package(tmp_path, monkeypatch):
    """A package ``ns_docs_stand_in`` on sys.path; returns its directory."""
    package = tmp_path / "ns_docs_stand_in"
    package.mkdir()
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield package
    for name in [n for n in sys.modules if n.startswith("ns_docs_stand_in")]:
        del sys.modules[name]


def test_absent_module_gives_the_missing_note_even_in_ci_mode(stand_in_package):
    options, reason = option_reference.read_options("ns_docs_stand_in.options", ci=True)
    assert options is None and reason == "no module ns_docs_stand_in.options"
    assert "does not have (no module ns_docs_stand_in.options)" in " ".join(
        option_reference.missing_lines(reason))


def test_present_module_is_read(stand_in_package):
    (stand_in_package / "options.py").write_text(textwrap.dedent("""\
        from collections import namedtuple
        Option = namedtuple("Option", "plugin section key flag runner_flag kind default help "
                                      "choices environment")
        OPTIONS = (Option("django", "django", "reverse", "--django-reverse", "--reverse",
                          "bool", False, "Run the tests in reverse order.", (), None),)
        """))
    options, reason = option_reference.read_options("ns_docs_stand_in.options", ci=True)
    assert reason is None and [o.key for o in options] == ["reverse"]


@pytest.mark.parametrize("source", [
    "raise ImportError('cannot import name Option')\n",
    "OPTIONS = [object()]\n",
    "VALUES = ()\n",
])
def test_present_but_broken_module_stops_a_ci_build_and_warns_elsewhere(stand_in_package,
                                                                       source):
    (stand_in_package / "options.py").write_text(source)
    with pytest.raises(option_reference.OptionReferenceError,
                       match="ns_docs_stand_in.options exists but its OPTIONS cannot be rendered"):
        option_reference.read_options("ns_docs_stand_in.options", ci=True)
    sys.modules.pop("ns_docs_stand_in.options", None)
    options, reason = option_reference.read_options("ns_docs_stand_in.options", ci=False)
    assert options is None and reason.startswith("option-reference: ns_docs_stand_in.options")


def test_ci_mode_follows_the_environment_variable(stand_in_package, monkeypatch):
    (stand_in_package / "options.py").write_text("OPTIONS = None\n")
    monkeypatch.setenv("NOSE_SPEEDUP_DOCS_CI", "1")
    with pytest.raises(option_reference.OptionReferenceError):
        option_reference.read_options("ns_docs_stand_in.options")
