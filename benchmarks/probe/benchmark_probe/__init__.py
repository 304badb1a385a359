"""Benchmark-only instrumentation, copied into every generated project.

Never part of nose-speedup: it lives in the generated project so that every
runner (Django's, pytest-django, nose2) is measured by the same code. With
``BENCHMARK_COUNTS_FILE`` set, ``apps.ProbeConfig.ready`` installs the
counters of ``counters.py`` and the totals are written there as JSON at exit.
"""
