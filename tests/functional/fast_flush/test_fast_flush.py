"""The fast flush (nose_speedup.plugins.fast_flush): after every
TransactionTestCase test the database holds exactly what Django's flush
leaves (every table's rows, every sequence's value, post_migrate's content
types and permissions), and outcomes equal Django's runner.

tests/scenarios/fast_flush/ledger records the state after each test's
teardown (ledger/state.py); the same scenario runs with the fast flush, with
Django's flush under nose2, under Django's own runner and under manage.py
test with our runner, on the backend NOSE_SPEEDUP_TEST_DB selects.
PYTHONHASHSEED is fixed because Django's flush lists tables in set order,
which decides the order a trigger sees the DELETEs in."""

import json
import re

import pytest

from tests.support.databases import selected_backend
from tests.support.nose2run import copy_scenario, run_manage, run_nose2

SCENARIO = "fast_flush/ledger"
DJANGO_RUNNER = ("test", "--testrunner", "django.test.runner.DiscoverRunner", "-v", "2",
                 "--noinput")
TESTS = 16
SUMMARY = re.compile(
    r"^fast-flush: (?P<flushes>\d+) TransactionTestCase flushes emptied (?P<emptied>\d+) "
    r"non-empty tables \(Django's flush empties (?P<listed>\d+)\)(?P<rest>.*)$",
    re.MULTILINE,
)


class Run:
    def __init__(self, result, state_path):
        self.result = result
        self.states = []
        self.classes = []  # {"class": name, "process": name} as each class starts
        if state_path.exists():
            for line in state_path.read_text().splitlines():
                entry = json.loads(line)
                (self.states if "test" in entry else self.classes).append(entry)

    def state_after(self, test_suffix):
        (state,) = [entry["state"] for entry in self.states if entry["test"].endswith(test_suffix)]
        return state

    def summary(self):
        match = SUMMARY.search(self.result.output)
        assert match, self.result.describe()
        return match


def run_scenario(tmp_path, *args, manage=False, env=None, config=None):
    project = copy_scenario(SCENARIO, tmp_path)
    if config is not None:
        (project / "unittest.cfg").write_text(config)
    states = tmp_path / "states.jsonl"
    full_env = {"FLUSH_STATE_FILE": str(states), "PYTHONHASHSEED": "0", **(env or {})}
    if manage:
        result = run_manage(project, *args, env=full_env)
    else:
        result = run_nose2(project, "-v", *args, env=full_env)
    return Run(result, states)


@pytest.fixture(scope="module")
def fast(tmp_path_factory):
    return run_scenario(tmp_path_factory.mktemp("fast"), "--fast-flush")


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return run_scenario(tmp_path_factory.mktemp("plain"))


@pytest.fixture(scope="module")
def django_run(tmp_path_factory):
    return run_scenario(tmp_path_factory.mktemp("django"), *DJANGO_RUNNER, manage=True)


@pytest.fixture(scope="module")
def runner_run(tmp_path_factory):
    return run_scenario(tmp_path_factory.mktemp("runner"), "test", "-v", "2", "--noinput",
                        manage=True)


TOTALS = re.compile(r"^(Ran \d+ tests?)\b.*$|^((?:OK|FAILED)\b.*)$", re.MULTILINE)
TEARDOWN_ERROR = "FOutsideReferenceTests"


def totals(run):
    """``["Ran 16 tests", "FAILED (failures=1, errors=1)"]``: a teardown
    error counts in both runners' totals, though nose2's -v line says "ok"
    first (its report, not the flush: plain nose2 shows the same)."""
    return [next(filter(None, match.groups())) for match in TOTALS.finditer(run.result.output)]


