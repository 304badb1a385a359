"""The settings the speedups plugin changes for one test run, and the names
that switch its parts on.

Each part is off unless named: in the ``[speedups]`` section of
``unittest.cfg``, as a flag of the plugin, or in the ``NOSE_SPEEDUPS``
setting that ``manage.py test`` (``Nose2TestRunner``) reads. The overrides
are applied with ``override_settings`` for the run only, so a class or a test
can override them back, and each one is named in the run's start line.
"""

from nose_speedup.errors import ConfigurationError

SOURCE = "speedups"

MEMORY_SESSIONS = "memory-sessions"
SUSPEND_SIGNALS = "suspend-signals"
KEEP_CONNECTIONS = "keep-connections"
FAST_SETTINGS = "fast-settings"
PARTS = (MEMORY_SESSIONS, SUSPEND_SIGNALS, KEEP_CONNECTIONS, FAST_SETTINGS)

PLUGIN_MODULE = "nose_speedup.plugins.speedups"
RUNNER_SETTING = "NOSE_SPEEDUPS"

# The cache alias that holds the run's sessions: added to CACHES for the run,
# so the project's own caches (its default one above all) never see a session.
SESSION_CACHE_ALIAS = "nose_speedup_sessions"
SESSION_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "nose-speedup-sessions",
}
CACHE_SESSION_ENGINE = "django.contrib.sessions.backends.cache"
# The engines whose sessions live in the database: only these are replaced.
# A signed-cookie or custom engine behaves differently from a cache one and
# is left alone.
DATABASE_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)
FAST_PASSWORD_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def nose2_arguments(names):
    """The nose2 arguments that switch on the parts ``names`` lists (the
    ``NOSE_SPEEDUPS`` setting of ``Nose2TestRunner``); none when empty."""
    if isinstance(names, str) or not all(isinstance(name, str) for name in names):
        raise ConfigurationError(
            SOURCE,
            f"{RUNNER_SETTING} = {names!r} is not a list of names; use e.g. "
            f"{RUNNER_SETTING} = [{', '.join(repr(part) for part in PARTS)}]",
        )
    unknown = [name for name in names if name not in PARTS]
    if unknown:
        raise ConfigurationError(
            SOURCE,
            f"{RUNNER_SETTING} names {', '.join(map(repr, unknown))}, which is no part of the "
            f"speedups plugin; use only {', '.join(map(repr, PARTS))}",
        )
    if not names:
        return []
    return ["--plugin", PLUGIN_MODULE, *(f"--{name}" for name in dict.fromkeys(names))]


def memory_session_overrides(settings):
    """``(overrides, description)`` storing sessions in a local-memory cache
    alias of their own; no overrides when the project's sessions do not live
    in the database."""
    if settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES:
        return {}, f"sessions left on {settings.SESSION_ENGINE} (not a database engine)"
    caches = dict(settings.CACHES)
    caches[SESSION_CACHE_ALIAS] = SESSION_CACHE
    overrides = {
        "CACHES": caches,
        "SESSION_ENGINE": CACHE_SESSION_ENGINE,
        "SESSION_CACHE_ALIAS": SESSION_CACHE_ALIAS,
    }
    return overrides, f"SESSION_ENGINE=cache on locmem alias {SESSION_CACHE_ALIAS!r}"


def suspend_signals_overrides(settings):
    return {"SUSPEND_SIGNALS": True}, "SUSPEND_SIGNALS=True"


def fast_settings_overrides(settings):
    """The fast password hasher first; the project's other hashers stay, so
    passwords they made (in fixtures, say) still verify."""
    hashers = [FAST_PASSWORD_HASHER]
    hashers += [name for name in settings.PASSWORD_HASHERS if name != FAST_PASSWORD_HASHER]
    return {"PASSWORD_HASHERS": hashers}, "PASSWORD_HASHERS[0]=MD5PasswordHasher"


OVERRIDES = {
    MEMORY_SESSIONS: memory_session_overrides,
    SUSPEND_SIGNALS: suspend_signals_overrides,
    FAST_SETTINGS: fast_settings_overrides,
}


def run_overrides(parts):
    """``(overrides, descriptions)`` of the settings parts among ``parts``."""
    from django.conf import settings

    overrides, descriptions = {}, []
    for part in PARTS:
        if part in parts and part in OVERRIDES:
            values, description = OVERRIDES[part](settings)
            overrides.update(values)
            descriptions.append(f"{part}: {description}")
    return overrides, descriptions
