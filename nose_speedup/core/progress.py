"""Show progress while a test database is migrated.

Building a test database replays every migration, which takes minutes on a
large project, and at verbosity 1 Django prints nothing meanwhile. Once a
build has run for ``after_seconds``, this shows
``Building test database 'test_shop': applying migrations 37/212``: on a
terminal as one line updated in place (and erased when the build ends, so
the output is Django's), otherwise as plain lines at each tenth of the way
(CI logs). Verbosity 0 shows nothing; verbosity 2 and more leave it to
Django's own ``Applying ...`` lines.

It listens to Django's ``pre_migrate`` signal (which carries the plan, so
the total) and wraps the ``migrate`` command's progress callback while the
databases are set up.
"""

import contextlib
import sys
import time


class MigrationProgress:
    def __init__(self, stream, after_seconds):
        self.stream = stream
        self.in_place = stream.isatty()
        self.after_seconds = after_seconds
        self.plan = None
        self.what = ""
        self.total = None
        self.done = 0
        self.started = 0.0
        self.last_tenth = 0
        self.shown = ""

    def pre_migrate(self, sender, using=None, plan=None, **kwargs):
        if plan is self.plan:  # sent once per app for one migrate run
            return
        from django.db import connections

        self.end()
        self.plan, self.total, self.done, self.last_tenth = plan, len(plan or ()), 0, 0
        name = str(connections[using].settings_dict["NAME"]) if using else ""
        self.what = f"for alias '{using}'" if "mode=memory" in name else f"'{name}'"
        self.started = time.monotonic()

    def applied(self):
        self.done += 1
        if time.monotonic() - self.started < self.after_seconds:
            return
        total = f"/{self.total}" if self.total else ""
        text = f"Building test database {self.what}: applying migrations {self.done}{total}"
        if self.in_place:
            self.stream.write("\r" + text.ljust(len(self.shown)))
            self.shown = text
        else:
            tenth = self.done * 10 // self.total if self.total else self.done
            if tenth > self.last_tenth or self.done == self.total:
                self.last_tenth = tenth
                self.stream.write(text + "\n")
        self.stream.flush()

    def end(self):
        """Erase the in-place line, so that what follows starts clean."""
        if self.shown:
            self.stream.write("\r" + " " * len(self.shown) + "\r")
            self.stream.flush()
            self.shown = ""


@contextlib.contextmanager
def migration_progress(verbosity, after_seconds):
    """Show migration progress for the databases built inside this block."""
    if verbosity != 1:
        yield
        return
    from django.core.management.commands import migrate
    from django.db.models.signals import pre_migrate

    progress = MigrationProgress(sys.stderr, after_seconds)
    original = migrate.Command.migration_progress_callback

    def callback(command, action, migration=None, fake=False):
        original(command, action, migration, fake)
        if action == "apply_success":
            progress.applied()

    pre_migrate.connect(progress.pre_migrate, dispatch_uid="nose_speedup.core.progress")
    migrate.Command.migration_progress_callback = callback
    try:
        yield
    finally:
        migrate.Command.migration_progress_callback = original
        pre_migrate.disconnect(dispatch_uid="nose_speedup.core.progress")
        progress.end()
