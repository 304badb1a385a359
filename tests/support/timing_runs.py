"""Run the ``timing/depot`` scenario (or a generated benchmark project) whole
or in shards, and read what each run did: test ids from ``-v`` output, the
``loaddata`` calls the ``loadcount`` app logged, the durations file.

Every shard of one cut must start from the same durations file, as CI
machines restoring one cache do: ``run_shards`` gives each shard its own
copy of ``recorded`` (through a config file naming it in ``[timing]
durations-file``), so a shard that ends first cannot change the next
shard's cut.
"""

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.support.nose2run import RunResult, run_nose2

DESCRIPTION = re.compile(r"^(?P<method>\w+) \((?P<dotted>[\w.]+)\)$")
SHARD_LINE = re.compile(r"^Shard \d+/\d+: .*$", re.MULTILINE)
TIME_LINE = re.compile(r"^Ran \d+ tests? in (?P<seconds>[\d.]+)s$", re.MULTILINE)


@dataclass
class TimedRun:
    result: RunResult
    fixture_loads: list

    @property
    def output(self):
        return self.result.output

    def test_ids(self):
        """Ids of the tests the run reported (``-v``), in report order."""
        ids = []
        for description in self.result.outcomes():
            match = DESCRIPTION.match(description)
            method, dotted = match["method"], match["dotted"]
            ids.append(dotted if dotted.endswith("." + method) else f"{dotted}.{method}")
        return ids

    def seconds(self):
        """nose2's ``Ran N tests in X s``: the time tests ran, without set-up
        of databases."""
        return float(TIME_LINE.search(self.output)["seconds"])

    def shard_line(self):
        match = SHARD_LINE.search(self.output)
        return match.group(0) if match else None


def run_timed(project, *args, log_name="fixture-loads.log", env=None, timeout=600):
    log = Path(project) / log_name
    log.unlink(missing_ok=True)
    run_env = {"NSP_FIXTURE_LOAD_LOG": str(log), **(env or {})}
    result = run_nose2(project, "-v", *args, env=run_env, timeout=timeout)
    loads = log.read_text().splitlines() if log.exists() else []
    return TimedRun(result, loads)


def durations_file(project):
    return Path(project) / ".nose-speedup" / "durations.json"


def read_durations(path):
    return json.loads(Path(path).read_text())


def shard_config(project, index, recorded, config="unittest.cfg", extra=()):
    """A config file for shard ``index``: the project's, with ``[timing]
    durations-file`` naming a copy of ``recorded`` (or a missing file)."""
    project = Path(project)
    copy = project / f"shard-{index}-durations.json"
    copy.unlink(missing_ok=True)
    if recorded is not None:
        shutil.copyfile(recorded, copy)
    text = (project / config).read_text()
    text += f"\n[timing]\ndurations-file = {copy}\n" + "".join(extra)
    path = project / f"shard-{index}.cfg"
    path.write_text(text)
    return path


def run_shards(project, count, recorded, *args, env=None, config="unittest.cfg", timeout=600):
    """Run shards 1..count, each from its own copy of ``recorded``."""
    runs = []
    for index in range(1, count + 1):
        cfg = shard_config(project, index, recorded, config)
        runs.append(run_timed(
            project, "-c", str(cfg), "--shard", f"{index}/{count}", *args,
            log_name=f"shard-{index}-loads.log", env=env, timeout=timeout,
        ))
    return runs
