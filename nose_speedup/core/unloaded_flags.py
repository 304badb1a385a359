"""Flags of the project's plugins that are not loaded: named, not "unrecognized".

nose2 knows only the flags of the plugins it loaded, so ``--django-parallel 2``
without ``--plugin nose_speedup.plugins.parallel`` would end in argparse's
"Unrecognized arguments". The django plugin takes every declared flag
(``nose_speedup.options.OPTIONS``) of a plugin that is not loaded, hidden from
``--help``, and stops the run on one that was given, saying which plugin to
add and how.
"""

import argparse

from nose_speedup.errors import ConfigurationError
from nose_speedup.options import ALL_PLUGINS, OPTIONS, SWITCH

UNLOADED = "nose_speedup_unloaded_"


def offer(session):
    """Once the plugins are loaded: take the flags of the project's plugins
    that are not loaded, so that ``refuse`` names the plugin to add
    (nose2 would say only "Unrecognized arguments")."""
    loaded = {type(plugin).__module__ for plugin in session.plugins}
    for option in OPTIONS:
        if option.flag and option.module not in loaded:
            spelling = {"action": "store_true"} if option.kind == SWITCH else {"nargs": 1}
            try:
                session.argparse.add_argument(
                    option.flag, dest=UNLOADED + option.flag, help=argparse.SUPPRESS, **spelling
                )
            except argparse.ArgumentError:
                pass  # taken already: by another call, or a plugin of that name


def refuse(args):
    """Stop the run on a flag of a plugin that is not loaded, naming it."""
    for option in OPTIONS:
        if option.flag and getattr(args, UNLOADED + option.flag, None):
            raise ConfigurationError(
                None,
                f"{option.flag} is an option of {option.module}, which is not loaded; add "
                f"'--plugin {option.module}' to the command line or '{option.module}' to "
                f"'plugins' in [unittest] (or '{ALL_PLUGINS}' for every capability)",
            )
