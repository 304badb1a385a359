from django.apps import AppConfig

import exit_probe

RINGS = []


class LedgerConfig(AppConfig):
    name = "ledger"

    def ready(self):
        RINGS.append(exit_probe.make("ready"))
