"""Every nose-speedup plugin, in one line.

::

    [unittest]
    plugins = nose_speedup.plugins.all

    [django]
    settings = mysite.settings

or ``nose2 --plugin nose_speedup.plugins.all``. Every flag and config
section of every capability is then known, and each capability behaves as
when its own module is loaded: the django plugin, test selection, the
durations report, test-database reuse (on with ``REUSE_DB=1``,
``--reuse-db`` or ``[reuse-db] reuse``), parallel runs (on with
``--django-parallel N`` or ``[django] parallel``), shards (on with
``--shard``), timing (records the durations file, prints its closing line),
and the switched ones off until switched on: ``--with-fixture-bundling``,
``--fast-flush``, ``--django-debug-sql``, the speed-ups' flags, or
``always-on = True`` in their sections. ``manage.py test``
(``Nose2TestRunner``) keeps its own defaults (bundling and fast flush on).

Naming a plugin's own module as well (``nose_speedup.plugins.django``)
loads it once: each plugin class makes one instance per session
(``nose_speedup.compat.nose2_compat.OncePerSession``).

``--exclude-plugin nose_speedup.plugins.bundling`` (or ``[unittest]
exclude-plugins``) leaves that capability out, as it does when the modules
are listed one by one.

This is the one module that binds other modules' plugin classes: nose2
makes an instance of every ``Plugin`` class a loaded module lists (its
``dir()``), which is what this module is for; ``__dir__`` lists the classes
of the modules the run does not exclude.
"""

from nose_speedup.plugins.affected import AffectedPlugin  # noqa: F401
from nose_speedup.plugins.bundling import FixtureBundling  # noqa: F401
from nose_speedup.plugins.debug_sql import DebugSQLPlugin  # noqa: F401
from nose_speedup.plugins.django import DjangoPlugin  # noqa: F401
from nose_speedup.plugins.durations import DurationsPlugin  # noqa: F401
from nose_speedup.plugins.fast_flush import FastFlushPlugin  # noqa: F401
from nose_speedup.plugins.parallel import DjangoParallel  # noqa: F401
from nose_speedup.plugins.reuse_db import ReuseDbPlugin  # noqa: F401
from nose_speedup.plugins.selection import SelectionPlugin  # noqa: F401
from nose_speedup.plugins.shards import ShardsPlugin  # noqa: F401
from nose_speedup.plugins.speedups import Speedups  # noqa: F401
from nose_speedup.plugins.timing import TimingPlugin  # noqa: F401

from nose_speedup.compat import nose2_compat  # noqa: E402

PLUGINS = {
    name: value for name, value in dict(globals()).items()
    if isinstance(value, type) and value.__module__.startswith("nose_speedup.plugins.")
}


def __dir__():
    excluded = nose2_compat.excluded_plugin_modules()
    return sorted(name for name, cls in PLUGINS.items() if cls.__module__ not in excluded)
