"""``python -m nose_speedup.db``: the documented name of the artifact command,
kept as an alias of ``python -m nose_speedup.artifacts``
(``nose_speedup.artifacts.command``), where the code lives."""

import sys

from nose_speedup.artifacts.command import main

if __name__ == "__main__":
    sys.exit(main())