def test_outcomes_with_the_fast_flush_equal_djangos_runner(fast, plain, django_run, runner_run):
    reference = django_run.result.outcomes()
    assert len(reference) == TESTS, django_run.result.describe()
    failing = {test for test, outcome in reference.items() if outcome != "ok"}
    assert any("test_c_fails_when_rows" in test for test in failing), django_run.result.describe()
    # PostgreSQL's TRUNCATE fails after the test that an outside table
    # references (counted in the totals below; how the error is named differs
    # between Python versions).
    teardown_error = selected_backend() == "postgresql"
    for run in (fast, plain, runner_run):
        outcomes = run.result.outcomes()
        assert {t: o for t, o in outcomes.items() if TEARDOWN_ERROR not in t} == {
            t: o for t, o in reference.items() if TEARDOWN_ERROR not in t
        }, run.result.describe()
        assert totals(run) == totals(django_run), run.result.describe()
    ran, verdict = totals(django_run)
    assert ran == f"Ran {TESTS} tests" and "failures=1" in verdict
    assert ("errors=1" in verdict) == teardown_error, verdict


def test_state_after_every_test_equals_the_state_djangos_flush_leaves(
    fast, plain, django_run, runner_run
):
    tests = [entry["test"] for entry in django_run.states]
    assert len(tests) == TESTS, django_run.result.describe()
    for run in (fast, runner_run, plain):
        assert [entry["test"] for entry in run.states] == tests, run.result.describe()
        for mine, django in zip(run.states, django_run.states):
            assert mine["state"] == django["state"], (mine["test"], run.result.describe())


def test_recorded_states_show_what_djangos_flush_does(django_run):
    """The comparison above is only as good as what is recorded: rows the
    migrations and post_migrate wrote, sequences that move on."""
    after_fill = django_run.state_after("APlainTests.test_a_fills_tables")
    assert after_fill["ledger_setting"] == []  # migrations' rows: emptied
    assert after_fill["ledger_account"] == [] and after_fill["auth_user"] == []
    assert len(after_fill["django_content_type"]) >= 10  # post_migrate ran again
    assert len(after_fill["auth_permission"]) >= 40
    sequences = dict(map(tuple, after_fill["<sequences>"]))
    assert any("account" in name and value for name, value in sequences.items())
    serialized = django_run.state_after("A0SerializedRollbackTests.test_a_migration_rows_restored")
    assert serialized["django_content_type"] == []  # post_migrate inhibited
    available = django_run.state_after("BAvailableAppsTests.test_a_note_outside_references_an_account")
    # Only the available apps' tables are listed: content types stay.
    assert available["ledger_account"] == [] and available["django_content_type"]
    # allow_cascade: PostgreSQL's TRUNCATE CASCADE and SQLite's DELETE empty
    # the notes that reference ledger_account; MariaDB's DELETE does not.
    assert (available["notes_note"] == []) == (selected_backend() != "mariadb")
    if selected_backend() == "postgresql":
        # Django's TRUNCATE fires the trigger on ledger_entry, empty or not.
        assert django_run.state_after("ETriggerTests.test_a_account_only")["ledger_audit"]


def test_fast_flush_empties_only_the_tables_that_hold_rows(fast):
    summary = fast.summary()
    assert 0 < int(summary["emptied"]) < int(summary["listed"]) / 3, summary.group(0)


def test_trigger_and_outside_foreign_key_fall_back_to_djangos_flush_and_say_so(fast):
    rest = fast.summary()["rest"]
    assert "Django's flush ran instead" in rest and "a trigger the flush could fire" in rest
    outside = "a table outside Django's flush list references one in it"
    assert (outside in rest) == (selected_backend() == "postgresql"), rest


if selected_backend() == "postgresql":

    def test_post_migrate_rows_are_replayed_once_two_real_runs_agree(fast):
        """The state comparison above checks the replayed rows, ids and
        sequences; ledger's GAfterwardsTests checks ContentType's cache."""
        rest = fast.summary()["rest"]
        replayed = re.search(r"post_migrate's rows replayed (\d+) times", rest)
        # Of the fast flushes that send post_migrate, the first two run the
        # handlers (record, then verify); the other six replay.
        assert replayed and int(replayed[1]) == 6, rest


def test_plugin_is_off_unless_switched_on(plain):
    assert "fast-flush:" not in plain.result.output


