"""Sphinx configuration of nose-speedup's documentation.

Build it with warnings as errors, as CI does (``.ci/docs``)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# The project (for nose_speedup.options) and the local extensions.
sys.path[:0] = [str(ROOT), str(DOCS / "_ext")]

project = "nose-speedup"
author = "the nose-speedup authors"
copyright = "nose-speedup authors"
# Read, not imported: the version line of nose_speedup/__init__.py.
release = re.search(r'^__version__ = "([^"]+)"', (ROOT / "nose_speedup" / "__init__.py")
                    .read_text(), re.M).group(1)
version = release

extensions = ["option_reference"]
exclude_patterns = ["_build"]
highlight_language = "none"
html_theme = "alabaster"
html_theme_options = {"description": "Fast fixture-heavy Django test suites on nose2"}
