"""Every DiscoverRunner flag under Nose2TestRunner selects and behaves as
Django's own runner does on the same suite (tests/scenarios/runner/flags),
and each has a nose2 equivalent that does the same under plain nose2.

Selection, order and output are settled apart from the database: every test
but --debug-sql's (the SQL itself) is ``backend_independent``
(tests/support/backend_independent.py)."""

import re
import subprocess
import sys

import django
import pytest

from tests.support.nose2run import copy_scenario, remove_copy, run_manage, run_nose2, scenario_env

DJANGO_RUNNER = ("--testrunner", "django.test.runner.DiscoverRunner")
FOUND = re.compile(r"^Found (\d+) test\(s\)\.$", re.MULTILINE)


@pytest.fixture
def project():
    path = copy_scenario("runner/flags")
    yield path
    remove_copy(path)


def ours(project, *args, **kwargs):
    return run_manage(project, "test", "--noinput", "-v", "2", *args, **kwargs)


def djangos(project, *args, **kwargs):
    return run_manage(project, "test", *DJANGO_RUNNER, "--noinput", "-v", "2", *args, **kwargs)


def nose2(project, *args, **kwargs):
    return run_nose2(
        project, "-v", "--plugin", "nose_speedup.plugins.django",
        "--plugin", "nose_speedup.plugins.selection", "--django-settings", "settings", *args,
        **kwargs,
    )


def assert_same_run(result, reference):
    """Same tests, same order, same outcomes, same ``Found N test(s).``."""
    both = result.describe() + "\n=== Django's runner ===\n" + reference.describe()
    assert reference.outcomes() or FOUND.findall(reference.output) == ["0"], both
    assert list(result.outcomes().items()) == list(reference.outcomes().items()), both
    assert FOUND.findall(result.output) == FOUND.findall(reference.output), both
    assert (result.returncode == 0) == (reference.returncode == 0), both


SELECTIONS = [
    ("-k", "author"),
    ("-k", "*Query*passes*"),
    ("-k", "Query*passes"),  # a pattern with * is anchored: nothing
    ("-k", "core", "-k", "plain"),
    ("-k", "Untagged", "library.tests.test_tags"),
    ("-k", "nothing-matches", "library.tests.test_queries.QueryTests.test_fails_after_a_query"),
    ("--tag", "slow"),
    ("--tag", "core"),
    ("--exclude-tag", "slow"),
    ("--tag", "core", "--exclude-tag", "slow"),
    ("--tag", "core", "-k", "Untagged"),
    ("library/",),
    ("./library",),
    ("library/tests",),
    ("library.tests.test_tags.UntaggedTests",),
    ("--reverse",),
    ("--shuffle", "42"),
    ("--failfast",),
    ("--buffer",),
]


@pytest.mark.backend_independent
@pytest.mark.parametrize("flags", SELECTIONS, ids=" ".join)
def test_flag_selects_and_orders_as_djangos_runner_does(project, flags):
    assert_same_run(ours(project, *flags), djangos(project, *flags))


@pytest.mark.backend_independent
def test_file_path_label_runs_that_module_as_its_dotted_name_does(project):
    # Django refuses a file path ("not supported"); nose2 users expect it.
    result = ours(project, "library/tests/test_tags.py")
    assert_same_run(result, djangos(project, "library.tests.test_tags"))


@pytest.mark.backend_independent
@pytest.mark.parametrize(
    "flags, nose2_flags",
    [
        (("-k", "author"), ("--django-name-pattern", "author")),
        (("--tag", "core", "--exclude-tag", "slow"),
         ("--django-tag", "core", "--django-exclude-tag", "slow")),
        (("library/",), ("library/",)),
    ],
    ids=lambda flags: " ".join(flags),
)
def test_nose2_equivalent_selects_the_same_tests(project, flags, nose2_flags):
    reference = djangos(project, *flags)
    result = nose2(project, *nose2_flags)
    assert set(result.outcomes().items()) == set(reference.outcomes().items()), (
        result.describe() + reference.describe()
    )


@pytest.mark.backend_independent
def test_selection_creates_only_the_databases_selected_tests_use(project):
    result = ours(project, "--exclude-tag", "slow", "-k", "Untagged")
    assert "Found 2 test(s)." in result.output, result.describe()
    assert "Creating test database" not in result.output, result.describe()


@pytest.mark.backend_independent
def test_buffer_hides_output_of_passing_tests(project):
    label = "library.tests.test_queries.QueryTests.test_prints_and_passes"
    assert "printed-by-a-passing-test" in ours(project, label).stdout
    assert "printed-by-a-passing-test" not in ours(project, "--buffer", label).output


@pytest.mark.backend_independent
@pytest.mark.parametrize("verbosity", ["0", "1", "2", "3"])
def test_verbosity_prints_what_djangos_runner_prints(project, verbosity):
    args = ("test", "--noinput", "-v", verbosity, "library.tests.test_tags")
    result = run_manage(project, *args)
    reference = run_manage(project, *args, *DJANGO_RUNNER)
    for line in ("Found 8 test(s).", "Creating test database for alias 'default'",
                 "Destroying test database for alias 'default'", "Applying library.0001_initial"):
        assert (line in result.output) == (line in reference.output), (
            line + "\n" + result.describe() + reference.describe()
        )
    assert result.returncode == reference.returncode == 0


def debug_sql_section(output):
    """The part of the failure report after the traceback."""
    return output.split("AssertionError: 1 != 2", 1)[1]


