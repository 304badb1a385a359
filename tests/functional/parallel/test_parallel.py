"""Parallel runs (``--django-parallel``, ``manage.py test --parallel``) on
the ``parallel/work`` scenario, and on the bundling ``shop``, in subprocesses.

The reference for every outcome is our serial run and Django's own
``--parallel 2``; bundling is proven by the ``loadcount`` app's log of
``loaddata`` calls. The scenario's switches make one test kill its worker,
block until Ctrl-C, or fail early while another worker is busy.
"""

import collections
import json
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.scenarios.bundling.support.runs import run_scenario
from tests.support.databases import name_suffix, selected_backend, server_settings
from tests.support.nose2run import (
    copy_scenario,
    describe,
    remove_copy,
    run_manage,
    run_nose2,
    scenario_env,
)

PLUGINS = (
    "--plugin", "nose_speedup.plugins.django",
    "--plugin", "nose_speedup.plugins.bundling",
    "--plugin", "nose_speedup.plugins.parallel",
    "--with-fixture-bundling",
)
TIMEOUT = 240
KILLER = "work.tests.test_b_more.KillerTests"


@pytest.fixture
def project(tmp_path):
    path = copy_scenario("parallel/work")
    (tmp_path / "markers").mkdir()
    (tmp_path / "tmp").mkdir()
    yield path
    remove_copy(path)


def env_for(tmp_path, **extra):
    return {
        "NSP_MARKERS": str(tmp_path / "markers"),
        "NSP_FIXTURE_LOAD_LOG": str(tmp_path / "loads.log"),
        "TMPDIR": str(tmp_path / "tmp"),
        **extra,
    }


def nose2(project, tmp_path, *args, env=None):
    (tmp_path / "loads.log").unlink(missing_ok=True)
    return run_nose2(
        project, "-v", *PLUGINS, *args, env=env_for(tmp_path, **(env or {})), timeout=TIMEOUT
    )


def reported_ids(run):
    """The ids of the tests a ``-v`` run reported (``describe`` the other way)."""
    ids = []
    for description in run.outcomes():
        method, inside = re.fullmatch(r"(\w+) \(([\w.]+)\)", description).groups()
        ids.append(inside if inside.endswith(f".{method}") else f"{inside}.{method}")
    return ids


def loads(tmp_path):
    path = tmp_path / "loads.log"
    return sorted(path.read_text().splitlines()) if path.exists() else []


def copies_left(tmp_path):
    """The per-worker database copies still there after a run."""
    if selected_backend() == "sqlite":
        return [path.name for path in (tmp_path / "tmp").glob("nose-speedup-parallel-*")]
    if selected_backend() == "postgresql":
        import psycopg

        settings = server_settings()
        with psycopg.connect(
            host=settings["HOST"], port=settings["PORT"], user=settings["USER"],
            dbname="postgres",
        ) as connection:
            rows = connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                [f"test_nsp_parallel_work{name_suffix()}\\_%"],
            ).fetchall()
        return [row[0] for row in rows if re.fullmatch(r".*_\d+", row[0])]
    import MySQLdb

    settings = server_settings()
    connection = MySQLdb.connect(host=settings["HOST"], port=int(settings["PORT"]),
                                 user=settings["USER"], passwd=settings["PASSWORD"])
    try:
        cursor = connection.cursor()
        cursor.execute("SHOW DATABASES LIKE %s", [f"test_nsp_parallel_work{name_suffix()}\\_%"])
        return [row[0] for row in cursor.fetchall() if re.fullmatch(r".*_\d+", row[0])]
    finally:
        connection.close()


