"""Per test and per class seconds of one run, from the test events alone.

A test's seconds run from its ``startTest`` to its ``stopTest`` (``setUp``
and ``tearDown`` included, as Django's ``--durations`` counts them). A
class's seconds are what passes between tests while the class changes:
the time from the previous test's stop (or the start of the run) to the
first test of the class goes to the class: its ``setUpClass`` (with
``setUpTestData`` and the fixtures it loads itself, or its bundle's load),
its module's ``setUpModule`` and the previous class's ``tearDownClass``
(a rollback); the time after the last test goes to the last class. No class
or method is wrapped, so this works for every kind of test and on every
path (bundled or not, with any set-up hook a suite may have).
"""

from nose_speedup.timing import recorder, store


class TestClock:
    def __init__(self):
        self.tests = {}
        self.classes = {}
        self.classes_run = {}  # class -> None, in the order they started
        self.started = {}
        self.mark = None  # when the last test stopped, or the run started
        self.last_class = None

    def start_run(self):
        self.mark = recorder.now()
        self.last_class = None

    def start_test(self, test):
        moment = recorder.now()
        test_class = type(test)
        if test_class is not self.last_class and self.mark is not None:
            self._add_class(test_class, moment - self.mark)
            self.last_class = test_class
        self.classes_run.setdefault(test_class, None)
        self.started[test] = moment

    def stop_test(self, test):
        moment = recorder.now()
        started = self.started.pop(test, None)
        if started is not None:
            self.tests[test.id()] = moment - started
        self.mark = moment

    def stop_run(self):
        if self.last_class is not None and self.mark is not None:
            self._add_class(self.last_class, recorder.now() - self.mark)
        self.mark = None

    def _add_class(self, test_class, seconds):
        name = store.class_name(test_class)
        self.classes[name] = self.classes.get(name, 0.0) + seconds

    def replace(self, durations):
        """Figures measured where the tests really ran (the parallel
        plugin's workers) replace those of the main process, which only
        replayed their outcomes."""
        tests = durations.get("tests") or {}
        replayed = {test_id.rsplit(".", 1)[0] for test_id in tests}
        for name in replayed:
            self.classes.pop(name, None)
        self.tests.update(tests)
        self.classes.update(durations.get("classes") or {})
