"""How nose-speedup stops a run on input the user must fix.

Bad settings, labels, fixtures or databases must end the run with one line
that names the culprit and the fix, never with a traceback from deep inside
Django. Raising ``SystemExit`` with that line does exactly this from any nose2
hook and from ``manage.py test``: Python prints the message to stderr and the
process exits with status 1.
"""


import contextlib


class ConfigurationError(SystemExit):
    """The run cannot start or go on; the message says what to fix.

    ``source`` is the plugin speaking, e.g. ``"django plugin"``. The core
    modules (``nose_speedup.core``) serve whichever plugin drives them
    and give ``None``: the plugin names itself where it reports the error
    (``reported_by``)."""

    def __init__(self, source, message):
        super().__init__(f"{source}: {message}" if source else message)
        self.source = source
        self.message = message


@contextlib.contextmanager
def reported_by(source):
    """Prefix with ``source`` the errors raised without one inside the block."""
    try:
        yield
    except ConfigurationError as error:
        if error.source is not None:
            raise
        raise ConfigurationError(source, error.message) from None
