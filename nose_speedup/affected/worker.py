"""Recording in a ``--django-parallel`` worker process.

The main process's tracer sees no test code run under ``--django-parallel``:
the workers run it. So when the main process records (``WorkerStart.affected``
holds the project root), each worker starts its own ``DependencyTracer``
before it sets Django up, scopes it by the test module of each test its
result starts and stops (as the plugin does in the main process), and after
each unit sends ``("dependencies", (unavailable, {scope: (code, reads)}))``:
what it filed since the last one, and why it could not record, if so. At
its end it files what ran after its last test (``tearDownClass``,
``tearDownModule``) and sends the rest. The main process
adds every worker's scopes to its own tracer (``DependencyTracer.add``), so
a module split across workers, or run partly in the main process (tests
that cannot be pickled), is recorded with the union of what each process
saw. A worker that dies loses what it had not sent; its tests are then
reported as errors, and a module with an error always runs next time.
"""

from nose_speedup.affected import tracer
from nose_speedup.affected.tracking import module_of


class WorkerRecorder:
    def __init__(self, root):
        self.tracer = tracer.DependencyTracer(root)

    def start(self):
        """Before ``django.setup()``: the worker's start-up is filed under no
        test, as in the main process."""
        self.tracer.start()

    def begin_tests(self):
        """Django is set up and the worker uses its databases."""
        if self.tracer.active:
            self.tracer.watch_templates()
            self.tracer.begin_tests()

    def watch(self, result):
        """Scope the tracer by the tests ``result`` starts and stops."""
        start_test, stop_test = result.startTest, result.stopTest

        def started(test):
            self.tracer.start_test(module_of(test))
            start_test(test)

        def stopped(test):
            stop_test(test)
            self.tracer.stop_test()

        result.startTest, result.stopTest = started, stopped
        return result

    def take(self):
        """The message to send: why nothing could be recorded (or None), and
        what was."""
        return ("dependencies", (self.tracer.unavailable, self.tracer.take()))

    def finish(self):
        self.tracer.finish()
        return self.take()
