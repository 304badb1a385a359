"""The worker processes of a parallel run, as the main process sees them:
``WorkerProcess`` (one spawned worker, its pipe, the index of the test it
runs, the moments of its start for the timeline) and ``Workers`` (the set
of them: started early, kept at a count, replaced when one dies, stopped
all at once). The dispatcher (``nose_speedup.parallel.dispatcher``) hands
them units."""

import multiprocessing

from nose_speedup import timeline
from nose_speedup.compat import multiprocessing_compat
from nose_speedup.parallel import worker


class WorkerProcess:
    def __init__(self, context, slot, start, stop_event):
        self.slot = slot
        self.conn, child = context.Pipe()
        # The index of the test the worker runs (-1: none), written by the
        # worker without a message, read when the worker dies.
        self.current = context.Value("i", -1, lock=False)
        self.process = context.Process(
            target=worker.work, args=(child, stop_event, start, self.current), daemon=True,
            name=f"nose-speedup-worker-{slot}",
        )
        with multiprocessing_compat.main_script_not_rerun():  # any manage.py works
            self.process.start()
        child.close()
        self.ready = False
        self.unit = None
        self.finished = set()
        # For the HTML report's timeline: this worker's lane and the moments
        # it was started, set Django up and was handed its unit.
        self.lane = f"worker {slot}"
        self.spawned = timeline.wall()
        self.booted = None
        self.unit_started = None


class Workers:
    """The worker processes of a run, started as early as possible (before
    the test databases exist: they set Django up and import the test
    modules meanwhile); ``stop`` ends every one of them, whatever state it
    is in."""

    def __init__(self, starts):
        self.context = multiprocessing.get_context("spawn")
        self.stop_event = self.context.Event()
        self.starts = starts  # slot -> worker.WorkerStart
        self.running = {slot: self.spawn(slot) for slot in starts}

    def spawn(self, slot):
        return WorkerProcess(self.context, slot, self.starts[slot], self.stop_event)

    def keep(self, count, start):
        """Have exactly workers 1 to ``count`` (``start(slot)`` makes the
        ``WorkerStart`` of one more)."""
        for slot in sorted(self.running)[count:]:
            self.stop_one(self.running.pop(slot))
        for slot in range(1, count + 1):
            if slot not in self.running:
                self.starts[slot] = start(slot)
                self.running[slot] = self.spawn(slot)

    def stop(self):
        self.stop_event.set()
        for process in self.running.values():
            if process.process.is_alive():
                process.process.terminate()
        for process in list(self.running.values()):
            self.stop_one(process)
        self.running = {}

    @staticmethod
    def stop_one(process):
        if process.process.is_alive():
            process.process.terminate()
        process.process.join(5)
        if process.process.is_alive():
            process.process.kill()
            process.process.join()
        process.conn.close()
