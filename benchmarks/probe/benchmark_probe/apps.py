import os

from django.apps import AppConfig


class ProbeConfig(AppConfig):
    name = "benchmark_probe"
    label = "benchmark_probe"

    def ready(self):
        path = os.environ.get("BENCHMARK_COUNTS_FILE")
        if path:
            from . import counters

            counters.install(path)