def test_parallel_run_has_the_outcomes_of_the_serial_run_and_loads_each_bundle_once(
    project, tmp_path
):
    serial = nose2(project, tmp_path)
    serial_loads = loads(tmp_path)
    parallel = nose2(project, tmp_path, "--django-parallel", "2")
    assert "parallel: 8 units of work in 2 processes" in parallel.output, parallel.describe()
    assert parallel.outcomes() == serial.outcomes(), parallel.describe()
    assert len(parallel.outcomes()) == 63
    assert "FAILED (failures=2, errors=1, skipped=1)" in parallel.output
    assert parallel.returncode == serial.returncode == 1
    assert loads(tmp_path) == serial_loads == ["default items.json", "default more.json"]
    assert "fixtures loaded 2 times instead of 5" in parallel.output
    assert copies_left(tmp_path) == []


def test_parallel_run_has_the_outcomes_of_djangos_parallel_runner(project, tmp_path):
    django = run_manage(
        project, "test", "--parallel", "2", "--testrunner", "django.test.runner.DiscoverRunner",
        "-v", "2", env=env_for(tmp_path), timeout=TIMEOUT,
    )
    ours = run_manage(project, "test", "--parallel", "2", "-v", "2", env=env_for(tmp_path),
                      timeout=TIMEOUT)
    assert "parallel: 8 units of work in 2 processes" in ours.output, ours.describe()
    # Django and nose2 word subtests differently, and Django prints the line of
    # the test after a subtest's parent on the parent's line; the rest agree.
    django_outcomes, our_outcomes = (
        {t: o for t, o in run.outcomes().items() if not t.startswith("test_subtests ")}
        for run in (django, ours)
    )
    assert len(our_outcomes) == 62
    assert len(django_outcomes) >= 61
    assert {t: our_outcomes.get(t) for t in django_outcomes} == django_outcomes
    for result in (django, ours):
        assert "Ran 63 tests" in result.output
        assert "FAILED (failures=2, errors=1, skipped=1)" in result.output
        assert result.returncode == 1


def test_transaction_test_cases_never_run_before_a_test_case_on_one_worker(project, tmp_path):
    # By size alone the five-test FlushingTests would be handed out before
    # MoreItemsTests, which needs the Kind rows FlushingTests flushes.
    for _ in range(2):
        run = nose2(project, tmp_path, "--django-parallel", "2")
        outcomes = run.outcomes()
        drill = describe("work.tests.test_a_items.MoreItemsTests", "test_only_the_drill")
        assert outcomes[drill] == "ok", run.describe()
        assert list(outcomes.values()).count("ok") == 59, run.describe()


def test_manage_py_test_parallel_auto_reads_django_test_processes(project, tmp_path):
    run = run_manage(project, "test", "--parallel", "auto", "-v", "2",
                     env=env_for(tmp_path, DJANGO_TEST_PROCESSES="3"), timeout=TIMEOUT)
    assert "parallel: 8 units of work in 3 processes" in run.output, run.describe()
    assert "FAILED (failures=2, errors=1, skipped=1)" in run.output


def test_manage_py_test_parallel_1_runs_serially(project, tmp_path):
    run = run_manage(project, "test", "--parallel", "1", "-v", "2", env=env_for(tmp_path),
                     timeout=TIMEOUT)
    assert "FAILED (failures=2, errors=1, skipped=1)" in run.output, run.describe()
    assert "parallel:" not in run.output


def test_auto_minus_k_leaves_k_cores(project, tmp_path):
    run = nose2(project, tmp_path, "--django-parallel", "auto-1",
                env={"DJANGO_TEST_PROCESSES": "3"})
    assert "parallel: 8 units of work in 2 processes" in run.output, run.describe()


def test_parallel_key_of_the_django_section(project, tmp_path):
    config = project / "unittest.cfg"
    config.write_text(config.read_text() + "parallel = 2\n")
    run = nose2(project, tmp_path)
    assert "parallel: 8 units of work in 2 processes" in run.output, run.describe()


def test_a_bad_value_stops_the_run_with_one_line(project, tmp_path):
    run = nose2(project, tmp_path, "--django-parallel", "lots")
    assert run.returncode != 0
    assert run.stderr.strip().splitlines()[-1] == (
        "parallel plugin: --django-parallel 'lots' is not a number of processes, 'auto' or "
        "'auto-K'; give e.g. 4, auto (one process per core, or DJANGO_TEST_PROCESSES) or "
        "auto-1 (all cores but one)"
    ), run.describe()


