"""A nose2 plugin that writes what ``recordDurations`` receives to the
file ``NSP_DURATIONS_OUT`` names, as JSON, for the tests to read."""

import json
import os

from nose2.events import Plugin


class DurationsProbe(Plugin):
    alwaysOn = True

    def recordDurations(self, event):
        path = os.environ.get("NSP_DURATIONS_OUT")
        if path:
            with open(path, "w", encoding="utf-8") as out:
                json.dump(event.durations, out)
