"""Run a few lines against a configured Django in a fresh interpreter.

Django's settings and connections are process-global, and the pytest
process may already hold a configuration of another test module, so unit
tests of code that needs Django run it in a subprocess:
``run_snippet(code, settings={...}, path=[dir])`` calls
``settings.configure(**settings)`` and ``django.setup()``, runs ``code``,
and returns the JSON-decoded value the code left in ``result``.
"""

import json
import subprocess
import sys

from tests.support.nose2run import REPO_ROOT

MARK = "SNIPPET RESULT: "
PROLOGUE = """
import json, sys
sys.path[:0] = json.loads(sys.argv[1])
import django
from django.conf import settings
settings.configure(**json.loads(sys.argv[2]))
django.setup()
namespace = {}
exec(compile(sys.argv[3], "<snippet>", "exec"), namespace)
print(%r + json.dumps(namespace.get("result")))
""" % MARK


def run_snippet(code, settings=None, path=(), cwd=None):
    """``result`` as set by ``code``; an ``AssertionError`` with the output
    when the snippet fails."""
    settings = {"INSTALLED_APPS": [], "DATABASES": {}, "USE_TZ": True, **(settings or {})}
    completed = subprocess.run(
        [sys.executable, "-c", PROLOGUE, json.dumps([str(p) for p in path] + [str(REPO_ROOT)]),
         json.dumps(settings), code],
        cwd=str(cwd or REPO_ROOT), capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith(MARK)]
    if completed.returncode != 0 or not lines:
        raise AssertionError(
            f"snippet failed (exit {completed.returncode}):\n{code}\n"
            f"--- stdout ---\n{completed.stdout}\n--- stderr ---\n{completed.stderr}"
        )
    return json.loads(lines[-1][len(MARK):])