def test_the_django_plugin_is_required(project, tmp_path):
    run = run_nose2(project, "--plugin", "nose_speedup.plugins.parallel", "--django-parallel",
                    "2", env=env_for(tmp_path), timeout=TIMEOUT)
    assert run.returncode != 0
    assert run.stderr.strip().splitlines()[-1].startswith(
        "parallel plugin: --django-parallel 2 needs the django plugin"
    ), run.describe()


def test_a_worker_that_cannot_set_django_up_stops_the_run_with_one_line(project, tmp_path):
    run = nose2(project, tmp_path, "--django-parallel", "2", env={"NSP_BREAK_WORKERS": "1"})
    assert run.returncode != 0
    assert run.stderr.strip().splitlines()[-1] == (
        "parallel plugin: a worker process could not set Django up (it imports the settings "
        "module by itself, from DJANGO_SETTINGS_MODULE): RuntimeError: these settings refuse "
        "to load in a worker process. Fix that, or run with --django-parallel 1"
    ), run.describe()
    assert copies_left(tmp_path) == []


def test_a_single_unit_runs_serially(project, tmp_path):
    run = nose2(project, tmp_path, "--django-parallel", "2", "work.tests.test_a_items.PlainTests")
    assert "Ran 2 tests" in run.output, run.describe()
    assert "parallel:" not in run.output


def test_a_killed_worker_is_reported_as_errors_of_its_unfinished_tests(project, tmp_path):
    serial = nose2(project, tmp_path)
    run = nose2(project, tmp_path, "--django-parallel", "2", env={"NSP_KILL": "1"})
    outcomes = run.outcomes()
    killed = {t: o for t, o in outcomes.items() if KILLER in t}
    assert killed == {
        describe(KILLER, "test_a_before"): "ok",
        describe(KILLER, "test_b_kills"): "ERROR",
        describe(KILLER, "test_c_after"): "ERROR",
    }, run.describe()
    assert re.search(r"died \(exit code -9\) while running work\.tests\.test_b_more\.KillerTests;"
                     r" this test did not finish", run.output)
    assert "this test never ran" in run.output
    assert {t: o for t, o in outcomes.items() if KILLER not in t} == {
        t: o for t, o in serial.outcomes().items() if KILLER not in t
    }
    assert "parallel: 1 worker process died" in run.output
    assert copies_left(tmp_path) == []


def test_failfast_stops_every_worker_after_its_current_test(project, tmp_path):
    run = nose2(project, tmp_path, "--django-parallel", "2", "--fail-fast",
                env={"NSP_FAILFAST": "1"})
    assert run.returncode == 1
    assert "FAIL: " in run.output, run.describe()
    ran = int(re.search(r"Ran (\d+) tests?", run.output).group(1))
    assert ran < 20, run.describe()  # SlowTests alone has 40
    assert copies_left(tmp_path) == []


def test_ctrl_c_stops_every_worker_and_drops_the_copies(project, tmp_path):
    args = [sys.executable, "-m", "nose2", "-v", *PLUGINS, "--django-parallel", "2"]
    process = subprocess.Popen(
        args, cwd=str(project), env=scenario_env(project, env_for(tmp_path, NSP_BLOCK="1")),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True, text=True,
    )
    try:
        marker = tmp_path / "markers" / "blocking"
        for _ in range(1200):
            if marker.exists() or process.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), process.communicate()[0]
        os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        output, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert "KeyboardInterrupt" in output
    with pytest.raises(ProcessLookupError):  # no process of the run is left
        for _ in range(50):
            os.killpg(process.pid, 0)
            time.sleep(0.1)
    assert copies_left(tmp_path) == []