def test_config_always_on_switches_it_on(tmp_path):
    config = ("[unittest]\nplugins = nose_speedup.plugins.django\n"
              "          nose_speedup.plugins.fast_flush\n\n[django]\nsettings = settings\n\n"
              "[fast-flush]\nalways-on = True\n")
    run = run_scenario(tmp_path, config=config)
    assert run.summary(), run.result.describe()


def test_unknown_config_key_stops_the_run_naming_it(tmp_path):
    config = ("[unittest]\nplugins = nose_speedup.plugins.django\n"
              "          nose_speedup.plugins.fast_flush\n\n[django]\nsettings = settings\n\n"
              "[fast-flush]\nalways-on = True\nfast = yes\n")
    run = run_scenario(tmp_path, config=config)
    assert run.result.returncode != 0
    assert "fast-flush:" in run.result.stderr and "unknown key 'fast'" in run.result.stderr


def test_runner_uses_it_by_default(runner_run):
    assert runner_run.summary()


def test_runner_flag_and_setting_switch_it_off(tmp_path):
    flag = run_scenario(tmp_path / "flag", "test", "--no-fast-flush", "--noinput", manage=True)
    setting = run_scenario(tmp_path / "setting", "test", "--noinput", manage=True,
                           env={"SCENARIO_FAST_FLUSH": "0"})
    for run in (flag, setting):
        assert f"Ran {TESTS} tests" in run.result.output, run.result.describe()
        assert "fast-flush:" not in run.result.output, run.result.describe()


OVERRIDE = '''import os

from django.core.management.commands import flush


class Command(flush.Command):
    def handle(self, **options):
        with open(os.environ["FLUSH_OVERRIDE_FILE"], "a") as file:
            file.write("called\\n")
        return super().handle(**options)
'''


def test_an_app_overriding_flush_gets_every_flush_and_the_line_says_so(tmp_path):
    project = copy_scenario(SCENARIO, tmp_path)
    commands = project / "notes" / "management" / "commands"
    commands.mkdir(parents=True)
    for package in (commands.parent, commands):
        (package / "__init__.py").write_text("")
    (commands / "flush.py").write_text(OVERRIDE)
    calls = tmp_path / "calls.txt"
    result = run_nose2(project, "-v", "--fast-flush",
                       env={"FLUSH_OVERRIDE_FILE": str(calls), "PYTHONHASHSEED": "0"})
    assert f"Ran {TESTS} tests" in result.output, result.describe()
    flushes = len(calls.read_text().splitlines())
    # Under available_apps = ["ledger"] Django's call_command finds the core
    # flush (the notes app is not available): so does the fast flush.
    assert flushes == TESTS - 2, result.describe()
    assert f"Django's flush ran instead {flushes} times" in result.output, result.describe()
    assert "fast-flush: 2 TransactionTestCase flushes" in result.output
    assert "an app overrides the flush command" in result.output


def test_a_setting_that_is_not_a_boolean_stops_manage_py_test_naming_it(tmp_path):
    project = copy_scenario(SCENARIO, tmp_path)
    settings = project / "settings.py"
    settings.write_text(settings.read_text() + '\nNOSE_FAST_FLUSH = "yes"\n')
    result = run_manage(project, "test", "--noinput")
    assert result.returncode != 0
    assert "NOSE_FAST_FLUSH = 'yes' is not True or False" in result.output, result.describe()
    assert "Traceback" not in result.output


# A hostile project (tests/scenarios/fast_flush/hostile): two databases flushed
# together, available_apps with reset_sequences, serialized_rollback on both
# databases, a table a test creates and leaves rows in, rows of a
# self-referential foreign key pointing at each other (a cycle too), an
# unmanaged model's table, and on PostgreSQL the traps for the DELETE the fast
# flush uses there (a trigger and a rule on DELETE, an ON DELETE CASCADE into
# a table, a foreign key that cannot be deferred, row-level security), and a
# post_migrate receiver of the project's own, which stops the replay of
# contenttypes' and auth's rows. Every database a test uses must end each test
# as Django's flush leaves it.

