"""The reuse-db plugin on a real nose2 Session: which switch turns reuse on,
and that when it is off the set-up is left to the django plugin. Also the
pieces of its machinery that need no Django: the lock and the wording of a
fingerprint's changes."""

import subprocess
import sys

import pytest
from nose2 import events, session

from nose_speedup import hooks as speedup_events
from nose_speedup.errors import ConfigurationError
from nose_speedup.plugins import reuse_db
from nose_speedup.reuse import fingerprint, lock


def make_plugin(monkeypatch, environment=None, config=None, argv=()):
    if environment is None:
        monkeypatch.delenv("REUSE_DB", raising=False)
    else:
        monkeypatch.setenv("REUSE_DB", environment)
    test_session = session.Session()
    test_session.config.add_section("reuse-db")
    for key, value in (config or {}).items():
        test_session.config.set("reuse-db", key, value)
    plugin = reuse_db.ReuseDbPlugin(session=test_session)
    test_session.argparse.parse_args(list(argv))
    return plugin


@pytest.mark.parametrize(
    "environment, expected",
    [
        (None, "off"), ("", "off"), ("0", "off"),
        ("1", "reuse"), ("true", "reuse"), ("reset", "reset"),
    ],
)
def test_reuse_db_environment_variable_picks_the_mode(monkeypatch, environment, expected):
    assert make_plugin(monkeypatch, environment).mode == expected


def test_config_key_turns_reuse_on_and_reuse_db_0_beats_it(monkeypatch):
    assert make_plugin(monkeypatch, None, {"reuse": "True"}).mode == "reuse"
    assert make_plugin(monkeypatch, "0", {"reuse": "True"}).mode == "off"


def test_command_line_beats_the_environment(monkeypatch):
    assert make_plugin(monkeypatch, "0", argv=["--reuse-db"]).mode == "reuse"
    assert make_plugin(monkeypatch, "1", argv=["--create-db"]).mode == "reset"
    assert make_plugin(monkeypatch, "reset", argv=["--reuse-db"]).mode == "reset"


def test_lock_timeout_is_read_from_the_config(monkeypatch):
    assert make_plugin(monkeypatch).lock_timeout == 300
    assert make_plugin(monkeypatch, config={"lock-timeout": "2.5"}).lock_timeout == 2.5


def test_bad_reuse_db_value_stops_with_the_fix(monkeypatch):
    with pytest.raises(ConfigurationError) as raised:
        make_plugin(monkeypatch, "maybe")
    assert str(raised.value) == (
        "reuse-db plugin: REUSE_DB='maybe' is not one of 1, 0 or reset. Set REUSE_DB=1 to keep "
        "and reuse test databases, REUSE_DB=reset to rebuild them, or unset it"
    )


def test_when_off_set_up_and_tear_down_are_left_to_the_django_plugin(monkeypatch):
    from nose_speedup.reuse import ownership

    # What forgetting kept databases does is proven by
    # test_reuse_exactness.py::test_leaving_reuse_drops_the_kept_database_and_its_pristine_copy.
    forgotten = []
    monkeypatch.setattr(ownership, "forget", forgotten.append)
    plugin = make_plugin(monkeypatch)
    plugin.register()
    hooks = plugin.session.hooks
    hooks.addMethod(speedup_events.SET_UP_TEST_DATABASES)
    hooks.register(speedup_events.SET_UP_TEST_DATABASES, plugin)
    event = speedup_events.TestDatabasesEvent(None, {"default": False}, set())
    getattr(hooks, speedup_events.SET_UP_TEST_DATABASES)(event)
    assert not event.handled and event.old_config is None
    assert forgotten == [{"default": False}]
    teardown = speedup_events.TestDatabasesEvent(None, {}, set(), old_config=object())
    plugin.tearDownTestDatabases(teardown)
    assert not teardown.handled


def test_plugin_module_binds_one_plugin_class_and_no_django():
    classes = [
        value for value in vars(reuse_db).values()
        if isinstance(value, type) and issubclass(value, events.Plugin)
    ]
    assert classes == [events.Plugin, reuse_db.ReuseDbPlugin]
    # In a fresh interpreter: this one has imported Django already.
    check = "import sys, nose_speedup.plugins.reuse_db; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", check]).returncode == 0


def test_second_lock_on_one_database_waits_then_gives_up(tmp_path, capsys):
    identity = ("sqlite", str(tmp_path / "test_db.sqlite3"))
    first = lock.acquire(identity, "test_db", timeout=1, source="reuse-db plugin")
    try:
        with pytest.raises(ConfigurationError) as raised:
            lock.acquire(identity, "test_db", timeout=0.3, source="reuse-db plugin")
    finally:
        lock.release(first)
    assert "Waiting for test database 'test_db': another run (pid" in capsys.readouterr().err
    assert "test database 'test_db' is still in use by another run" in str(raised.value)
    lock.release(lock.acquire(identity, "test_db", timeout=0.3, source="reuse-db plugin"))


def test_changes_name_each_kind_of_change_settings_first():
    old = {
        "django": "5.2", "setting AUTH_USER_MODEL": "a", "app shop": "s",
        "migration shop/0001_initial.py": "1", "migration shop/0900_branch.py": "9",
    }
    new = {
        "django": "5.2", "setting AUTH_USER_MODEL": "b", "app shop": "s", "app blog": "b",
        "migration shop/0001_initial.py": "1b", "migration shop/0002_new.py": "2",
        "migration blog/0001_initial.py": "x", "models notes/models.py": "m",
    }
    assert fingerprint.changes(old, new) == [
        "setting AUTH_USER_MODEL changed",
        "app 'blog' added",
        "migration shop/0001_initial.py changed",
        "migration shop/0002_new.py added",
        "migration shop/0900_branch.py removed",
        "models notes/models.py added",
    ]


def test_changes_put_a_new_django_version_first_and_summary_counts_the_rest():
    reasons = fingerprint.changes({"django": "4.2", "app a": "1"}, {"django": "5.2", "app b": "1"})
    assert reasons == ["Django 4.2 -> 5.2", "app 'a' removed", "app 'b' added"]
    assert fingerprint.summary(reasons + ["x", "y"]) == (
        "Django 4.2 -> 5.2, app 'a' removed, app 'b' added and 2 more changes"
    )


def test_digest_depends_on_every_entry_and_not_on_order():
    entries = {"app a": "1", "migration a/0001.py": "2"}
    assert fingerprint.digest(entries) == fingerprint.digest(dict(reversed(entries.items())))
    assert fingerprint.digest(entries) != fingerprint.digest({**entries, "app a": "3"})
