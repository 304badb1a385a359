"""Every option is declared once, in ``nose_speedup.options``, and each
declaration is wired (issue 21, point 2): its nose2 flag exists when its
plugin is loaded, its config key is read strictly by its kind, its
``manage.py test`` flag becomes its nose2 flag, and a plugin that reads a
key no option declares stops with an error naming it. The nose2 sessions
are built in a subprocess (plugins' ``__init__`` touch process state)."""

import json
import subprocess
import sys

import pytest

from nose_speedup import options
from tests.support.django_snippet import run_snippet
from tests.support.nose2run import REPO_ROOT, copy_scenario, remove_copy, run_nose2

pytestmark = pytest.mark.backend_independent

MODULES = sorted({option.module for option in options.OPTIONS})

SESSION = """
import json, os, sys
from nose2.session import Session
from nose_speedup.errors import ConfigurationError

config, modules = sys.argv[1], json.loads(sys.argv[2])
session = Session()
session.loadConfigFiles(config)
try:
    session.loadPlugins(modules)
except (ConfigurationError, LookupError) as error:
    print(json.dumps({"error": str(error)}))
    sys.exit(0)
flags = sorted({flag for action in session.argparse._actions for flag in action.option_strings})
print(json.dumps({"flags": flags}))
"""


def load_plugins(tmp_path, config_text, modules=MODULES):
    """``{"flags": [...]}`` of a nose2 session that loaded ``modules`` with
    ``config_text`` as its config, or ``{"error": message}``."""
    config = tmp_path / "unittest.cfg"
    config.write_text(config_text)
    completed = subprocess.run(
        [sys.executable, "-c", SESSION, str(config), json.dumps(modules)],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def config_text(values):
    """A config with ``{(section, key): text}``."""
    sections = {}
    for (section, key), text in values.items():
        sections.setdefault(section, []).append(f"{key} = {text}")
    return "".join(f"[{s}]\n" + "\n".join(lines) + "\n\n" for s, lines in sections.items())


def default_text(option):
    if option.kind == options.LIST:
        return "\n    ".join(["", *option.default])
    if option.default is None:
        return "true"
    return str(option.default)


def test_every_declared_flag_is_a_flag_of_its_loaded_plugin(tmp_path):
    loaded = load_plugins(tmp_path, "")
    missing = [o.flag for o in options.OPTIONS if o.flag and o.flag not in loaded["flags"]]
    assert missing == []


@pytest.mark.parametrize("module", MODULES)
def test_a_plugin_alone_has_exactly_its_declared_flags(tmp_path, module):
    alone = set(load_plugins(tmp_path, "", [module])["flags"])
    nothing = set(load_plugins(tmp_path, "", [])["flags"])
    declared = {o.flag for o in options.OPTIONS if o.module == module and o.flag}
    others = {o.flag for o in options.OPTIONS if o.module != module and o.flag}
    # The django plugin also takes the other plugins' flags, to name the
    # plugin to add (tests/functional/django/test_all_plugins.py).
    assert declared <= alone - nothing <= declared | others


def test_every_declared_key_is_read_without_complaint_at_its_default(tmp_path):
    values = {(o.section, o.key): default_text(o) for o in options.OPTIONS if o.key}
    assert "flags" in load_plugins(tmp_path, config_text(values)), values


@pytest.mark.parametrize("section", sorted({o.section for o in options.OPTIONS}))
def test_a_key_no_option_declares_is_refused_in_every_section(tmp_path, section):
    loaded = load_plugins(tmp_path, config_text({(section, "no-such-key"): "1"}))
    assert "unknown key 'no-such-key'" in loaded.get("error", ""), loaded
    assert f"[{section}]" in loaded["error"]


@pytest.mark.parametrize("option", [
    o for o in options.OPTIONS
    if o.key and o.kind in (options.SWITCH, options.BOOL, options.INT, options.FLOAT)
], ids=lambda o: f"{o.section}.{o.key}")
def test_a_bad_value_of_a_typed_key_is_refused(tmp_path, option):
    loaded = load_plugins(tmp_path, config_text({(option.section, option.key): "ture"}))
    assert f"{option.key} = 'ture' is not valid" in loaded.get("error", ""), loaded


def test_a_plugin_reading_an_undeclared_key_is_stopped():
    from nose_speedup.config import StrictSection

    class Session:
        plugins = []

        def __init__(self):
            import configparser

            self.config = configparser.ConfigParser()
            self.config.read_string("[django]\n")

    with pytest.raises(LookupError, match=r"\[django\] undeclared.*add an Option"):
        StrictSection(Session(), "django", "test").as_bool("undeclared", False)


def test_memory_sessions_typo_stops_a_nose2_run():
    """``[speedups] memory-sessions = ture`` loaded silently before."""
    project = copy_scenario("django/collection")
    try:
        (project / "unittest.cfg").write_text(
            "[unittest]\nplugins = nose_speedup.plugins.django\n"
            "          nose_speedup.plugins.speedups\n\n[django]\nsettings = settings\n\n"
            "[speedups]\nmemory-sessions = ture\n"
        )
        result = run_nose2(project)
    finally:
        remove_copy(project)
    assert result.returncode != 0, result.describe()
    assert "memory-sessions = 'ture' is not valid" in result.stderr, result.describe()


# manage.py test: each runner flag becomes its option's nose2 flag.
RUNNER_VALUES = {options.LIST: "x", options.STR: "1/2", options.INT: "3", options.PATH: "report.html"}
RUNNER_SNIPPET = """
import sys
from django.core.management.commands.test import Command
from nose_speedup.runner import Nose2TestRunner

result = {}
for flag, value in FLAGS:
    argv = [flag] + ([value] if value else [])
    sys.argv = ["manage.py", "test", *argv]
    parsed = vars(Command().create_parser("manage.py", "test").parse_args(argv))
    labels = parsed.pop("args")
    result[flag] = Nose2TestRunner(**parsed).nose2_arguments(labels)
"""


def test_every_runner_flag_becomes_its_nose2_flag():
    offered = [o for o in options.OPTIONS if o.runner_flag and o.runner_flag != "--settings"]
    flags = [
        (o.runner_flag, None if o.kind == options.SWITCH else
         "2" if o.runner_flag in ("--parallel", "--durations", "--shuffle") else
         RUNNER_VALUES[o.kind])
        for o in offered
    ]
    settings = {"TEST_RUNNER": "nose_speedup.runner.Nose2TestRunner"}
    arguments = run_snippet(f"FLAGS = {flags!r}\n{RUNNER_SNIPPET}", settings=settings)
    for option in offered:
        args = arguments[option.runner_flag]
        if option.runner_flag.startswith("--no-"):
            pairs = list(zip(args, args[1:]))
            assert ("--exclude-plugin", option.module) in pairs, args
            assert option.flag not in args
        else:
            assert option.flag in args, (option.runner_flag, args)