HOSTILE = "fast_flush/hostile"
HOSTILE_TESTS = 15


def run_hostile(tmp_path, *args, manage=False):
    project = copy_scenario(HOSTILE, tmp_path)
    states = tmp_path / "states.jsonl"
    env = {"FLUSH_STATE_FILE": str(states), "PYTHONHASHSEED": "0"}
    run = run_manage if manage else run_nose2
    return Run(run(project, *args, env=env), states)


@pytest.fixture(scope="module")
def hostile_fast(tmp_path_factory):
    return run_hostile(tmp_path_factory.mktemp("hostile_fast"), "-v", "--fast-flush")


@pytest.fixture(scope="module")
def hostile_django(tmp_path_factory):
    return run_hostile(tmp_path_factory.mktemp("hostile_django"), *DJANGO_RUNNER, manage=True)


def test_every_database_of_a_hostile_project_ends_each_test_as_djangos_flush_leaves_it(
    hostile_fast, hostile_django
):
    tests = [entry["test"] for entry in hostile_django.states]
    assert len(tests) == HOSTILE_TESTS, hostile_django.result.describe()
    assert [entry["test"] for entry in hostile_fast.states] == tests, hostile_fast.result.describe()
    for mine, django in zip(hostile_fast.states, hostile_django.states):
        assert mine["state"] == django["state"], (mine["test"], hostile_fast.result.describe())
    # Both databases were recorded where a test used both, and what Django's
    # flush leaves alone is there: the run-time table and the unmanaged one.
    after = hostile_django.state_after("BRuntimeTableTests.test_b_sees_the_rows_left_in_it")
    assert len(after["default"]["runtime_made"]) == 2, after["default"]
    assert len(after["default"]["depot_legacy"]) == 2, after["default"]
    assert set(hostile_django.state_after("AAllDatabasesTests.test_a_fills_both_databases")) == {
        "default", "other"
    }


def test_a_hostile_project_has_djangos_outcomes_and_the_fast_flush_did_the_flushing(
    hostile_fast, hostile_django
):
    reference = hostile_django.result.outcomes()
    assert len(reference) == HOSTILE_TESTS, hostile_django.result.describe()
    assert hostile_fast.result.outcomes() == reference, hostile_fast.result.describe()
    assert totals(hostile_fast) == totals(hostile_django), hostile_fast.result.describe()
    summary = hostile_fast.summary()
    assert int(summary["emptied"]) > 0 and "Django's flush ran instead" not in summary["rest"], (
        summary.group(0)
    )


def truncated_by_each_flush(run):
    """``{test: tables whose file node the flush after it changed}`` (PostgreSQL)."""
    changed = {}
    for before, after in zip(run.states, run.states[1:]):
        changed[after["test"]] = {table for table, node in after["file_nodes"].items()
                                  if before["file_nodes"].get(table) not in (None, node)}
    return changed


TRAPS = {"depot_watched", "depot_ruled", "depot_held", "depot_holder", "depot_strict",
         "depot_guarded"}

if selected_backend() == "postgresql":

    def test_the_delete_traps_are_truncated_and_plain_tables_deleted_from(
        hostile_fast, hostile_django
    ):
        fill = "FDeleteTrapsTests.test_a_fills_the_traps"
        (django,) = [tables for test, tables in truncated_by_each_flush(hostile_django).items()
                     if test.endswith(fill)]
        assert TRAPS | {"depot_crate", "depot_node"} <= django  # TRUNCATE gives new file nodes
        (fast,) = [tables for test, tables in truncated_by_each_flush(hostile_fast).items()
                   if test.endswith(fill)]
        # The holder is emptied by the CASCADE of the held table's TRUNCATE.
        assert fast == TRAPS, hostile_fast.result.describe()
        # Row-level security: truncated after every test, with rows or not.
        after_empty = [tables for test, tables in truncated_by_each_flush(hostile_fast).items()
                       if test.endswith("CSelfReferenceTests.test_a_rows_referencing_each_other")]
        assert after_empty == [{"depot_guarded"}], after_empty
