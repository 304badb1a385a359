"""The speedups plugin (in-memory sessions, suspendable receivers, kept
connections, fast test settings): each part off by default, each measured
through what the scenario's tests record (queries, receivers called, backend
connections), and the same outcomes as Django's own runner with every part on.
Runs nose2 or manage.py in a subprocess against tests/scenarios/speedups/desk,
on the backend NOSE_SPEEDUP_TEST_DB selects; the NOSE_SPEEDUPS setting's
checks, settled before any database, are ``backend_independent``."""

import collections
import json

import pytest

from tests.support.databases import selected_backend
from tests.support.nose2run import copy_scenario, run_manage, run_nose2

SCENARIO = "speedups/desk"
EVERY_PART = ("--memory-sessions", "--suspend-signals", "--keep-connections", "--fast-settings")
DJANGO_RUNNER = (
    "test", "--testrunner", "django.test.runner.DiscoverRunner", "-v", "2", "--noinput",
)
TESTS = 23
CONNECTION_CLASSES = "ABCDEFGHI"


class Run:
    """One run of the scenario and what its tests recorded."""

    def __init__(self, result, report_path):
        self.result = result
        self.report = collections.defaultdict(list)
        if report_path.exists():
            for line in report_path.read_text().splitlines():
                entry = json.loads(line)
                self.report[entry["key"]].append(entry["value"])

    def value(self, key):
        values = self.report[key]
        assert len(values) == 1, (key, values, self.result.describe())
        return values[0]

    def backends(self):
        return [self.value(f"backend_{letter}") for letter in CONNECTION_CLASSES]

    def connections_opened(self):
        return self.report["connection_opened"].count("default")

    def start_lines(self):
        return [line for line in self.result.output.splitlines() if line.startswith("speedups:")]


def run_scenario(tmp_path, *args, manage=False, env=None):
    project = copy_scenario(SCENARIO, tmp_path)
    report = tmp_path / "report.jsonl"
    full_env = {"SPEEDUPS_REPORT": str(report), **(env or {})}
    if manage:
        result = run_manage(project, *args, env=full_env)
    else:
        result = run_nose2(project, "-v", *args, env=full_env)
    return Run(result, report)


def module_run(tmp_path_factory, *args, **kwargs):
    return run_scenario(tmp_path_factory.mktemp("speedups"), *args, **kwargs)


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return module_run(tmp_path_factory)


@pytest.fixture(scope="module")
def every_part(tmp_path_factory):
    return module_run(tmp_path_factory, *EVERY_PART)


@pytest.fixture(scope="module")
def django_run(tmp_path_factory):
    return module_run(tmp_path_factory, *DJANGO_RUNNER, manage=True)


def assert_all_passed(run):
    outcomes = run.result.outcomes()
    assert run.result.returncode == 0, run.result.describe()
    assert len(outcomes) == TESTS and set(outcomes.values()) == {"ok"}, run.result.describe()


def test_outcomes_with_every_part_on_equal_djangos_runner(plain, every_part, django_run):
    assert_all_passed(django_run)
    assert plain.result.outcomes() == django_run.result.outcomes()
    assert every_part.result.outcomes() == django_run.result.outcomes()


def test_every_part_is_off_by_default(plain):
    assert_all_passed(plain)
    assert plain.start_lines() == []
    assert plain.value("session_engine") == "django.contrib.sessions.backends.db"
    assert plain.value("suspend_signals_setting") is None
    assert plain.value("password_algorithm") == "pbkdf2_sha256"
    assert "keep-connections" not in plain.result.output


def test_start_line_names_every_setting_changed(every_part):
    (line,) = every_part.start_lines()
    for expected in (
        "memory-sessions: SESSION_ENGINE=cache on locmem alias 'nose_speedup_sessions'",
        "suspend-signals: SUSPEND_SIGNALS=True",
        "fast-settings: PASSWORD_HASHERS[0]=MD5PasswordHasher",
        "keep-connections: PostgreSQL connections kept open",
    ):
        assert expected in line


def test_memory_sessions_take_the_session_queries_out_of_a_login(plain, every_part):
    assert plain.value("session_queries") >= 2
    assert plain.value("session_rows") == 1
    assert every_part.value("session_queries") == 0
    assert every_part.value("session_rows") == 0
    assert every_part.value("session_engine") == "django.contrib.sessions.backends.cache"
    # Besides the django_session statements, their savepoints go too.
    saved = plain.value("login_queries") - every_part.value("login_queries")
    assert saved >= plain.value("session_queries")


def test_memory_sessions_leave_the_class_that_overrides_them_its_database_sessions(every_part):
    outcomes = every_part.result.outcomes()
    database_session_test = [test for test in outcomes if "DatabaseSessionTests" in test]
    assert [outcomes[test] for test in database_session_test] == ["ok"]


