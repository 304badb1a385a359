"""Render a page in a real headless browser: Debian's ``chromium``.

``render(page, screenshot)`` runs chromium twice on a fresh, empty profile
(no network, no sync, no component updates): once with ``--dump-dom`` to
read the page as its scripts left it, once with ``--screenshot``. Both runs
log the page's console to stderr (``--enable-logging=stderr --v=0``); every
console line (``console.error``, an uncaught exception) is returned, so a
test can require none.

Chromium is a build dependency of CI (``.ci/run``): when it is missing, the
tests that need it are skipped on a developer's machine and fail under CI
(``CI=true``), never counted as passing.
"""

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

CONSOLE_LINE = re.compile(r":CONSOLE(?:\(\d+\))?(?::\d+)?\] (?P<message>.*)$", re.MULTILINE)
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
)


def chromium():
    """chromium's path; skipped without it, failed without it in CI."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = "Debian's chromium is not installed (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: CI installs it (.ci/run's ensure_build_dependencies)")
    pytest.skip(message)


@dataclass
class Rendered:
    dom: str
    console: list  # the page's console lines, from both runs

    def attribute(self, element_id, name):
        """The value of ``name`` on the element with ``element_id`` in the
        DOM the scripts left, or None."""
        tag = re.search(rf"<[^>]*\bid=\"{re.escape(element_id)}\"[^>]*>", self.dom)
        if tag is None:
            return None
        value = re.search(rf"\b{re.escape(name)}=\"([^\"]*)\"", tag.group(0))
        return value.group(1) if value else None


def run_chromium(page, *args, timeout=120):
    with tempfile.TemporaryDirectory(prefix="nose-speedup-chromium-") as profile:
        completed = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, Path(page).as_uri()],
            capture_output=True, text=True, timeout=timeout,
            env={**os.environ, "HOME": profile},
        )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed


def render(page, screenshot, width=1400, height=1000):
    dumped = run_chromium(page, "--dump-dom", f"--window-size={width},{height}")
    shot = run_chromium(page, f"--screenshot={screenshot}", f"--window-size={width},{height}")
    console = [
        match["message"]
        for completed in (dumped, shot)
        for match in CONSOLE_LINE.finditer(completed.stderr)
    ]
    return Rendered(dumped.stdout, console)


def artifacts_dir(tmp_path):
    """``$NOSE_SPEEDUP_ARTIFACTS`` when set (CI keeps it), else ``tmp_path``."""
    folder = Path(os.environ.get("NOSE_SPEEDUP_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