@pytest.mark.parametrize("runner", ["manage.py", "nose2"])
def test_debug_sql_prints_the_failing_tests_queries(project, runner):
    label = "library.tests.test_queries"
    if runner == "manage.py":
        result = ours(project, "--debug-sql", label)
    else:
        result = nose2(project, "--plugin", "nose_speedup.plugins.debug_sql",
                       "--django-debug-sql", label)
    reference = djangos(project, "--debug-sql", label)
    for run in (result, reference):
        report = debug_sql_section(run.output)
        assert re.search(r"INSERT INTO [\"`]library_author[\"`]", report), run.describe()
        assert "Marker-Query-Name" in report, run.describe()
    assert "Passing-Query-Name" not in debug_sql_section(result.output), result.describe()
    assert "Marker-Query-Name" not in ours(project, label).output.split("AssertionError")[1]


@pytest.mark.backend_independent
def test_pdb_opens_the_debugger_on_each_failure_as_djangos_does(project):
    label = "library.tests.test_queries"

    def run(*args):
        completed = subprocess.run(
            [sys.executable, "manage.py", "test", "--noinput", "--pdb", *args, label],
            cwd=project, env=scenario_env(project), input="p 'in-the-debugger'\nc\n" * 3,
            capture_output=True, text=True, timeout=300,
        )
        return completed.stdout + completed.stderr

    output, reference = run(), run(*DJANGO_RUNNER)
    assert output.count("'in-the-debugger'") == reference.count("'in-the-debugger'") == 1, (
        output + reference
    )
    assert "_baseAssertEqual()" in output, output  # pdb stopped in the failing assertion


@pytest.mark.backend_independent
def test_timing_reports_what_djangos_timing_reports(project):
    label = "library.tests.test_tags.UntaggedTests"
    timed = re.compile(r"^(\s*[\w' ]+) took \d+\.\d{3}s$", re.MULTILINE)
    result = ours(project, "--timing", "library.tests.test_tags")
    reference = djangos(project, "--timing", "library.tests.test_tags")
    assert timed.findall(result.output) == timed.findall(reference.output), (
        result.describe() + reference.describe()
    )
    assert "Total database setup" in timed.findall(result.output)
    assert not timed.findall(ours(project, label).output)


@pytest.mark.backend_independent
@pytest.mark.parametrize("count, shown", [("1", 1), ("0", 12)])
def test_durations_lists_the_slowest_tests_on_every_python(project, count, shown):
    result = ours(project, "--durations", count)
    report = result.stderr.split("Slowest test durations\n" + "-" * 70 + "\n", 1)[1]
    lines = report.split("\n\n", 1)[0].splitlines()
    assert len(lines) == shown, result.describe()
    assert re.fullmatch(r"0\.\d{3}s\s+test_takes_a_while \(.*\)", lines[0]), result.describe()
    # Django's own --durations: Django 5.0+ on Python 3.12+.
    if sys.version_info >= (3, 12) and django.VERSION >= (5, 0):
        reference = djangos(project, "--durations", count)
        assert "Slowest test durations" in reference.stderr
        assert reference.stderr.split("Slowest test durations")[1].splitlines()[2].endswith(
            lines[0].split(None, 1)[1]
        ), reference.describe()


@pytest.mark.backend_independent
def test_durations_is_refused_with_a_clear_line_when_not_a_number(project):
    result = nose2(project, "--plugin", "nose_speedup.plugins.durations",
                   "--django-durations", "many")
    assert result.returncode != 0
    assert "durations plugin: --django-durations 'many' is not a whole number" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.backend_independent
def test_tear_down_lines_never_glue_onto_the_row_of_dots(project):
    result = run_manage(project, "test", "--noinput", "library.tests.test_tags")
    assert re.search(r"^\.{8}$", result.stderr, re.MULTILINE), result.describe()
    assert re.search(r"^Destroying test database for alias 'default'", result.stderr,
                     re.MULTILINE), result.describe()


@pytest.mark.backend_independent
@pytest.mark.parametrize("debug_mode", [True, False])
def test_debug_mode_sets_debug_as_djangos_does(project, debug_mode):
    (project / "library" / "tests" / "test_debug_mode.py").write_text(
        "from django.conf import settings\nfrom django.test import SimpleTestCase\n\n\n"
        "class DebugTests(SimpleTestCase):\n"
        "    def test_debug_is_on(self):\n        self.assertTrue(settings.DEBUG)\n"
    )
    flags = ["--debug-mode"] if debug_mode else []
    label = "library.tests.test_debug_mode"
    result, reference = ours(project, *flags, label), djangos(project, *flags, label)
    assert_same_run(result, reference)
    assert (result.returncode == 0) == debug_mode, result.describe()


@pytest.mark.parametrize("order", ["labels first", "labels between", "labels last"])
def test_nose2_arguments_after_double_dash_work_wherever_the_labels_stand(project, order):
    """Issue 20, point 11(a): it failed with "unrecognized arguments" unless
    the labels came last."""
    label, passthrough = ["library.tests.test_tags"], ["--", "--django-tag", "slow"]
    args = {
        "labels first": [*label, "--reverse", *passthrough],
        "labels between": ["--reverse", *label, "--debug-mode", *passthrough],
        "labels last": ["--reverse", *label, *passthrough],
    }[order]
    result = ours(project, *args)
    reference = djangos(project, "--reverse", "--tag", "slow", *label)
    assert_same_run(result, reference)