def test_output_buffer_shows_what_a_failing_test_printed_in_its_worker(project, tmp_path):
    run = nose2(project, tmp_path, "--django-parallel", "2", "--output-buffer")
    report = run.output.split("FAIL: test_fails ", 1)[1].split("=" * 70, 1)[0]
    assert "printed before failing" in report, run.describe()
    assert "printed by a test" not in run.output


def test_junit_xml_has_one_testcase_per_test(project, tmp_path):
    junit = ("--plugin", "nose2.plugins.junitxml", "--junit-xml")

    def cases(*args):
        path = tmp_path / "junit.xml"
        run = nose2(project, tmp_path, *junit, "--junit-xml-path", str(path), *args)
        assert path.exists(), run.describe()
        found = {}
        for case in ET.parse(path).getroot().iter("testcase"):
            kinds = sorted(child.tag for child in case if child.tag != "system-out")
            found[(case.get("classname"), case.get("name"))] = (
                kinds, case.findtext("system-out") or "",
            )
        return found

    serial, parallel = cases(), cases("--django-parallel", "2")
    assert parallel == serial
    assert len(parallel) == 63
    assert parallel[("work.tests.test_a_items.ItemNamesTests", "test_fails")][0] == ["failure"]


def test_nose2_mp_plugin_is_refused_at_start_up(project, tmp_path):
    run = nose2(project, tmp_path, "--plugin", "nose2.plugins.mp", "-N", "2")
    assert run.returncode != 0
    assert run.stderr.strip().splitlines()[-1] == (
        "django plugin: nose2's mp plugin (--processes/-N) runs tearDownClass twice per worker, "
        "splits fixture bundles and shares one test database between its processes; use "
        "--django-parallel N (nose_speedup.plugins.parallel) instead"
    ), run.describe()
    assert "Ran " not in run.output


def test_reuse_db_runs_make_fresh_copies_of_the_kept_database(project, tmp_path):
    reuse = ("--plugin", "nose_speedup.plugins.reuse_db", "--django-parallel", "2")
    first = nose2(project, tmp_path, *reuse, env={"REUSE_DB": "1"})
    second = nose2(project, tmp_path, *reuse, env={"REUSE_DB": "1"})
    # The kept database itself is never used by a worker: FlushingTests (a
    # TransactionTestCase) ran on a copy, so the kept database stays clean and
    # is reused as it is, not restored.
    assert re.search(r"Kept test database '\S+', clean, for the next run", first.output), (
        first.describe())
    assert "Reusing test database" in second.output, second.describe()
    assert "Restoring" not in second.output
    assert list(project.glob("*_[0-9].sqlite3")) == []
    assert second.outcomes() == first.outcomes()
    assert "FAILED (failures=2, errors=1, skipped=1)" in second.output
    assert copies_left(tmp_path) == []


def test_the_bundling_shop_has_its_serial_outcomes_in_parallel():
    project = copy_scenario("bundling/shop")
    try:
        serial = run_scenario(project)
        parallel = run_scenario(project, "--plugin", "nose_speedup.plugins.parallel",
                                "--django-parallel", "2")
    finally:
        remove_copy(project)
    assert "parallel: 7 units of work in 2 processes" in parallel.output, parallel.describe()
    assert parallel.outcomes() == serial.outcomes()
    assert sorted(parallel.fixture_loads) == sorted(serial.fixture_loads)


