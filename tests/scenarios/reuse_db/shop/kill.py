"""Kill this run with SIGKILL at the step ``NSP_KILL_AT`` names, to test
that the next run repairs what a killed run leaves; or send this process the
signal ``NSP_SIGNAL`` (``SIGKILL``, ``SIGINT``...) just before the first SQL
statement that matches the regular expression ``NSP_SIGNAL_ON_SQL`` runs,
to interrupt the reuse-db plugin in the middle of a restore."""
import os
import re
import signal


def kill_at(step):
    if os.environ.get("NSP_KILL_AT") == step:
        os.kill(os.getpid(), signal.SIGKILL)


def signal_on_sql():
    """Called by settings.py: wraps the statements of every Django cursor."""
    pattern = os.environ.get("NSP_SIGNAL_ON_SQL")
    if not pattern:
        return
    from django.db.backends import utils

    matches = re.compile(pattern, re.S).search
    number = getattr(signal, os.environ.get("NSP_SIGNAL", "SIGKILL"))
    execute = utils.CursorWrapper._execute

    def _execute(self, sql, *args):
        if matches(sql):
            os.kill(os.getpid(), number)
        return execute(self, sql, *args)

    utils.CursorWrapper._execute = _execute
