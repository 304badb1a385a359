"""The order of a run is one table, ``nose_speedup.hooks.ORDER`` (issue 21,
point 1): every plugin acts on each hook in the table's order however it
was switched on, no plugin implements a hook the table omits, and ``-k`` /
``--tag`` selection happens before ``--shard`` cuts and before the parallel
plugin makes units and starts workers (it came after both)."""

import json
import subprocess
import sys

import pytest

from nose_speedup import hooks, options
from tests.support.nose2run import REPO_ROOT, run_nose2
from tests.support.projects import scenario_copy

MODULES = sorted({option.module for option in options.OPTIONS})
SWITCHES = ["--with-fixture-bundling", "--fast-flush", "--django-debug-sql"]

SESSION = """
import json, sys
from nose2.session import Session
from nose_speedup import hooks

config, modules, argv = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
session = Session()
session.loadConfigFiles(config)
session.loadPlugins(modules)
args, _ = session.argparse.parse_known_args(argv)
session.hooks.handleArgs(type("Event", (), {"args": args, "handled": False})())
order = {
    name: [hooks.plugin_name(p) or "*" for p in hook.plugins]
    for name, hook in session.hooks.hooks.items()
}
implemented = {
    hooks.plugin_name(p): [m for m in session.hooks.methods if hasattr(p, m)]
    for p in session.plugins if hooks.plugin_name(p)
}
print(json.dumps({"order": order, "implemented": implemented}))
"""


def session_hooks(tmp_path, config_text, argv):
    config = tmp_path / "unittest.cfg"
    config.write_text(config_text)
    completed = subprocess.run(
        [sys.executable, "-c", SESSION, str(config), json.dumps(MODULES), json.dumps(argv)],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def expected(hook_name, acting):
    """The table's order for ``hook_name``, of the plugins in ``acting``."""
    table = hooks.ORDER[hook_name]
    others = table.index(hooks.OTHERS) if hooks.OTHERS in table else -1
    return sorted(acting, key=lambda n: others if n == hooks.OTHERS else table.index(n))


SWITCHED_ON = {
    "by their flags": ("", SWITCHES),
    "by always-on": ("".join(f"[{s}]\nalways-on = True\n" for s in (
        "fixture-bundling", "fast-flush", "debug-sql")), []),
}


@pytest.mark.backend_independent
@pytest.mark.parametrize("how", SWITCHED_ON)
def test_every_plugin_acts_in_the_order_of_the_table(tmp_path, how):
    print("\n".join(hooks.describe()))
    config_text, argv = SWITCHED_ON[how]
    seen = session_hooks(tmp_path, config_text, argv + ["--shard", "1/2"])
    for hook_name, acting in seen["order"].items():
        if hook_name in hooks.ORDER:
            assert acting == expected(hook_name, acting), hook_name


@pytest.mark.backend_independent
def test_every_hook_a_plugin_implements_is_in_the_table(tmp_path):
    seen = session_hooks(tmp_path, "", SWITCHES)
    for name, methods in seen["implemented"].items():
        for method in methods:
            if method not in hooks.UNORDERED:
                assert name in hooks.ORDER.get(method, ()), f"{name} implements {method}"


@pytest.mark.backend_independent
def test_no_plugin_reorders_a_hook_itself():
    for module in MODULES:
        source = (REPO_ROOT / (module.replace(".", "/") + ".py")).read_text()
        for reordering in (".plugins.remove(", ".plugins.insert(", "hooks.methods", "_attrs"):
            assert reordering not in source, (module, reordering)


depot = scenario_copy("timing/depot", scope="function")

MARKER_MODULE = '''"""Records each process that imports it."""
import os

from django.test import TestCase

with open(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "imports.log"), "a") as log:
    log.write(f"{os.getpid()}\\n")


class UnselectedTests(TestCase):
    def test_never_selected(self):
        pass
'''


def test_selection_comes_before_sharding_and_the_parallel_units(depot):
    (depot / "depot" / "tests" / "test_unselected.py").write_text(MARKER_MODULE)
    result = run_nose2(
        depot, "-v", "--plugin", "nose_speedup.plugins.selection",
        "--django-name-pattern", "Items", "--shard", "1/1", "--django-parallel", "2",
    )
    assert result.returncode == 0, result.describe()
    ran = result.outcomes()
    assert ran and all("Items" in test for test in ran), result.describe()
    # The shard is cut from the selected tests, not from the whole suite.
    assert f"Shard 1/1: {len(ran)} of {len(ran)} tests" in result.stderr, result.describe()
    # The workers import only the selected tests' modules: the unselected
    # module is imported by the main process alone.
    importers = set((depot / "imports.log").read_text().split())
    assert len(importers) == 1, result.describe()
