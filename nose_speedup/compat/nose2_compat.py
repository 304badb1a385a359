"""Every use of nose2's plugin bookkeeping, in one place.

nose2 documents ``Plugin.register`` and the hook methods, not how a session
keeps its plugins: the django plugin must run some hooks before nose2's own
loaders, ``createTests`` after every other plugin, and switch nose2's loaders
off; the other plugins ask which plugins are switched on. These read and
reorder ``session.plugins``, ``plugin.registered`` and each hook's
``plugins`` list (``session.hooks.<name>.plugins``,
``session.hooks.hooks``), as nose2 0.15 keeps them.
"""


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


def call_first(session, plugin, hook_names):
    """Have ``plugin`` handle ``hook_names`` before any other plugin."""
    for name in hook_names:
        hook = getattr(session.hooks, name)
        if plugin in hook.plugins:
            hook.plugins.remove(plugin)
            hook.plugins.insert(0, plugin)


def call_last(session, plugin, hook_name):
    """Have ``plugin`` handle ``hook_name`` after every other plugin."""
    hook = getattr(session.hooks, hook_name)
    if plugin in hook.plugins:
        hook.plugins.remove(plugin)
        hook.plugins.append(plugin)


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
