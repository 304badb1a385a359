"""Every private name of nose2 that nose-speedup uses, in one place.

nose2 documents ``Plugin.register`` and the hook methods, not how a session
keeps its plugins: ``nose_speedup.hooks`` states the order in which the
project's plugins act on each hook, the django plugin switches nose2's
loaders off, and the plugins ask which plugins are switched on. These read
and reorder ``session.plugins``, ``plugin.registered``, the hook names
(``session.hooks.methods``) and each hook's ``plugins`` list
(``session.hooks.<name>.plugins``, ``session.hooks.hooks``), as nose2 0.15
and 0.16 keep them.

Also: the plugin modules a run excludes, which nose2 keeps only while it
loads plugins; the class nose2 makes on the fly, in ``nose2.loader``, for a module it
cannot import; ``result.test_started`` (0.14.1+); the attributes an event
declares (``Event._attrs``).
"""

import sys

from nose2.events import Event, PluginMeta

NOSE2_LOADER_MODULE = "nose2.loader"


def hooks(session):
    """``{hook name: nose2.events.Hook}``; each Hook's ``plugins`` list says
    which plugins it calls, in order."""
    return session.hooks.hooks


def plugins_from(session, module_name):
    """The plugins of ``module_name`` the session loaded, on or off."""
    return [plugin for plugin in session.plugins if type(plugin).__module__ == module_name]


def registered_plugins_from(session, module_name):
    """The plugins of ``module_name`` that are switched on for this run."""
    return [plugin for plugin in plugins_from(session, module_name) if plugin.registered]


def hook_calls_plugin_from(session, hook_name, module_name):
    """Whether hook ``hook_name`` calls a plugin of ``module_name``."""
    hook = getattr(session.hooks, hook_name)
    return any(type(plugin).__module__ == module_name for plugin in hook.plugins)


class OncePerSession(PluginMeta):
    """The metaclass of the project's plugins: one instance per session.

    nose2 instantiates every ``Plugin`` class bound in each module it loads
    (``nose2.events.PluginMeta`` makes the instance and registers it), so a
    plugin loaded both through ``nose_speedup.plugins.all`` and through its
    own module would be made twice and add its flags twice. This returns the
    session's instance the second time."""

    def __call__(cls, *args, **kwargs):
        session = kwargs.get("session")
        for plugin in getattr(session, "plugins", ()):
            if type(plugin) is cls:
                return plugin
        return super().__call__(*args, **kwargs)


def excluded_plugin_modules():
    """The plugin modules excluded from this run (``--exclude-plugin``,
    ``[unittest] exclude-plugins``), while nose2 loads plugins. nose2 0.15
    and 0.16 keep them only as ``Session.loadPlugins``' local ``exclude``
    (a set, the command line's and the config's); outside it, none."""
    from nose2.session import Session

    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is Session.loadPlugins.__code__:
            return set(frame.f_locals.get("exclude") or ())
        frame = frame.f_back
    return set()


def sort_hook(session, hook_name, position):
    """Have hook ``hook_name`` call its plugins sorted by ``position(plugin)``
    (stable: plugins of one position keep their order). The one place that
    reorders a hook; ``nose_speedup.hooks`` says the order."""
    hook = getattr(session.hooks, hook_name)
    hook.plugins.sort(key=position)


def add_hooks(plugin, hook_names):
    """Make ``hook_names`` hooks of ``plugin``'s session, each once (nose2's
    ``addMethods`` adds a name again each time it is called)."""
    if plugin.session is None:
        return
    new = [name for name in hook_names if name not in plugin.session.hooks.methods]
    if new:
        plugin.addMethods(*new)


def stop_calling(session, plugins, hook_names=None):
    """Take ``plugins`` off ``hook_names`` (every hook when ``None``)."""
    if hook_names is None:
        chosen = list(hooks(session).values())
    else:
        chosen = [getattr(session.hooks, name) for name in hook_names]
    for hook in chosen:
        for plugin in plugins:
            if plugin in hook.plugins:
                hook.plugins.remove(plugin)


def is_failed_load(test):
    """Whether ``test`` is nose2's stand-in for a module it could not load:
    an instance of a class made on the fly in ``nose2.loader``."""
    return type(test).__module__ == NOSE2_LOADER_MODULE


def reporter_names_unstarted_test(result):
    """Whether nose2's reporter writes the name of a test that never passed
    through ``startTest`` itself: it does from 0.14.1, where the result's
    ``test_started`` is False for it (skipped tests on Python 3.12.1+).
    False when the result's last test did start (a class fixture error after
    it), and on an older nose2, which has no such flag."""
    return not getattr(result, "test_started", True)


def event_attributes(*names):
    """The attributes of an ``Event`` subclass that carries ``names`` too:
    nose2 lists them in ``_attrs`` (for ``repr`` and for its mp plugin)."""
    return Event._attrs + names
