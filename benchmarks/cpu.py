"""CPU seconds of a measured run: the runner's processes and the database server's.

Why a benchmark needs them: on a machine whose cores are all busy, a run's wall
time is its CPU time divided by the cores, so two runners that both keep every
core busy compare as their CPU seconds do, and a saving shows where it was
made (the test processes or the server). ``cores`` (CPU seconds / wall) says
whether a run was CPU-bound: 2.0 on two cores means nothing was left to use.

``children_seconds()`` is the user + system time of every finished child of
this process, grandchildren included once their parent waited for them (a
runner's worker processes). ``server_seconds(backend)`` reads ``/proc`` for
the local server's processes (PostgreSQL's ``postgres``, MariaDB's
``mariadbd``; backends ``postgresql`` and ``mariadb``): their own time plus the time of the children they waited for,
so a backend that served one connection and exited still counts. It is
``None`` for SQLite (in-process: its time is the runner's) and wherever the
server's processes are not visible (another host, another container).
Nothing else must use the server while a benchmark runs (idle machine).
"""

import os
import resource
import time

# The benchmarks' backend names (run.py, fast_flush.py, reuse_restore.py ...).
SERVER_COMMANDS = {"postgresql": ("postgres",), "mariadb": ("mariadbd", "mysqld")}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def children_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def read_server(commands, proc="/proc"):
    """``(seconds, zombies)`` over the processes named one of ``commands``, or
    ``(None, 0)`` when there is none. A zombie's time is about to move into its
    parent's children time: a reading with zombies may count it twice or not at
    all. A backend reaped while a reading runs may be missed too (its parent
    read before, itself gone after), so ``server_seconds`` takes a reading only
    when it has no zombie and the next one agrees."""
    ticks, found, zombies = 0, False, 0
    for pid in os.listdir(proc):
        if not pid.isdigit():
            continue
        try:
            with open(os.path.join(proc, pid, "stat")) as f:
                stat = f.read()
        except OSError:  # it ended between listdir and open
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        if name not in commands:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[0] is field 3 of proc(5): state; utime, stime, cutime, cstime are 14-17.
        ticks += sum(int(value) for value in fields[11:15])
        zombies += fields[0] == "Z"
        found = True
    return (ticks / CLOCK_TICKS if found else None), zombies


def server_seconds(backend, proc="/proc", attempts=50):
    commands = SERVER_COMMANDS.get(backend)
    if not commands or not os.path.isdir(proc):  # no /proc: macOS
        return None
    last = None
    for _ in range(attempts):
        seconds, zombies = read_server(commands, proc)
        if not zombies and seconds == last:
            return seconds
        last = None if zombies else seconds
        time.sleep(0.02)  # the server reaps its ended backends at once
    return seconds
