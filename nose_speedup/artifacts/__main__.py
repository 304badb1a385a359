"""``python -m nose_speedup.artifacts``: the artifact command
(``nose_speedup.artifacts.command``; ``python -m nose_speedup.db`` is its alias)."""

import sys

from nose_speedup.artifacts.command import main

sys.exit(main())
