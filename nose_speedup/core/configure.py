"""Configure Django for a test run: pick the settings module, import it and
call ``django.setup()``, turning each way this can go wrong into one line
that names the culprit and the fix.

This must happen before nose2 imports any test module, because test modules
import models, and models need a configured, populated app registry.
"""

import importlib
import os
import sys
import sysconfig
import traceback

import nose_speedup
from nose_speedup.errors import ConfigurationError

SETTINGS_VARIABLE = "DJANGO_SETTINGS_MODULE"


def resolve_settings_module(from_plugin=None):
    """The settings module to use: the django plugin's (``--django-settings``,
    which beats the config file's ``[django] settings``), else
    ``DJANGO_SETTINGS_MODULE``; ``None`` when neither is set."""
    return from_plugin or os.environ.get(SETTINGS_VARIABLE) or None


def _describe_import_error(module_name, error):
    """One line saying why ``module_name`` did not import, pointing at the
    user's file and line rather than at importlib's internals."""
    if isinstance(error, ModuleNotFoundError) and error.name and (
        module_name == error.name or module_name.startswith(error.name + ".")
    ):
        return (
            f"settings module {module_name!r} cannot be imported: no module named "
            f"{error.name!r} (sys.path[0] is {sys.path[0]!r}). Check the name, and run "
            f"nose2 from the project directory or pass -t/--top-level-directory"
        )
    where = _user_location(error)
    # A SyntaxError's str() repeats the file and line given in ``where``.
    detail = error.msg if isinstance(error, SyntaxError) else error
    return (
        f"settings module {module_name!r} failed to import{where}: "
        f"{type(error).__name__}: {detail}. Fix the settings file"
    )


def _is_library_file(filename):
    """Python's own modules (``<frozen os>`` included), installed packages
    and nose-speedup: never where a settings error needs fixing."""
    if filename.startswith("<"):
        return True
    path = os.path.abspath(filename)
    roots = {sysconfig.get_path(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    roots.add(os.path.dirname(os.path.abspath(nose_speedup.__file__)))
    return any(root and path.startswith(os.path.abspath(root) + os.sep) for root in roots)


def _user_location(error):
    """`` (settings.py, line 12)``: the innermost frame of the user's own
    code, or the line a SyntaxError points at; empty when there is none."""
    if isinstance(error, SyntaxError) and error.filename and error.lineno:
        return f" ({error.filename}, line {error.lineno})"
    frames = traceback.extract_tb(error.__traceback__)
    user_frames = [frame for frame in frames if not _is_library_file(frame.filename)]
    if not user_frames:
        return ""
    return f" ({user_frames[-1].filename}, line {user_frames[-1].lineno})"


def configure_django(settings_module):
    """Import the settings and populate the app registry, once.

    Under ``manage.py test`` Django is configured already and this only checks
    that the app registry is ready.
    """
    from django.conf import settings

    if not settings.configured:
        if not settings_module:
            raise ConfigurationError(
                None,
                "no Django settings module is set. Pass --django-settings MODULE, "
                "add 'settings = MODULE' to the [django] section of unittest.cfg, "
                f"or set {SETTINGS_VARIABLE}",
            )
        os.environ[SETTINGS_VARIABLE] = settings_module
        try:
            importlib.import_module(settings_module)
        except Exception as error:  # the user's settings file, any error
            raise ConfigurationError(None, _describe_import_error(settings_module, error))

    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except (ImproperlyConfigured, ImportError, LookupError) as error:
        raise ConfigurationError(
            None,
            f"django.setup() failed with settings {os.environ.get(SETTINGS_VARIABLE)!r}: "
            f"{type(error).__name__}: {error}. Fix INSTALLED_APPS or the setting it names",
        )
