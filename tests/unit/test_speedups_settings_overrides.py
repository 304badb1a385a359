"""``nose_speedup.speedups.settings_overrides``: the settings each part of
the speedups plugin overrides for a run, and the nose2 arguments the
``NOSE_SPEEDUPS`` setting of ``Nose2TestRunner`` becomes. The override
functions take the settings object as an argument, so a namespace stands
for Django's settings; ``run_overrides`` reads Django's, in a subprocess."""

import types

import pytest

from nose_speedup.errors import ConfigurationError
from nose_speedup.speedups import settings_overrides as overrides
from tests.support.django_snippet import run_snippet

pytestmark = pytest.mark.backend_independent

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def project(**values):
    defaults = {"SESSION_ENGINE": "django.contrib.sessions.backends.db", "CACHES": CACHES,
                "PASSWORD_HASHERS": ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]}
    return types.SimpleNamespace(**{**defaults, **values})


def test_nose_speedups_names_become_the_plugin_and_its_flags_once_each():
    assert overrides.nose2_arguments(["memory-sessions", "fast-settings", "memory-sessions"]) == [
        "--plugin", "nose_speedup.plugins.speedups", "--memory-sessions", "--fast-settings",
    ]
    assert overrides.nose2_arguments([]) == []


def test_a_string_for_nose_speedups_is_refused_with_an_example():
    with pytest.raises(ConfigurationError) as raised:
        overrides.nose2_arguments("memory-sessions")
    assert str(raised.value) == (
        "speedups: NOSE_SPEEDUPS = 'memory-sessions' is not a list of names; use e.g. "
        "NOSE_SPEEDUPS = ['memory-sessions', 'suspend-signals', 'keep-connections', "
        "'fast-settings']"
    )


def test_an_unknown_part_is_refused_naming_the_known_ones():
    with pytest.raises(ConfigurationError) as raised:
        overrides.nose2_arguments(["fast-settings", "memory-session"])
    assert str(raised.value) == (
        "speedups: NOSE_SPEEDUPS names 'memory-session', which is no part of the speedups "
        "plugin; use only 'memory-sessions', 'suspend-signals', 'keep-connections', "
        "'fast-settings'"
    )


@pytest.mark.parametrize("engine", ["django.contrib.sessions.backends.db",
                                    "django.contrib.sessions.backends.cached_db"])
def test_database_sessions_move_to_a_cache_alias_of_their_own(engine):
    settings = project(SESSION_ENGINE=engine, CACHES={"default": dict(CACHES["default"])})
    values, description = overrides.memory_session_overrides(settings)
    assert values == {
        "CACHES": {**CACHES, "nose_speedup_sessions": overrides.SESSION_CACHE},
        "SESSION_ENGINE": "django.contrib.sessions.backends.cache",
        "SESSION_CACHE_ALIAS": "nose_speedup_sessions",
    }
    assert description == "SESSION_ENGINE=cache on locmem alias 'nose_speedup_sessions'"
    assert settings.CACHES == CACHES  # the project's dict is not changed


def test_sessions_outside_the_database_are_left_alone():
    engine = "django.contrib.sessions.backends.signed_cookies"
    assert overrides.memory_session_overrides(project(SESSION_ENGINE=engine)) == (
        {}, f"sessions left on {engine} (not a database engine)"
    )


def test_the_fast_hasher_goes_first_and_the_projects_hashers_stay():
    md5 = "django.contrib.auth.hashers.MD5PasswordHasher"
    pbkdf2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    values, _ = overrides.fast_settings_overrides(project(PASSWORD_HASHERS=[pbkdf2, md5]))
    assert values == {"PASSWORD_HASHERS": [md5, pbkdf2]}


def test_suspend_signals_sets_its_setting():
    assert overrides.suspend_signals_overrides(project()) == (
        {"SUSPEND_SIGNALS": True}, "SUSPEND_SIGNALS=True"
    )


def test_run_overrides_applies_the_named_settings_parts_in_a_fixed_order():
    code = (
        "from nose_speedup.speedups.settings_overrides import run_overrides\n"
        "values, descriptions = run_overrides(['fast-settings', 'keep-connections', "
        "'suspend-signals'])\n"
        "result = [sorted(values), descriptions]\n"
    )
    values, descriptions = run_snippet(code)
    assert values == ["PASSWORD_HASHERS", "SUSPEND_SIGNALS"]
    assert descriptions == ["suspend-signals: SUSPEND_SIGNALS=True",
                            "fast-settings: PASSWORD_HASHERS[0]=MD5PasswordHasher"]
