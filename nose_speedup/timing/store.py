"""The durations file: what earlier runs measured, for scheduling and shards.

One small JSON file per project (``.nose-speedup/durations.json`` under the
project's directory by default), with one section per kind of measurement,
each a mapping of a name to seconds (or to a mapping of figures)::

    {"format": 1,
     "tests": {"shop.tests.CartTests.test_total": 0.012, ...},
     "classes": {"shop.tests.CartTests": 0.35, ...},
     "bundles": {"<bundle name>": {"seconds": 1.2, "rows": 40, "loads": 1,
                                   "classes": 3}},
     "databases": {"default": {"create": 0.4, "migrate": 3.1, ...}}}

``bundles`` are keyed by ``nose_speedup.bundling.plan.bundle_name`` and
hold the seconds of one load, the rows it loaded, the loads and the classes
served in the last run that used the bundle; ``databases`` by alias, with the
phases of ``nose_speedup.timing.recorder`` (``build``, ``create``,
``migrate``, ``snapshot``, ``clone``, ``reuse-check``, ``restore``).

``tests`` are keyed by ``test.id()``; ``classes`` by ``module.QualName`` and
hold the class's own set-up and tear-down (``setUpClass``,
``setUpTestData``, fixtures it loaded itself). A run *merges* what it
measured into the file: the names it measured replace their old figures, the
others stay, so runs of a part of the suite (a label, a CI shard) add up to
the whole; a database's phases merge one by one (a run that reused the
database keeps the last build's time beside its own reuse check). Two runs
may end at once: the merge holds an exclusive lock on a file beside the
durations file and replaces the file atomically, so neither run's figures
are lost and a reader never sees half a file. A missing, unreadable or
foreign file reads as empty: durations only ever make a run faster, never
make it fail. So does a damaged one (hand-edited, half-written by another
tool): a file that is not a JSON object of this format reads as empty, a
section that is not a mapping as an empty section, and an entry whose
figures are not finite seconds >= 0 (a string, ``null``, ``true``, ``NaN``,
a list) as a name never measured. The first read of such a file in a
process says so in one line naming it; the next recorded run rewrites it
clean.
"""

import fcntl
import json
import math
import os
import sys
import tempfile

FORMAT = 1
SECTIONS = ("tests", "classes", "bundles", "databases")
DEFAULT_PATH = os.path.join(".nose-speedup", "durations.json")


def default_path(project_dir):
    return os.path.join(project_dir, DEFAULT_PATH)


def empty():
    return {"format": FORMAT, **{section: {} for section in SECTIONS}}


SOURCE = "timing plugin"
_reported = set()  # the damaged files this process has named already


def read(path):
    """The durations in ``path``: a dict with every section, empty ones
    when the file is missing or not a durations file of this format, without
    the entries that are not seconds (``valid_entries``)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return empty()
    except (OSError, ValueError, RecursionError) as error:
        _report(path, f"it is not readable JSON ({type(error).__name__})")
        return empty()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        _report(path, f"it is not a JSON object with \"format\": {FORMAT}")
        return empty()
    durations = empty()
    dropped = []
    for section in SECTIONS:
        durations[section], bad = valid_entries(section, data.get(section, {}))
        dropped += bad
    if dropped:
        more = f" and {len(dropped) - 3} more" if len(dropped) > 3 else ""
        shown = ", ".join(dropped[:3]) + more
        _report(path, f"{len(dropped)} entries are not seconds ({shown})")
    return durations


def _seconds(value):
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and value >= 0)


def valid_entries(section, entries):
    """``(the entries of ``section`` whose figures are seconds, the names of
    the others as ``section['name']``)``: ``tests`` and ``classes`` map a
    name to seconds, ``bundles`` and ``databases`` to a mapping of figures."""
    if not isinstance(entries, dict):
        return {}, [f"{section} (not a mapping)"]
    kept, dropped = {}, []
    for name, figures in entries.items():
        if section in ("tests", "classes"):
            good = _seconds(figures)
        else:
            good = isinstance(figures, dict) and all(map(_seconds, figures.values()))
        if good:
            kept[name] = figures
        else:
            dropped.append(f"{section}[{name!r}]: {json.dumps(figures)[:40]}")
    return kept, dropped


def _report(path, why):
    """One line per damaged file and process: the run goes on without it."""
    if path in _reported:
        return
    _reported.add(path)
    sys.stderr.write(
        f"{SOURCE}: the durations file {path} is damaged: {why}; read as missing "
        "(the next recorded run rewrites it; delete it to start afresh)\n"
    )


def update_json(path, read_file, update):
    """Replace the JSON file at ``path`` by ``update(read_file(path))``,
    holding an exclusive lock on a file beside it and replacing it
    atomically: two runs that end at once both land, and a reader never sees
    half a file. The directory is made when needed."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(path + ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = update(read_file(path))
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".nose-speedup-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=0, sort_keys=True)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    return data


def merge(path, measured):
    """Merge ``measured`` (some of the sections, as ``read`` returns them)
    into the file at ``path``, creating its directory when needed."""

    def add(durations):
        for section in SECTIONS:
            for name, figures in (measured.get(section) or {}).items():
                old = durations[section].get(name)
                if section == "databases" and isinstance(old, dict):
                    # A run measures some phases (a reuse check, not the
                    # build): the others stay, e.g. the last build's time.
                    figures = {**old, **figures}
                durations[section][name] = figures
        return durations

    return update_json(path, read, add)


def class_name(test_class):
    return f"{test_class.__module__}.{test_class.__qualname__}"


def weigh(durations, tests):
    """Seconds that ``tests`` took together in earlier runs (their tests and
    their classes' own set-up), or ``None`` when the file knows none of them.
    A test it does not know counts as the mean of those it knows."""
    known = [durations["tests"][test.id()] for test in tests if test.id() in durations["tests"]]
    if not known:
        return None
    mean = sum(known) / len(known)
    seconds = sum(known) + mean * (len(tests) - len(known))
    for test_class in dict.fromkeys(type(test) for test in tests):
        seconds += durations["classes"].get(class_name(test_class), 0.0)
    return seconds