def test_testproject_has_its_serial_outcomes_and_loads_in_parallel(tmp_path):
    import shutil

    from tests.support.nose2run import REPO_ROOT

    project = tmp_path / "testproject"
    shutil.copytree(REPO_ROOT / "testproject", project,
                    ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    serial = run_manage(project, "test", "-v", "2", timeout=TIMEOUT)
    parallel = run_manage(project, "test", "-v", "2", "--parallel", "2", timeout=TIMEOUT)
    assert "in 2 processes" in parallel.output, parallel.describe()
    assert len(serial.outcomes()) > 100
    assert parallel.outcomes() == serial.outcomes(), parallel.describe()
    assert parallel.returncode == serial.returncode
    # Serial runs of manage.py test print the counts in the timing plugin's line.
    bundling_line = re.compile(
        r"^(?:fixture bundling|nose-speedup): (\d+ classes in \d+ bundles; "
        r"fixtures loaded \d+ times? instead of \d+)", re.MULTILINE,
    )
    assert bundling_line.findall(parallel.output) == bundling_line.findall(serial.output)


def test_reuse_db_copies_follow_a_schema_change_of_the_kept_database(project, tmp_path):
    reuse = ("--plugin", "nose_speedup.plugins.reuse_db", "--django-parallel", "2")
    first = nose2(project, tmp_path, *reuse, env={"REUSE_DB": "1"})
    kinds = describe("work.tests.test_a_items.PlainTests", "test_kinds")
    assert first.outcomes()[kinds] == "ok", first.describe()
    (project / "work" / "migrations" / "0002_third_kind.py").write_text(
        "from django.db import migrations\n\n\n"
        "def add(apps, schema_editor):\n"
        "    apps.get_model('work', 'Kind').objects.create(name='third')\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = [('work', '0001_initial')]\n"
        "    operations = [migrations.RunPython(add, migrations.RunPython.noop)]\n"
    )
    second = nose2(project, tmp_path, *reuse, env={"REUSE_DB": "1"})
    assert "Rebuilding test database" in second.output, second.describe()
    assert "parallel: 8 units of work in 2 processes" in second.output
    # Every worker's copy has the new migration's row: no stale copy.
    assert second.outcomes()[kinds] == "FAIL", second.describe()
    assert "AssertionError: 3 != 2" in second.output
    assert copies_left(tmp_path) == []


def test_record_durations_hook_gets_the_seconds_measured_in_the_workers(project, tmp_path):
    out = tmp_path / "durations.json"
    run = nose2(project, tmp_path, "--plugin", "worksite.durations_probe", "--django-parallel",
                "2", env={"NSP_SLEEP": "1", "NSP_DURATIONS_OUT": str(out)})
    assert "parallel: 8 units of work in 2 processes" in run.output, run.describe()
    recorded = json.loads(out.read_text())
    # Every test that ran in a worker, by id (the main process's replay of a
    # test takes no time: these are the workers' own measurements).
    assert set(recorded["tests"]) == set(reported_ids(run)), run.describe()
    assert recorded["tests"]["work.tests.test_b_more.ItemCountTests.test_count"] >= 0.3
    assert recorded["classes"]["work.tests.test_b_more.MoreCountTests"] >= 0.2
    assert all(seconds >= 0 for seconds in recorded["tests"].values())


def test_units_are_handed_out_by_the_durations_file_when_it_has_figures(project, tmp_path):
    from nose_speedup.timing import store

    first = nose2(project, tmp_path, "--django-parallel", "2")
    assert "TestCase units longest first by test counts" in first.output, first.describe()
    store.merge(store.default_path(str(project)),
                {"tests": {"work.tests.test_b_more.KillerTests.test_a_before": 9.0}})
    second = nose2(project, tmp_path, "--django-parallel", "2")
    assert "TestCase units longest first by recorded durations" in second.output, second.describe()
    assert second.outcomes() == first.outcomes()


# test_b_more's units (one class each, all TestCase) from the heaviest down
# by the figures ``durations_naming`` writes for this order.
HANDED_OUT = ("FailFastFirstTests", "BlockingTests", "MoreCountTests", "ItemCountTests",
              "KillerTests", "SlowTests")


def durations_naming(order, ids):
    """A durations file's ``tests`` section for the tests ``ids`` that makes
    the classes of ``order`` weigh 60, 50, ... seconds, the first heaviest."""
    def class_of(test):
        return test.split(".")[-2]

    tests_of = collections.Counter(class_of(test) for test in ids)
    total = {name: 10.0 * (len(order) - rank) for rank, name in enumerate(order)}
    return {"tests": {test: total[class_of(test)] / tests_of[class_of(test)] for test in ids}}


def test_units_are_handed_out_by_the_configured_durations_file_not_the_default_one(
    project, tmp_path
):
    # [timing] durations-file moves the file for the scheduler as for the
    # timing and shards plugins; a stale file at the default path gives the
    # reverse order. Every unit of test_b_more is one class of one module, so
    # workers take them in the queue's order exactly: each worker runs its
    # classes in the configured file's order (one of the two runs at least 3).
    from nose_speedup.timing import store

    module = "work.tests.test_b_more"
    serial = nose2(project, tmp_path, module)
    ids = reported_ids(serial)
    with open(project / "unittest.cfg", "a") as config:
        config.write("\n[timing]\ndurations-file = ci-timings/durations.json\n")
    store.merge(str(project / "ci-timings" / "durations.json"), durations_naming(HANDED_OUT, ids))
    store.merge(store.default_path(str(project)), durations_naming(HANDED_OUT[::-1], ids))
    log = tmp_path / "handout.log"
    run = nose2(project, tmp_path, "--plugin", "worksite.handout_probe", "--django-parallel", "2",
                module, env={"NSP_HANDOUT_LOG": str(log)})
    assert "parallel: 6 units of work in 2 processes" in run.output, run.describe()
    assert "TestCase units longest first by recorded durations" in run.output, run.describe()
    assert run.outcomes() == serial.outcomes(), run.describe()
    classes_by_worker = {}
    for line in log.read_text().splitlines():
        slot, test = line.split()
        classes = classes_by_worker.setdefault(slot, [])
        if test.split(".")[-2] not in classes:
            classes.append(test.split(".")[-2])
    assert sorted(sum(classes_by_worker.values(), [])) == sorted(HANDED_OUT), classes_by_worker
    for classes in classes_by_worker.values():
        assert classes == sorted(classes, key=HANDED_OUT.index), classes_by_worker


COVERAGE_RC = "[run]\nparallel = true\nsource = work\n"


def covered_lines(project, tmp_path, rc_text):
    """Run the coverage recipe of docs/parallel.rst with ``rc_text`` as .coveragerc;
    return {file name: executed lines} after ``coverage combine``."""
    from tests.support.nose2run import run_command

    (project / ".coveragerc").write_text(rc_text)
    for stale in project.glob(".coverage*"):
        if stale.name != ".coveragerc":
            stale.unlink()
    env = env_for(tmp_path)
    run = run_command(project, [sys.executable, "-m", "coverage", "run", "-m", "nose2", "-v",
                                *PLUGINS, "--django-parallel", "2"], env, TIMEOUT)
    assert "parallel: 8 units of work in 2 processes" in run.output, run.describe()
    for step in (["combine"], ["json", "-o", str(tmp_path / "coverage.json")]):
        done = run_command(project, [sys.executable, "-m", "coverage", *step], env, TIMEOUT)
        assert done.returncode == 0, done.describe()
    files = json.loads((tmp_path / "coverage.json").read_text())["files"]
    return {Path(name).name: set(data["executed_lines"]) for name, data in files.items()}


def test_coverage_recipe_measures_code_that_only_ran_in_a_worker(project, tmp_path):
    source = (project / "work" / "tests" / "test_b_more.py").read_text().splitlines()
    # The body of MoreCountTests.test_count: the main process imports the
    # module, but only a worker runs the test.
    body = 1 + source.index("        self.assertEqual(Item.objects.count(), 1)")
    recipe = covered_lines(project, tmp_path, COVERAGE_RC + "concurrency = multiprocessing\n")
    assert body in recipe["test_b_more.py"]
    # Without coverage's multiprocessing support, only the main process is measured.
    main_only = covered_lines(project, tmp_path, COVERAGE_RC)
    assert body not in main_only["test_b_more.py"]
    assert body - 1 in main_only["test_b_more.py"]  # ``def test_count``: imported


def module_steps(path):
    """``[(step, module, pid)]`` from the scenario's NSP_MODULE_LOG."""
    return [tuple(line.split()) for line in path.read_text().splitlines()]


def assert_balanced(steps):
    """In each process, a module is set up only when it is not, torn down
    only when it is, and nothing is left set up at the end."""
    held = {}
    for step, module, pid in steps:
        modules = held.setdefault(pid, set())
        if step == "setUp":
            assert module not in modules, steps
            modules.add(module)
        else:
            assert module in modules, steps
            modules.remove(module)
    assert all(not modules for modules in held.values()), steps


def test_set_up_module_runs_once_per_module_per_worker_process(project, tmp_path):
    # test_b_more's six units are handed out before test_c_transactions'
    # (a TransactionTestCase): each worker runs its units of a module one
    # after the other, so it sets the module up once.
    log = tmp_path / "modules.log"
    selection = ("work.tests.test_b_more", "work.tests.test_c_transactions")
    serial = nose2(project, tmp_path, *selection, env={"NSP_MODULE_LOG": str(log)})
    assert [step[:2] for step in module_steps(log)] == [
        ("setUp", selection[0]), ("tearDown", selection[0]),
        ("setUp", selection[1]), ("tearDown", selection[1]),
    ], serial.describe()
    log.unlink()
    run = nose2(project, tmp_path, "--django-parallel", "2", *selection,
                env={"NSP_MODULE_LOG": str(log)})
    assert "parallel: 7 units of work in 2 processes" in run.output, run.describe()
    assert run.outcomes() == serial.outcomes()
    steps = module_steps(log)
    set_ups = [(module, pid) for step, module, pid in steps if step == "setUp"]
    assert len(set_ups) == len(set(set_ups)), steps  # once per module per process
    assert {module for module, _ in set_ups} == set(selection)
    assert len({pid for _, pid in set_ups}) <= 2, steps  # workers only (which, is timing)
    # One set-up per unit would be 6 for test_b_more's 6 units.
    assert sum(module == "work.tests.test_b_more" for module, _ in set_ups) <= 2, steps
    assert_balanced(steps)


def test_every_module_a_worker_sets_up_is_torn_down_in_that_worker(project, tmp_path):
    log = tmp_path / "modules.log"
    run = nose2(project, tmp_path, "--django-parallel", "2", env={"NSP_MODULE_LOG": str(log)})
    assert "FAILED (failures=2, errors=1, skipped=1)" in run.output, run.describe()
    steps = module_steps(log)
    assert_balanced(steps)
    # Fewer set-ups than the 8 units' 10 module uses (2 bundles span 2 modules).
    assert len([step for step in steps if step[0] == "setUp"]) < 10, steps


@pytest.mark.parametrize("variable, step, outcome", [
    ("NSP_TEARDOWN_MODULE_FAILS", "tearDownModule", "ERROR"),
    ("NSP_SETUP_MODULE_FAILS", "setUpModule", "ERROR"),
    ("NSP_SETUP_MODULE_SKIPS", "setUpModule", "skipped"),
])
def test_a_failing_or_skipping_module_fixture_is_reported_as_in_a_serial_run(
    project, tmp_path, variable, step, outcome
):
    module = "work.tests.test_b_more"
    env = {variable: module}
    serial = nose2(project, tmp_path, env=env)
    parallel = nose2(project, tmp_path, "--django-parallel", "2", env=env)
    assert parallel.outcomes()[f"{step} ({module})"] == outcome, parallel.describe()
    assert parallel.outcomes() == serial.outcomes(), parallel.describe()
    summary = re.compile(r"^(?:OK|FAILED).*$", re.MULTILINE)
    assert summary.findall(parallel.output) == summary.findall(serial.output)
    assert re.findall(r"Ran \d+ tests?", parallel.output) == re.findall(
        r"Ran \d+ tests?", serial.output)
    if outcome == "ERROR":
        assert f"{step} of {module} fails on purpose" in parallel.output
