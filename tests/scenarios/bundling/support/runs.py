"""Run a bundling scenario with nose2 and read its side channels.

``run_scenario(project, *args, bundling=True)`` runs ``python -m nose2 -v``
with the django and bundling plugins loaded (``--with-fixture-bundling``
when ``bundling``) and returns a ``ScenarioRun``: the ``RunResult`` plus the
lines the ``loadcount`` app logged (one per ``loaddata`` call) and the
leftover reports the ``leftovers`` engine wrote as each test database was
destroyed.
"""

import json
from dataclasses import dataclass

from tests.support.nose2run import RunResult, run_nose2

PLUGINS = ("--plugin", "nose_speedup.plugins.django", "--plugin", "nose_speedup.plugins.bundling")
BUNDLING = "--with-fixture-bundling"


@dataclass
class ScenarioRun:
    result: RunResult
    fixture_loads: list  # "alias label label..." per loaddata call
    leftovers: list  # {"alias", "in_atomic_block", "counts"} per destroyed database

    def outcomes(self):
        return self.result.outcomes()

    def describe(self):
        return self.result.describe()

    @property
    def output(self):
        return self.result.output

    @property
    def returncode(self):
        return self.result.returncode


def read_lines(path):
    return path.read_text().splitlines() if path.exists() else []


def run_scenario(project, *args, bundling=True, leftover_apps=(), env=None):
    load_log = project / "fixture-loads.log"
    leftover_log = project / "leftovers.log"
    for log in (load_log, leftover_log):
        log.unlink(missing_ok=True)
    run_env = {
        "NSP_FIXTURE_LOAD_LOG": str(load_log),
        "NSP_LEFTOVER_LOG": str(leftover_log),
        "NSP_LEFTOVER_APPS": ",".join(leftover_apps),
        **(env or {}),
    }
    switch = (BUNDLING,) if bundling else ()
    result = run_nose2(project, "-v", *PLUGINS, *switch, *args, env=run_env)
    return ScenarioRun(
        result,
        read_lines(load_log),
        [json.loads(line) for line in read_lines(leftover_log)],
    )


def outcome_order(run):
    """Class names (``module.Class``) in the order their tests ran."""
    classes = []
    for description in run.outcomes():
        dotted = description.split("(", 1)[1].rstrip(")")
        name = dotted if description.startswith("setUpClass") else _class_of(description, dotted)
        if not classes or classes[-1] != name:
            classes.append(name)
    return classes


def _class_of(description, dotted):
    # Python 3.11+: "test_x (pkg.mod.Class.test_x)"; 3.10: "test_x (pkg.mod.Class)".
    method = description.split(" ", 1)[0]
    return dotted[: -len(method) - 1] if dotted.endswith("." + method) else dotted
