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
     "files": {"shop/cart.py": {"sha": "<sha>", "units": {...}}}}

An *environment* is what every test depends on: the Python version, the
installed distributions, the database fingerprint ``REUSE_DB`` computes
(migrations, installed apps, schema settings), and the code that ran and
the files read outside any test (settings, models, URLconfs, anything
imported at start-up) with their hashes as they were. A module's entry holds
the hashes of what its tests used *when it ran*, so a run of part of the
suite never makes a change look seen by modules that did not run. ``files``
only caches each file's unit hashes by its content, to spare parsing
unchanged files.

A run merges into the file the modules it ran, holding the same exclusive
lock and atomic replace as the durations file; modules other runs (shards,
``--django-parallel`` workers, labels) recorded stay.
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
        if relative not in self.units:
            cached = self.cache.get(relative) or {}
            if cached.get("sha") == self.sha(relative) and isinstance(cached.get("units"), dict):
                self.units[relative] = (cached["units"], None)
            else:
                parsed = sources.PythonFile(os.path.join(self.root, relative))
                self.units[relative] = (parsed.hashes, parsed)
        return self.units[relative]

    def unit_hashes(self, relative, qualnames):
        hashes = self.python_file(relative)[0]
        return {name: hashes.get(name, "missing") for name in qualnames}

    def cache_entries(self):
        return {
            relative: {"sha": self.sha(relative), "units": hashes}
            for relative, (hashes, _) in self.units.items()
        }


def merge(path, modules, environments, files):
    """Merge what a run recorded into the file at ``path``: its modules
    replace theirs, environments no module refers to any more go."""

    def update(record):
        record["modules"].update(modules)
        record["environments"].update(environments)
        record["files"].update(files)
        used = {entry.get("environment") for entry in record["modules"].values()}
        record["environments"] = {k: v for k, v in record["environments"].items() if k in used}
        return record

    store.update_json(path, read, update)
