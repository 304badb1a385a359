"""How nose-speedup stops a run on input the user must fix.

Bad settings, labels, fixtures or databases must end the run with one line
that names the culprit and the fix, never with a traceback from deep inside
Django. Raising ``SystemExit`` with that line does exactly this from any nose2
hook and from ``manage.py test``: Python prints the message to stderr and the
process exits with status 1.
"""


class ConfigurationError(SystemExit):
    """The run cannot start or go on; the message says what to fix."""

    def __init__(self, source, message):
        # source: the plugin or component speaking, e.g. "django plugin".
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
