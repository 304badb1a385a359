"""The affected record: what each test module used when it last ran.

One JSON file beside the durations file (``.nose-speedup/affected.json``)::

    {"format": 1,
     "environments": {"<hash>": {"python": "3.12.1", "distributions": "<hash>",
                                 "database-fingerprint": "<key>",
                                 "import-time": {"shop/models.py": {"<module>": "<hash>"}},
                                 "import-reads": {"shop/data.csv": "<sha>"}}},
     "modules": {"shop.tests.test_cart": {
         "environment": "<hash>",
         "code": {"shop/cart.py": {"Cart.total": "<hash>", ...}},
         "reads": {"shop/fixtures/cart.json": "<sha>", ...},
         "tests": {"shop.tests.test_cart.CartTests.test_total": "passed", ...}}},
     "files": {"shop/cart.py": {"sha": "<sha>", "units": {...}, "spans": [...]}}}

An *environment* is what every test depends on: the Python version, the
installed distributions, the database fingerprint ``REUSE_DB`` computes
(migrations, installed apps, schema settings), and the code that ran and
the files read outside any test (settings, models, URLconfs, anything
imported at start-up) with their hashes as they were. A module's entry holds
the hashes of what its tests used *when it ran*, so a run of part of the
suite never makes a change look seen by modules that did not run. ``files``
only caches each file's unit hashes and line spans by its content, to spare
parsing unchanged files.

A run merges into the file the modules it ran, holding the same exclusive
lock and atomic replace as the durations file; modules other runs (shards,
labels) recorded stay, and a module a run ran part of keeps what its other
part used (``merge_entry``).
"""

import json
import os

from nose_speedup.affected import sources
from nose_speedup.timing import store

FORMAT = 1
FILE_NAME = "affected.json"


def path_beside(durations_path):
    return os.path.join(os.path.dirname(durations_path), FILE_NAME)


def empty():
    return {"format": FORMAT, "environments": {}, "modules": {}, "files": {}}


def read(path):
    """The record at ``path``; an empty one when it is missing or damaged
    (every test is then selected: nothing is known)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return empty()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return empty()
    record = empty()
    for key in ("environments", "modules", "files"):
        if isinstance(data.get(key), dict):
            record[key] = data[key]
    return record


class FileHashes:
    """Current hashes of the project's files, parsing only what changed
    since the record's cache."""

    def __init__(self, root, cache):
        self.root = root
        self.cache = cache
        self.shas = {}
        self.units = {}

    def sha(self, relative):
        if relative not in self.shas:
            self.shas[relative] = sources.content_hash(os.path.join(self.root, relative))
        return self.shas[relative]

    def python_file(self, relative):
        """The file's ``sources.PythonFile``: from the cache while its
        content is the cached one, else parsed."""
        if relative not in self.units:
            cached = self.cache.get(relative) or {}
            path = os.path.join(self.root, relative)
            if cached.get("sha") == self.sha(relative) and isinstance(cached.get("units"), dict) \
                    and isinstance(cached.get("spans"), list):
                self.units[relative] = sources.PythonFile.from_cache(
                    path, cached["units"], cached["spans"])
            else:
                self.units[relative] = sources.PythonFile(path)
        return self.units[relative]

    def unit_hashes(self, relative, qualnames):
        hashes = self.python_file(relative).hashes
        return {name: hashes.get(name, "missing") for name in qualnames}

    def cache_entries(self):
        return {
            relative: {"sha": self.sha(relative), "units": parsed.hashes,
                       "spans": [list(span) for span in parsed.spans]}
            for relative, parsed in self.units.items()
        }


CHANGED = "changed between the runs of its parts"  # a hash no file has


def merge_entry(old, new, exists):
    """A module's entry after a run that recorded ``new`` for it.

    A run of the whole module replaces its entry. A run of part of it (a
    shard, a label naming one class, ``-k``) adds to it: the tests of the
    other part (those that still exist: ``exists(test id)``) keep their
    outcomes, the code and files of both parts are kept, and a unit or file
    whose hash differs between the two parts gets one no file has, as do
    the other part's outcomes ("not run") when the environment differs: the
    module then runs whole next time, rather than a part of it passing for
    a change it never ran against."""
    if not isinstance(old, dict) or not isinstance(old.get("tests"), dict):
        return new
    others = {test_id: outcome for test_id, outcome in old["tests"].items()
              if test_id not in new["tests"] and exists(test_id)}
    if not others:
        return new
    if old.get("environment") != new["environment"]:
        others = dict.fromkeys(others, "not run")
    code = {name: dict(units) for name, units in (old.get("code") or {}).items()}
    for name, units in new["code"].items():
        known = code.setdefault(name, {})
        for unit, value in units.items():
            known[unit] = value if known.get(unit, value) == value else CHANGED
    reads = dict(old.get("reads") or {})
    for name, value in new["reads"].items():
        reads[name] = value if reads.get(name, value) == value else CHANGED
    return {**new, "code": code, "reads": reads, "tests": {**others, **new["tests"]}}


def merge(path, modules, environments, files, exists=lambda test_id: True):
    """Merge what a run recorded into the file at ``path``: its modules
    replace theirs, or add to them when it ran part of one (``merge_entry``);
    environments no module refers to any more go."""

    def update(record):
        for module, entry in modules.items():
            record["modules"][module] = merge_entry(record["modules"].get(module), entry, exists)
        record["environments"].update(environments)
        record["files"].update(files)
        used = {entry.get("environment") for entry in record["modules"].values()}
        record["environments"] = {k: v for k, v in record["environments"].items() if k in used}
        return record

    store.update_json(path, read, update)
