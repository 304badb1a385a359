"""Time each test and report the slowest, like ``manage.py test --durations N``.

Django's ``--durations`` needs Python 3.12's unittest; this works on every
supported Python and prints the same report: the ``N`` slowest tests
(``0`` for all), longest first, each as ``0.123s     test (id)``; at
verbosity 1 or less, tests under a millisecond are hidden and a note says so.
A test's time runs from its start to its stop, set-up and tear-down included.
"""

import time

SEPARATOR = "-" * 70
HIDDEN_BELOW = 0.001


class Durations:
    def __init__(self, count):
        self.count = count
        self.started = {}
        self.collected = []

    def start(self, test):
        self.started[test] = time.perf_counter()

    def stop(self, test):
        started = self.started.pop(test, None)
        if started is not None:
            self.collected.append((str(test), time.perf_counter() - started))

    def report_lines(self, verbosity):
        """The lines of the report; none when no test ran."""
        if not self.collected:
            return []
        slowest = sorted(self.collected, key=lambda item: item[1], reverse=True)
        if self.count > 0:
            slowest = slowest[: self.count]
        lines = ["Slowest test durations", SEPARATOR]
        shown = [(name, took) for name, took in slowest if verbosity >= 2 or took >= HIDDEN_BELOW]
        lines += ["%-10s %s" % (f"{took:.3f}s", name) for name, took in shown]
        if len(shown) < len(slowest):
            lines += ["", "(durations < 0.001s were hidden; use -v to show these durations)"]
        else:
            lines.append("")
        return lines
