"""Where the django plugin stands among nose2's plugins.

* Before nose2's loaders, for the loading hooks: the django plugin loads
  test modules as unittest does (``nose_speedup.core.collection``
  says why).
* After every other plugin, for ``createTests``: nose2's coverage plugin
  starts measuring there, and settings and models imported before it would
  count as never run.
* Never beside nose2's ``mp`` plugin, which runs ``tearDownClass`` twice per
  worker, splits fixture bundles, shares one test database between its
  processes and hangs when a worker dies.
"""

from nose_speedup.compat import nose2_compat
from nose_speedup.errors import ConfigurationError

LOADING_HOOKS = (
    "handleDir", "loadTestsFromName", "loadTestsFromModule", "moduleLoadedSuite",
    "loadTestsFromTestCase",
)
MP_PLUGIN_MODULE = "nose2.plugins.mp"
MP_REFUSED = (
    "nose2's mp plugin (--processes/-N) runs tearDownClass twice per worker, splits "
    "fixture bundles and shares one test database between its processes; use "
    "--django-parallel N (nose_speedup.plugins.parallel) instead"
)


def load_before_nose2(session, plugin):
    """Once the plugins are loaded: ``plugin`` loads tests first."""
    nose2_compat.call_first(session, plugin, LOADING_HOOKS)


def set_up_django_last(session, plugin):
    """Once the arguments are read: refuse nose2's mp plugin, and have
    ``plugin`` handle ``createTests`` after every other plugin."""
    if nose2_compat.registered_plugins_from(session, MP_PLUGIN_MODULE):
        raise ConfigurationError(None, MP_REFUSED)
    nose2_compat.call_last(session, plugin, "createTests")
