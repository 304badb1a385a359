"""A nose2 plugin that appends ``<worker slot> <test id>`` to the file
``NSP_HANDOUT_LOG`` names as each test's outcomes are replayed in the main
process: one worker's tests come in the order that worker ran them, so the
tests can read the order units were handed out in."""

import os

from nose2.events import Plugin

from nose_speedup.parallel import outcomes


class HandOutProbe(Plugin):
    alwaysOn = True

    def startTest(self, event):
        path = os.environ.get("NSP_HANDOUT_LOG")
        if path:
            slot = getattr(event.test, outcomes.WORKER_SLOT, None)
            with open(path, "a", encoding="utf-8") as out:
                out.write(f"{slot} {event.test.id()}\n")
