"""multiprocessing's spawn start method, without re-running the main script.

A spawned child re-runs the parent's main module (as ``__mp_main__``) when
``sys.modules["__main__"]`` has a ``__file__`` (``manage.py``) or a
``__spec__`` naming a module other than a package's ``__main__``
(``python -m mysite.manage``): ``multiprocessing.spawn.get_preparation_data``
records ``init_main_from_path``/``init_main_from_name`` for the child
(CPython 3.8 to 3.14). A ``manage.py`` without an ``if __name__ ==
"__main__":`` guard then runs the whole command again in every worker, which
multiprocessing stops with "An attempt has been made to start a new process
before the current process has finished its bootstrapping phase". Django's
own ``--parallel`` forks on Linux and never re-runs it.

Our workers need nothing from the main script: their target and arguments
live in ``nose_speedup``, they set Django up from ``DJANGO_SETTINGS_MODULE``
(environment and ``sys.path`` reach a spawned child either way) and import
the test modules themselves. ``main_script_not_rerun`` hides the main module
from multiprocessing while a worker starts, so that any ``manage.py``
Django's runner accepts works, and the child still inherits nothing else of
the main process (spawn, not fork).
"""

import contextlib
import sys
import types


@contextlib.contextmanager
def main_script_not_rerun():
    """Start processes inside: their preparation data names no main module."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")  # no __file__, no __spec__
    try:
        yield
    finally:
        if main is None:
            del sys.modules["__main__"]
        else:
            sys.modules["__main__"] = main
