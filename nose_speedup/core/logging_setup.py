"""Let what tests log reach the terminal as it does under Django's runner.

nose2's ``main`` calls ``logging.basicConfig(level=...)`` before it loads
any plugin (its ``--log-level`` option, WARNING by default), which gives the
root logger a stderr handler. Django's runner adds none. With that handler
every record that propagates to the root is printed as
``WARNING:django.request:Forbidden (Permission denied): /x`` with its
traceback, although Django's default ``LOGGING`` only prints those when
``DEBUG`` is on; a record of a logger that has a handler of its own is
printed twice; and a warning of a logger nobody configured is printed as
``LEVEL:name:message`` instead of Python's last-resort ``message``.

The django plugin removes that one handler when it is loaded, before the
settings configure logging, so ``LOGGING`` and Python's defaults decide what
is printed, as under ``manage.py test``. A handler the project added itself
is kept. nose2's ``--log-capture`` is unaffected (it adds its own handler
when the run starts and attaches the records to failing tests), and an
explicit ``--log-level`` other than WARNING keeps nose2's handler, because
then the console output was asked for.
"""

import logging
import sys

# What logging.basicConfig's handler prints for this record.
_PROBE = logging.LogRecord("nose-speedup", logging.WARNING, __file__, 0, "probe", None, None)
_BASIC_CONFIG_LINE = "WARNING:nose-speedup:probe"


def _is_basic_config_handler(handler):
    return (
        type(handler) is logging.StreamHandler
        and handler.stream is sys.stderr
        and handler.level == logging.NOTSET
        and handler.formatter is not None
        and handler.formatter.format(_PROBE) == _BASIC_CONFIG_LINE
    )


def remove_nose2_console_handler(log_level):
    """Remove the root handler nose2's ``logging.basicConfig`` added, unless
    ``log_level`` (nose2's ``--log-level``) asked for console logging."""
    if log_level != logging.WARNING:
        return
    root = logging.getLogger()
    for handler in [h for h in root.handlers if _is_basic_config_handler(h)]:
        root.removeHandler(handler)
