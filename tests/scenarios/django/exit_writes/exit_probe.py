"""Objects whose finalizers write a file at exit, each kept alive only
through a reference cycle reachable from a global of the place that made it.

``make(site)`` writes into ``$EXIT_PROBE_DIR`` one file per finalizer kind,
named ``<site>-<kind>-<main|worker>``: a buffered file holding bytes not yet
flushed, an object whose ``__del__`` writes, a ``weakref.finalize`` callback
(run at exit by ``atexit`` if its object is still alive) and a logging
handler whose stream is flushed by ``logging.shutdown``."""

import logging
import multiprocessing
import os
import weakref

OUT = os.environ.get("EXIT_PROBE_DIR")


def role():
    return "main" if multiprocessing.current_process().name == "MainProcess" else "worker"


def write(path, open=open):
    with open(path, "w") as handle:
        handle.write("x")


class WritesWhenFinalized:
    def __init__(self, path):
        self.path = path
        self.me = self

    def __del__(self, write=write):  # module globals are gone when it runs at exit
        write(self.path)


class Target:
    def __init__(self):
        self.me = self


def make(site):
    if not OUT:
        return None
    name = os.path.join(OUT, f"{site}-%s-{role()}")
    buffered = open(name % "buffered", "wb")
    buffered.write(b"x")
    target = Target()
    weakref.finalize(target, write, name % "finalize")
    handler = logging.StreamHandler(open(name % "handler", "w"))
    handler.stream.write("x")
    logging.getLogger(f"exit_probe.{site}").addHandler(handler)
    ring = {"buffered": buffered, "del": WritesWhenFinalized(name % "del"),
            "target": target, "handler": handler}
    ring["self"] = ring
    return ring
