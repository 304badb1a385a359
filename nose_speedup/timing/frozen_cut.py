"""The cut of ``--shard I/N``, frozen until every part of the round has run.

Each part records its tests' seconds into the durations file when it ends.
Parts run one after another in one checkout (a CI job running ``--shard
1/3``, ``2/3``, ``3/3`` in turn, a developer trying them) would each cut
from a file the previous part changed: some tests ran twice and others
never. So the cut is computed once per *round* and frozen in a file beside
the durations file, ``<durations file without .json>.shards-N.json``
(``.nose-speedup/durations.shards-3.json`` by default), holding the tests
of each part, a digest of the set of tests cut and the parts run so far.

A part uses the frozen cut when it was made for the same ``N`` and the same
set of tests and not every one of the ``N`` parts has run since; otherwise
(no frozen cut, another set of tests: other labels, ``-k``, tags, a test
added, or all ``N`` parts ran) it starts a new round: a new cut from the
durations file as it is now, balanced as before. A part run twice in a
round (a retry) gets the same tests. Reading and updating the frozen file
hold a lock, so parts started at once in one checkout share one cut.

CI machines that each run one part restore the same durations file, find
no frozen cut (or the same one, when a cache carries it) and so compute the
same cut; merging the parts' durations files afterwards works as before.
A frozen file that cannot be read is replaced by a new cut; one that cannot
be written leaves the part its fresh cut, said in one line. Deleting the
frozen file starts a new round.
"""

import hashlib
import json
import os
import sys

from nose_speedup.timing import store

FORMAT = 1
SOURCE = "shards plugin"


def path_for(durations_path, count):
    root, _ = os.path.splitext(durations_path)
    return f"{root}.shards-{count}.json"


def digest(test_ids):
    """The set of tests a cut was made for, whatever their order."""
    return hashlib.sha256("\n".join(sorted(test_ids)).encode("utf-8")).hexdigest()


class Cut:
    """The tests of each part of a round, and the parts run so far."""

    def __init__(self, path, index, count, data, new):
        self.path = path
        self.index = index
        self.count = count
        self.parts = data["parts"]
        self.weighed_by = data["weighed_by"]
        self.ran_before = [part for part in data["ran"] if part != index]
        self.new = new

    def selected(self):
        return set(self.parts[self.index - 1])

    def describe(self):
        """The end of the ``Shard I/N:`` line: where the cut comes from."""
        where = os.path.relpath(self.path) if self.path else None
        if where is None:
            return "cut not frozen"
        if self.new:
            return f"new cut frozen in {where} until parts 1-{self.count} have run"
        return f"cut frozen in {where}, already run: {', '.join(map(str, self.ran_before))}"


def _valid(data, count, tests):
    return (
        isinstance(data, dict) and data.get("format") == FORMAT and data.get("count") == count
        and data.get("tests") == tests and isinstance(data.get("weighed_by"), str)
        and isinstance(data.get("parts"), list) and len(data["parts"]) == count
        and all(isinstance(part, list) for part in data["parts"])
        and isinstance(data.get("ran"), list) and len(set(data["ran"])) < count
    )


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def cut_for(durations_path, test_ids, index, count, compute):
    """The ``Cut`` for part ``index`` of ``count``: the frozen one of this
    round, or a new one from ``compute()`` (``(parts as lists of test ids,
    what weighed them)``), frozen and marked with this part."""
    path = path_for(durations_path, count)
    tests = digest(test_ids)
    seen = {}

    def mark_this_part(data):
        seen["new"] = not _valid(data, count, tests)
        if seen["new"]:
            parts, weighed_by = compute()
            data = {"format": FORMAT, "count": count, "tests": tests,
                    "weighed_by": weighed_by, "parts": parts, "ran": []}
        data["ran"] = sorted(set(data["ran"]) | {index})
        return data

    try:
        data = store.update_json(path, _read, mark_this_part)
    except OSError as error:
        sys.stderr.write(
            f"{SOURCE}: could not freeze the cut in {path} ({error}); this part is cut from "
            "the durations file as it is now: parts run one after another may overlap. Set "
            "[timing] durations-file to a writable path\n"
        )
        parts, weighed_by = compute()
        data = {"parts": parts, "weighed_by": weighed_by, "ran": [index]}
        return Cut(None, index, count, data, new=True)
    return Cut(path, index, count, data, seen["new"])
