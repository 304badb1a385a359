"""The benchmark scripts' module structure: ``benchmarks/run.py`` is the CLI
on top, its modules below it never import it (no import cycle), and both of
its commands still start."""

import ast
import subprocess
import sys

import pytest

from tests.support.nose2run import REPO_ROOT

# No database: the benchmark scripts' module structure and --help.
pytestmark = pytest.mark.backend_independent

BENCHMARKS = REPO_ROOT / "benchmarks"


def local_imports():
    """``{module: {benchmark modules it imports}}`` for benchmarks/*.py,
    counting imports inside functions too."""
    modules = {path.stem: path for path in BENCHMARKS.glob("*.py")}
    graph = {}
    for name, path in modules.items():
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
        graph[name] = imported & set(modules)
    return graph


def cycles(graph):
    """Every import chain that comes back to where it started."""
    found = []

    def visit(module, chain):
        for imported in sorted(graph[module]):
            if imported == chain[0]:
                found.append(chain + [imported])
            elif imported not in chain:
                visit(imported, chain + [imported])

    for module in sorted(graph):
        visit(module, [module])
    return found


def test_benchmark_modules_import_each_other_without_a_cycle():
    graph = local_imports()
    assert {"run", "reuse", "measure", "generate"} <= set(graph)
    assert cycles(graph) == []


def test_no_benchmark_module_imports_the_cli_script():
    importers = [module for module, imported in local_imports().items() if "run" in imported]
    assert importers == []


def test_cycle_finder_sees_a_cycle_through_a_function_level_import():
    assert cycles({"run": {"reuse"}, "reuse": {"run"}}) == [
        ["reuse", "run", "reuse"], ["run", "reuse", "run"]
    ]


def test_both_benchmark_commands_start_and_show_their_options():
    for command in ([], ["reuse"]):
        completed = subprocess.run(
            [sys.executable, str(BENCHMARKS / "run.py"), *command, "--help"],
            capture_output=True, text=True, cwd=REPO_ROOT,
        )
        assert completed.returncode == 0, completed.stderr
        assert "--repeat" in completed.stdout
