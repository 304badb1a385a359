"""The interpreter's garbage collector around a run, tuned where no test can
see it.

Two costs of a short Django run are the garbage collector's, not the
tests': while Django sets up and the test modules import, hundreds of
thousands of objects are made and almost none become garbage, yet the
collector walks them every 700 allocations; and when the interpreter exits,
its last collections walk every object once more (0.1–0.3 s for a
mid-sized project, as long as ``django.setup()`` itself on a warm start).

* ``defer_during_set_up`` raises the first generation's threshold from the
  plugin's loading until the tests start; ``restore`` puts Python's own
  thresholds back before the first test (or leaves those the project set
  meanwhile), so tests run with the collector as the project configured it.
* ``skip_the_last_collection`` registers ``gc.freeze`` to run at exit,
  before the interpreter's own finalization: what is still alive then is
  spared the walk. It is opt-in (``[django] collect-at-exit = False``):
  an object that only reference cycles keep alive at exit is then never
  finalized, so a buffered file's last bytes, a ``__del__`` or a handler
  in a cycle is lost, wherever it was made (settings, app loading, test
  modules, classes, tests). No cheaper safe variant exists: that an object
  has no finalizer can only be proved by walking every object, which is the
  walk saved, so by default the interpreter exits as under Django's runner
  (tests/functional/django/test_exit_writes.py). It is registered at exit only, so a process
  that runs nose2 and goes on keeps its collector.
"""

import atexit
import gc

# The first generation's threshold while Django sets up (Python's is 700):
# a collection per 50,000 allocations bounds what garbage the set-up leaves
# to a few megabytes, and a migration-heavy build still collects.
SET_UP_THRESHOLD = 50_000

_registered = False


def defer_during_set_up():
    """Collect less often until ``restore``; return what ``restore`` needs."""
    saved = gc.get_threshold()
    if not saved[0]:  # 0: the project turned automatic collection off
        return None
    deferred = (max(saved[0], SET_UP_THRESHOLD), *saved[1:])
    gc.set_threshold(*deferred)
    return saved, deferred


def restore(thresholds):
    """Python's thresholds back, unless the project set its own meanwhile
    (in its settings, say): those stay."""
    if thresholds is not None:
        saved, deferred = thresholds
        if gc.get_threshold() == deferred:
            gc.set_threshold(*saved)


def skip_the_last_collection():
    global _registered
    if not _registered:
        atexit.register(gc.freeze)
        _registered = True