def test_suspend_signals_switch_sets_the_run_wide_default(plain, every_part):
    assert plain.value("default_calls")["note_saved"] == 1
    assert every_part.value("default_calls") == {}
    assert every_part.value("suspend_signals_setting") is True
    # The receivers' own tests, with SUSPEND_SIGNALS=False on their class, pass.
    receiver_tests = {t: o for t, o in every_part.result.outcomes().items() if "ReceiverOwn" in t}
    assert len(receiver_tests) == 8 and set(receiver_tests.values()) == {"ok"}


def test_fast_settings_put_the_md5_hasher_first(every_part):
    assert every_part.value("password_algorithm") == "md5"


def test_plain_run_opens_as_many_connections_as_djangos_runner(plain, django_run):
    assert plain.connections_opened() == django_run.connections_opened()


def test_keep_connections_on_postgresql_only_when_nothing_survives(plain, every_part):
    opened_by_django = plain.connections_opened()
    if selected_backend() != "postgresql":
        # Not verifiable on SQLite and MariaDB: closed exactly as Django does.
        assert every_part.connections_opened() == opened_by_django
        assert "closed as Django does" in every_part.result.output
        return
    a, b, c, d, e, f, g, h, i = every_part.backends()
    # B's connection served C; C's SET, E's advisory lock and H's temporary
    # table made the keeper close theirs, and D, F and I (which check) got
    # fresh ones.
    assert (b == c, c != d, d == e, e != f, f == g, g == h, h != i) == (True,) * 7
    assert len(set(plain.backends())) == len(CONNECTION_CLASSES)
    assert every_part.connections_opened() < opened_by_django
    assert "3x session state changed" in every_part.result.output


def test_manage_py_test_switches_parts_on_with_the_nose_speedups_setting(tmp_path):
    run = run_scenario(
        tmp_path, "test", "-v", "2", "--noinput", manage=True,
        env={"SCENARIO_NOSE_SPEEDUPS": '["fast-settings", "suspend-signals"]'},
    )
    assert_all_passed(run)
    (line,) = run.start_lines()
    assert "fast-settings" in line and "suspend-signals" in line and "memory" not in line
    assert run.value("password_algorithm") == "md5"
    assert run.value("default_calls") == {}


@pytest.mark.backend_independent
def test_unknown_name_in_nose_speedups_stops_with_one_line(tmp_path):
    run = run_scenario(
        tmp_path, "test", "--noinput", manage=True,
        env={"SCENARIO_NOSE_SPEEDUPS": '["fast-setting"]'},
    )
    assert run.result.returncode == 1
    assert "Traceback" not in run.result.output
    assert (
        "speedups: NOSE_SPEEDUPS names 'fast-setting', which is no part of the speedups plugin"
        in run.result.stderr
    )


def test_config_section_switches_a_part_on(tmp_path):
    project = copy_scenario(SCENARIO, tmp_path)
    with open(project / "unittest.cfg", "a") as config:
        config.write("\n[speedups]\nfast-settings = True\n")
    report = tmp_path / "report.jsonl"
    result = run_nose2(
        project, "-v", "desk.tests.test_sessions.LoginTests.test_password_hasher",
        env={"SPEEDUPS_REPORT": str(report)},
    )
    run = Run(result, report)
    assert result.returncode == 0, result.describe()
    assert run.value("password_algorithm") == "md5"
    (line,) = run.start_lines()
    assert line == "speedups: fast-settings: PASSWORD_HASHERS[0]=MD5PasswordHasher"


def test_memory_sessions_leave_an_engine_that_is_not_the_database_alone(tmp_path):
    run = run_scenario(
        tmp_path, "--memory-sessions", "desk.tests.test_sessions.LoginTests.test_password_hasher",
        env={"SCENARIO_SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"},
    )
    assert run.result.returncode == 0, run.result.describe()
    (line,) = run.start_lines()
    assert "sessions left on django.contrib.sessions.backends.signed_cookies" in line


@pytest.mark.backend_independent
def test_nose_speedups_setting_maps_to_the_plugin_and_its_flags():
    from nose_speedup.speedups import settings_overrides

    assert settings_overrides.nose2_arguments([]) == []
    assert settings_overrides.nose2_arguments(("fast-settings", "keep-connections")) == [
        "--plugin", "nose_speedup.plugins.speedups", "--fast-settings", "--keep-connections",
    ]


@pytest.mark.backend_independent
def test_nose_speedups_setting_as_a_string_is_refused_with_the_fix():
    from nose_speedup.errors import ConfigurationError
    from nose_speedup.speedups import settings_overrides

    with pytest.raises(ConfigurationError) as raised:
        settings_overrides.nose2_arguments("fast-settings")
    assert str(raised.value) == (
        "speedups: NOSE_SPEEDUPS = 'fast-settings' is not a list of names; use e.g. "
        "NOSE_SPEEDUPS = ['memory-sessions', 'suspend-signals', 'keep-connections', "
        "'fast-settings']"
    )
