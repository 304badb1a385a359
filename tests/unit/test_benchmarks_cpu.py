"""The benchmark's CPU accounting (benchmarks/cpu.py): a finished child's
time, and the database server's time read from a /proc tree, where a backend
that ended still counts (in its parent's children time) and a zombie is read
again rather than counted twice or not at all."""

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import cpu  # noqa: E402

pytestmark = pytest.mark.backend_independent


def write_process(proc, pid, name, state, utime, stime, cutime=0, cstime=0):
    (proc / str(pid)).mkdir(parents=True)
    # Fields 1-17 of proc(5)'s stat, the rest cut; a name may hold spaces and parentheses.
    fields = [state, "1", "1", "1", "0", "-1", "0", "0", "0", "0", "0",
              str(utime), str(stime), str(cutime), str(cstime)]
    (proc / str(pid) / "stat").write_text(f"{pid} ({name}) {' '.join(fields)} 20 0 1\n")


def test_a_finished_child_counts_in_children_seconds():
    before = cpu.children_seconds()
    subprocess.run([sys.executable, "-c", "sum(range(10_000_000))"], check=True)
    assert cpu.children_seconds() - before > 0.05


def test_server_time_sums_its_processes_and_the_children_they_waited_for(tmp_path):
    ticks = cpu.CLOCK_TICKS
    write_process(tmp_path, 10, "postgres", "S", 2 * ticks, ticks, cutime=30 * ticks,
                  cstime=4 * ticks)
    write_process(tmp_path, 11, "postgres", "S", ticks, 0)
    write_process(tmp_path, 12, "python (worker) x", "R", 99 * ticks, 0)
    (tmp_path / "self").mkdir()
    assert cpu.read_server(("postgres",), str(tmp_path)) == (38.0, 0)
    assert cpu.server_seconds("postgresql", str(tmp_path)) == 38.0


def test_no_server_process_or_an_in_process_database_reads_as_not_measured(tmp_path):
    write_process(tmp_path, 12, "python", "R", 5, 0)
    assert cpu.server_seconds("postgresql", str(tmp_path)) is None
    assert cpu.server_seconds("sqlite", str(tmp_path)) is None


def test_a_zombie_backend_is_read_again_once_reaped(tmp_path, monkeypatch):
    ticks = cpu.CLOCK_TICKS
    # Read in the middle of a reap: the parent already counts the ended backend
    # that is still listed as a zombie, so the reading counts it twice.
    write_process(tmp_path, 10, "postgres", "S", ticks, 0, cutime=7 * ticks)
    write_process(tmp_path, 11, "postgres", "Z", 7 * ticks, 0)

    def reap(seconds):  # the reap ends: the zombie is gone
        if (tmp_path / "11").exists():
            (tmp_path / "11" / "stat").unlink()
            (tmp_path / "11").rmdir()

    monkeypatch.setattr(cpu.time, "sleep", reap)
    assert cpu.read_server(("postgres",), str(tmp_path)) == (15.0, 1)
    assert cpu.server_seconds("postgresql", str(tmp_path)) == 8.0


def test_a_machine_without_proc_reads_the_server_as_not_measured(tmp_path):
    assert cpu.server_seconds("postgresql", str(tmp_path / "no-proc")) is None


def test_a_reading_that_missed_a_backend_is_not_taken_until_the_next_agrees(tmp_path, monkeypatch):
    ticks = cpu.CLOCK_TICKS
    # The first reading missed a backend reaped while it ran (the parent was
    # read before the reap, the backend's entry was gone after it).
    write_process(tmp_path, 10, "postgres", "S", ticks, 0)
    readings = []

    def settle(seconds):  # the parent now counts the reaped backend's 5 s
        readings.append(seconds)
        (tmp_path / "10" / "stat").unlink()
        (tmp_path / "10").rmdir()
        write_process(tmp_path, 10, "postgres", "S", ticks, 0, cutime=5 * ticks)

    monkeypatch.setattr(cpu.time, "sleep", settle)
    assert cpu.server_seconds("postgresql", str(tmp_path)) == 6.0
    assert len(readings) == 2


def test_mariadb_is_measured_under_the_benchmarks_backend_name(tmp_path):
    write_process(tmp_path, 20, "mariadbd", "S", 3 * cpu.CLOCK_TICKS, 0)
    assert cpu.server_seconds("mariadb", str(tmp_path)) == 3.0
