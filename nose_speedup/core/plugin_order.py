"""The django plugin never runs beside nose2's ``mp`` plugin, which runs
``tearDownClass`` twice per worker, splits fixture bundles, shares one test
database between its processes and hangs when a worker dies.

(Where it stands among the other plugins on each hook is in
``nose_speedup.hooks``: before nose2's loaders for the loading hooks, after
every other plugin for ``createTests``, where nose2's coverage plugin starts
measuring.)
"""

from nose_speedup.compat import nose2_compat
from nose_speedup.errors import ConfigurationError

MP_PLUGIN_MODULE = "nose2.plugins.mp"
MP_REFUSED = (
    "nose2's mp plugin (--processes/-N) runs tearDownClass twice per worker, splits "
    "fixture bundles and shares one test database between its processes; use "
    "--django-parallel N (nose_speedup.plugins.parallel) instead"
)


def refuse_mp(session):
    """Once the arguments are read: stop the run when nose2's mp plugin is on."""
    if nose2_compat.registered_plugins_from(session, MP_PLUGIN_MODULE):
        raise ConfigurationError(None, MP_REFUSED)
