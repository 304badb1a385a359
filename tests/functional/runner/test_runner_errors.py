"""A class whose fixtures fail to load is reported with one line naming the
class, the fixture, Django's reason and the fix; Django's chained
tracebacks appear only at -v 2 and above."""

import pytest

from tests.support.nose2run import copy_scenario, remove_copy, run_nose2

PLUGINS = ("--plugin", "nose_speedup.plugins.django", "--plugin", "nose_speedup.plugins.bundling")
CASES = {
    "MalformedFixtureFirstTests": "could not load fixture 'malformed.json': Problem installing "
    "fixture",
    "MissingFixtureFirstTests": "could not load fixture 'users.json': No fixture named 'users'",
}


@pytest.fixture(scope="module")
def project():
    path = copy_scenario("bundling/badfix")
    yield path
    remove_copy(path)


def run(project, test_class, *args, base="fast"):
    env = {"NSP_BASE": "django"} if base == "django" else None
    return run_nose2(project, *PLUGINS, "--with-fixture-bundling", *args,
                     f"badfix.tests.{test_class}", env=env)


@pytest.mark.parametrize("base", ["fast", "django"])
@pytest.mark.parametrize("test_class", sorted(CASES))
def test_fixture_that_fails_to_load_is_one_line_naming_the_class(project, test_class, base):
    result = run(project, test_class, base=base)
    assert result.returncode == 1, result.describe()
    assert f"ERROR: setUpClass (badfix.tests.{test_class})" in result.output
    lines = [line for line in result.output.splitlines() if CASES[test_class] in line]
    assert len(lines) == 1 and f"badfix.tests.{test_class} could not load" in lines[0], (
        result.describe()
    )
    assert "Traceback" not in result.output and "The above exception" not in result.output, (
        result.describe()
    )


@pytest.mark.parametrize("test_class", sorted(CASES))
def test_djangos_tracebacks_are_shown_at_verbosity_two(project, test_class):
    result = run(project, test_class, "-v")
    assert "Traceback (most recent call last)" in result.output, result.describe()
    assert "loaddata" in result.output, result.describe()
