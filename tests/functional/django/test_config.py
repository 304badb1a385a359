"""Every value of the [django], [fixture-bundling] and [reuse-db] sections is
validated, unknown keys and misspelled sections are named (issue 7, point
14), and a settings module that raises is shown at its own file and line
(point 15). Each test runs nose2 in a subprocess on a copy of
tests/scenarios/django/collection with its unittest.cfg rewritten."""

import pytest

from tests.support.nose2run import copy_scenario, remove_copy, run_nose2

# Configuration errors stop the run before any database is created.
pytestmark = pytest.mark.backend_independent

PLUGINS = """[unittest]
plugins = nose_speedup.plugins.django
          nose_speedup.plugins.bundling
          nose_speedup.plugins.reuse_db

[django]
settings = settings
"""
BOOLEANS = "accepted: true/false, yes/no, on/off or 1/0"


@pytest.fixture
def project():
    path = copy_scenario("django/collection")
    yield path
    remove_copy(path)


def run_with_config(project, extra, *args):
    (project / "unittest.cfg").write_text(PLUGINS + extra)
    return run_nose2(project, *args)


def assert_one_line(result, expected):
    assert result.returncode != 0, result.describe()
    assert result.stderr.strip() == expected, result.describe()


@pytest.mark.parametrize(
    "extra, expected",
    [
        (
            "[reuse-db]\nlock-timeout = abc\n",
            "reuse-db plugin: unittest.cfg, section [reuse-db]: lock-timeout = 'abc' is not "
            "valid; accepted: a number of at least 0 (default 300)",
        ),
        (
            "[fixture-bundling]\nalways-on = ture\n",
            f"fixture-bundling: unittest.cfg, section [fixture-bundling]: always-on = 'ture' "
            f"is not valid; {BOOLEANS}",
        ),
        (
            "[reuse-db]\nreuse = yes please\n",
            f"reuse-db plugin: unittest.cfg, section [reuse-db]: reuse = 'yes please' is not "
            f"valid; {BOOLEANS}",
        ),
        (
            "reverse = sure\n",
            f"django plugin: unittest.cfg, section [django]: reverse = 'sure' is not valid; "
            f"{BOOLEANS}",
        ),
        (
            "shuffle = sometimes\n",
            "django plugin: unittest.cfg, section [django]: shuffle = 'sometimes' is not "
            "valid; accepted: a whole number, 'random', or empty for no shuffling",
        ),
    ],
)
def test_bad_value_is_one_line_naming_file_section_key_value_and_accepted_ones(
    project, extra, expected
):
    assert_one_line(run_with_config(project, extra), expected)


def test_unknown_key_names_the_closest_known_key(project):
    result = run_with_config(project, "revers = true\n")
    assert_one_line(
        result,
        "django plugin: unittest.cfg, section [django]: unknown key 'revers'; did you mean "
        "'reverse'? known keys: always-on, collect-at-exit, debug-mode, interactive, "
        "nose2-collection, parallel, progress-after, reverse, settings, shuffle, timing",
    )
    result = run_with_config(project, "[reuse-db]\nlock_timeout = 5\n")
    assert "unknown key 'lock_timeout'; did you mean 'lock-timeout'?" in result.stderr, (
        result.describe()
    )


@pytest.mark.parametrize(
    "section, ours, source",
    [
        ("fixture_bundling", "fixture-bundling", "fixture-bundling"),
        ("reuse_db", "reuse-db", "reuse-db plugin"),
        ("djang", "django", "django plugin"),
    ],
)
def test_misspelled_section_is_named_with_the_right_one(project, section, ours, source):
    result = run_with_config(project, f"[{section}]\nalways-on = True\n")
    assert_one_line(
        result,
        f"{source}: unittest.cfg, section [{section}] is read by no plugin; "
        f"did you mean [{ours}]? Rename the section",
    )


def test_bad_value_in_a_config_file_given_with_dash_c_names_that_file(project):
    (project / "other.cfg").write_text("[django]\ninteractive = maybe\n")
    result = run_with_config(project, "", "-c", "other.cfg")
    assert_one_line(
        result,
        f"django plugin: other.cfg, section [django]: interactive = 'maybe' is not valid; "
        f"{BOOLEANS}",
    )


def test_valid_values_in_every_spelling_are_accepted(project):
    result = run_with_config(
        project,
        "reverse = yes\ninteractive = off\nshuffle = 12\n\n"
        "[fixture-bundling]\nalways-on = 1\n\n[reuse-db]\nreuse = False\nlock-timeout = 2.5\n",
        "-v",
    )
    assert "Ran 10 tests" in result.output, result.describe()
    assert "Using shuffle seed: 12" in result.output


@pytest.mark.parametrize(
    "appended, error",
    [
        ('import os\nVALUE = os.environ["NSP_NO_SUCH_VARIABLE"]\n', "KeyError: 'NSP_NO_SUCH_"),
        ("VALUE = = 1\n", "SyntaxError: invalid syntax"),
    ],
)
def test_settings_module_that_raises_shows_the_settings_file_and_line(project, appended, error):
    settings = project / "settings.py"
    text = settings.read_text()
    line = text.count("\n") + appended.count("\n")
    settings.write_text(text + appended)
    result = run_nose2(project)
    assert result.returncode != 0
    assert result.stderr.startswith(
        f"django plugin: settings module 'settings' failed to import ({settings}, line {line}): "
        f"{error}"
    ), result.describe()
    assert "configure.py" not in result.output and "<frozen" not in result.output
    assert "Traceback" not in result.output


def test_bad_value_in_pyproject_toml_names_its_table(project):
    (project / "pyproject.toml").write_text('[tool.nose2.reuse-db]\nlock-timeout = "abc"\n')
    result = run_with_config(project, "")
    assert_one_line(
        result,
        "reuse-db plugin: pyproject.toml, table [tool.nose2.reuse-db]: lock-timeout = 'abc' "
        "is not valid; accepted: a number of at least 0 (default 300)",
    )


def session_with(text):
    from nose2.session import Session

    session = Session()
    session.config.read_string(text)
    return session


@pytest.mark.parametrize("word", ["1", "t", "True", "on", "YES", "y"])
def test_every_word_nose2_reads_as_true_is_true(word):
    from nose_speedup.config import StrictSection

    section = StrictSection(session_with(f"[x]\nflag = {word}\n"), "x", "test")
    assert section.as_bool("flag", False) is True


@pytest.mark.parametrize("word", ["0", "f", "false", "Off", "no", "n", ""])
def test_false_words_and_an_empty_value_are_false(word):
    from nose_speedup.config import StrictSection

    section = StrictSection(session_with(f"[x]\nflag = {word}\n"), "x", "test")
    assert section.as_bool("flag", True) is False


def test_default_section_keys_are_not_unknown_keys():
    from nose_speedup.config import StrictSection

    section = StrictSection(session_with("[DEFAULT]\nroot = /srv\n[x]\nflag = yes\n"), "x", "t")
    assert section.as_bool("flag", False) is True
    section.refuse_unknown_keys()


def test_a_config_of_unknown_origin_is_still_named_by_section_and_key():
    from nose_speedup.config import StrictSection

    section = StrictSection(session_with("[x]\nflag = nah\n"), "x", "test")
    with pytest.raises(SystemExit) as stopped:
        section.as_bool("flag", False)
    assert str(stopped.value) == (
        "test: the nose2 config, section [x]: flag = 'nah' is not valid; "
        "accepted: true/false, yes/no, on/off or 1/0"
    )
