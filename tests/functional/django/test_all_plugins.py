"""One line loads every capability (issue 23, point 1):
``[unittest] plugins = nose_speedup.plugins.all`` (or ``--plugin
nose_speedup.plugins.all``) makes every flag known, each capability is on
only where its switch or ``always-on`` turns it on, naming a plugin's own
module too loads it once, ``--exclude-plugin`` still leaves one out,
``manage.py test`` keeps its defaults, and the flag of a plugin that is not
loaded is answered with the plugin to add. nose2 and ``manage.py test`` run
in a subprocess on copies of ``tests/scenarios/bundling/shop``."""

import pytest

from nose_speedup import options
from tests.support.nose2run import run_manage, run_nose2
from tests.support.projects import scenario_copy

shop = scenario_copy("bundling/shop", scope="function")

ALL = "nose_speedup.plugins.all"
ONE_LINE = f"[unittest]\nplugins = {ALL}\n\n[django]\nsettings = shopsite.settings\n"
BUNDLED = "classes in"  # the closing line of bundling: "N classes in M bundles"
FLUSHED = "fast-flush:"


def ran(result):
    """Whether nose2 ran the tests (the scenario's own tests fail on purpose)."""
    return result.returncode in (0, 1) and "\nRan " in result.output


def with_config(project, text):
    (project / "unittest.cfg").write_text(text)
    return project


@pytest.mark.backend_independent
def test_one_line_makes_every_flag_known(shop):
    result = run_nose2(with_config(shop, ONE_LINE), "--help")
    assert result.returncode == 0, result.describe()
    missing = [o.flag for o in options.OPTIONS if o.flag and o.flag not in result.stdout]
    assert missing == [], result.describe()


@pytest.mark.backend_independent
def test_one_plugin_on_the_command_line_makes_every_flag_known(shop):
    (shop / "unittest.cfg").write_text("[django]\nsettings = shopsite.settings\n")
    result = run_nose2(shop, "--plugin", ALL, "--help")
    missing = [o.flag for o in options.OPTIONS if o.flag and o.flag not in result.stdout]
    assert missing == [], result.describe()


def test_capabilities_stay_off_until_switched_on(shop):
    off = run_nose2(with_config(shop, ONE_LINE), "-v")
    assert ran(off), off.describe()
    assert BUNDLED not in off.output and FLUSHED not in off.output, off.describe()
    on = run_nose2(shop, "-v", "--with-fixture-bundling", "--fast-flush")
    assert ran(on), on.describe()
    assert BUNDLED in on.output and FLUSHED in on.output, on.describe()
    assert on.outcomes() == off.outcomes() and len(on.outcomes()) > 5


def test_the_one_line_beside_a_plugins_own_module_loads_it_once(shop):
    config = ONE_LINE.replace(ALL, f"{ALL}\n    nose_speedup.plugins.django\n"
                                   "    nose_speedup.plugins.bundling")
    result = run_nose2(with_config(shop, config + "[fixture-bundling]\nalways-on = True\n"),
                       "-v", "--plugin", "nose_speedup.plugins.parallel")
    assert ran(result), result.describe()
    assert result.output.count(BUNDLED) == 1, result.describe()


def test_exclude_plugin_leaves_a_capability_out_of_the_one_line(shop):
    config = ONE_LINE + "[fixture-bundling]\nalways-on = True\n"
    bundled = run_nose2(with_config(shop, config))
    assert BUNDLED in bundled.output, bundled.describe()
    excluded = run_nose2(shop, "--exclude-plugin", "nose_speedup.plugins.bundling")
    assert ran(excluded), excluded.describe()
    assert BUNDLED not in excluded.output, excluded.describe()


def test_manage_py_test_keeps_its_defaults_with_the_one_line(shop):
    with_config(shop, ONE_LINE)
    default = run_manage(shop, "test", "-v", "2")
    assert ran(default), default.describe()
    assert BUNDLED in default.output and FLUSHED in default.output, default.describe()
    unbundled = run_manage(shop, "test", "--no-fixture-bundling", "--no-fast-flush")
    assert ran(unbundled), unbundled.describe()
    assert BUNDLED not in unbundled.output and FLUSHED not in unbundled.output


@pytest.mark.backend_independent
def test_a_flag_of_a_plugin_not_loaded_names_the_plugin_to_add(shop):
    (shop / "unittest.cfg").write_text(
        "[unittest]\nplugins = nose_speedup.plugins.django\n\n[django]\n"
        "settings = shopsite.settings\n"
    )
    result = run_nose2(shop, "--django-parallel", "2")
    assert result.returncode != 0, result.describe()
    assert result.stderr.strip() == (
        "--django-parallel is an option of nose_speedup.plugins.parallel, which is not "
        "loaded; add '--plugin nose_speedup.plugins.parallel' to the command line or "
        "'nose_speedup.plugins.parallel' to 'plugins' in [unittest] (or "
        "'nose_speedup.plugins.all' for every capability)"
    ), result.describe()
