"""``--affected`` is exact by measurement: on ``tests/scenarios/affected/store``
a full run is recorded, then each small edit is applied alone to a copy of
that recorded project, and every test that fails in a full run after the
edit must be among the tests ``--affected`` runs (zero misses), while an
edit never runs the module no edit can reach (``test_unrelated``) unless it
changes what every test depends on. The edits that select part of the suite
are measured again on a record made under ``--django-parallel 2`` (each
worker records the modules it runs), selecting under ``--django-parallel 2``.

Each edit breaks at least one test, so a selection that ran nothing would
fail here. The number of tests ``--affected`` ran per edit is printed.
"""

import shutil

import pytest

from tests.support.nose2run import copy_scenario, remove_copy, run_nose2

# CI runs these on one entry per tracer --affected uses (sys.settrace before
# Python 3.12, sys.monitoring from 3.12): .ci/run.
pytestmark = [pytest.mark.backend_independent, pytest.mark.tracer_exactness]

TOTAL = 14
UNRELATED = "store.tests.test_unrelated"

# name -> (file, old text, new text, whether every test must run)
EDITS = {
    "model method": ("store/models.py", "return with_tax(self.price)",
                     "return with_tax(self.price) + 1", False),
    "view": ("store/views.py", ':.2f}"', ':.1f}"', False),
    "template": ("store/templates/store/product.html", "{{ product.name }}:",
                 "{{ product.name }} -", False),
    "fixture value": ("store/fixtures/products.json", '"100.00"', '"90.00"', False),
    "form": ("store/forms.py", "if price <= 0:", "if price < 0:", False),
    "settings value": ("storesite/settings.py", 'STORE_CURRENCY = "EUR"',
                       'STORE_CURRENCY = "USD"', True),
    "migration": ("store/migrations/0002_seed.py", 'name="Seed"', 'name="Seeded"', True),
    "helper imported lazily": ("store/lazy_helper.py", '+ "!"', '+ "?"', False),
    "file a test reads": ("store/data/rates.csv", "standard,20", "standard,21", False),
    "module-level constant": ("store/constants.py", "TAX_PERCENT = 20", "TAX_PERCENT = 25", True),
    "class attribute": ("store/models.py", "DEFAULT_STOCK = 5", "DEFAULT_STOCK = 6", True),
    "urlpatterns": ("store/urls.py", '"products/<int:pk>/"', '"items/<int:pk>/"', True),
    "signal receiver": ("store/signals.py", 'f"saved {instance.name}"',
                        'f"stored {instance.name}"', False),
    # Rendered by two modules' tests: the cached loader opens it once.
    "template included by two": ("store/templates/store/price.html", "money:currency }}",
                                 "money:currency }}.", False),
    "{% load %}ed filter": ("store/templatetags/store_tags.py", 'f"{value} {currency}"',
                            'f"{value}{currency}"', False),
    "setUpTestData helper": ("store/factories.py", 'name="Gizmo"', 'name="Gizmo2"', False),
}
PARALLEL = ("--plugin", "nose_speedup.plugins.parallel", "--django-parallel", "2")
MODES = {"serial": (), "parallel": PARALLEL}
CASES = [("serial", name) for name in EDITS] + [
    ("parallel", name) for name, edit in EDITS.items() if not edit[3]
]


def outcomes(result):
    """``{test id: outcome}`` of a ``-v`` run."""
    found = {}
    for description, outcome in result.outcomes().items():
        test_id = description.split("(", 1)[1].rstrip(")")
        if test_id.count(".") < 4:  # Python 3.10: "method (module.Class)"
            test_id = f"{test_id}.{description.split(' ', 1)[0]}"
        found[test_id] = outcome
    return found


def record(mode):
    """The store after a recording run of every test."""
    project = copy_scenario("affected/store")
    result = run_nose2(project, "-v", "--affected", *MODES[mode])
    assert result.returncode == 0, result.describe()
    assert f"Affected: {TOTAL} of {TOTAL} tests; no record yet" in result.output, result.describe()
    assert len(outcomes(result)) == TOTAL, result.describe()
    return project


@pytest.fixture(scope="module")
def recorded():
    project = record("serial")
    yield project
    remove_copy(project)


@pytest.fixture(scope="module")
def recorded_in_parallel():
    project = record("parallel")
    yield project
    remove_copy(project)


@pytest.fixture
def edited(recorded, tmp_path):
    def edit(name, source=recorded):
        path, old, new, _ = EDITS[name]
        project = tmp_path / source.name
        shutil.copytree(source, project, ignore=shutil.ignore_patterns("__pycache__"))
        target = project / path
        text = target.read_text()
        assert old in text, f"{name}: {old!r} is not in {path}"
        target.write_text(text.replace(old, new))
        return project

    return edit


def test_nothing_changed_runs_nothing_and_says_so(recorded, tmp_path):
    project = tmp_path / recorded.name
    shutil.copytree(recorded, project)
    result = run_nose2(project, "-v", "--affected")
    assert result.returncode == 0, result.describe()
    assert f"Affected: 0 of {TOTAL} tests; no recorded input changed" in result.output
    assert f"OK (0 run; {TOTAL} unaffected and not run)" in result.output, result.describe()


@pytest.mark.parametrize("mode,name", CASES)
def test_every_test_an_edit_breaks_is_among_the_affected_tests(request, edited, mode, name):
    source = request.getfixturevalue("recorded_in_parallel" if mode == "parallel" else "recorded")
    project = edited(name, source)
    full = run_nose2(project, "-v")
    failing = {test for test, outcome in outcomes(full).items() if outcome in ("FAIL", "ERROR")}
    assert failing, f"the edit '{name}' broke no test:\n{full.describe()}"
    affected = run_nose2(project, "-v", "--affected", *MODES[mode])
    ran = outcomes(affected)
    assert failing <= set(ran), (
        f"missed {sorted(failing - set(ran))}\n{affected.describe()}"
    )
    assert {t for t, o in ran.items() if o in ("FAIL", "ERROR")} == failing, affected.describe()
    every_test = EDITS[name][3]
    if every_test:
        assert len(ran) == TOTAL, affected.describe()
        assert f"Affected: {TOTAL} of {TOTAL} tests; every test:" in affected.output, \
            affected.describe()
    else:
        assert not any(test.startswith(UNRELATED) for test in ran), affected.describe()
        assert f"{TOTAL - len(ran)} unaffected and not run" in affected.output
    print(f"{mode} {name}: --affected ran {len(ran)} of {TOTAL} tests; {len(failing)} fail")


def test_a_failing_test_runs_again_until_it_passes(edited, recorded):
    project = edited("form")
    first = run_nose2(project, "--affected")
    assert first.returncode != 0, first.describe()
    again = run_nose2(project, "-v", "--affected")
    assert "store.tests.test_forms" in again.output and again.returncode != 0, again.describe()
    forms = project / "store" / "forms.py"
    forms.write_text(forms.read_text().replace("if price < 0:", "if price <= 0:"))
    fixed = run_nose2(project, "-v", "--affected")
    assert fixed.returncode == 0, fixed.describe()
    assert any("test_forms" in t for t in outcomes(fixed)), fixed.describe()
    quiet = run_nose2(project, "--affected")
    assert f"Affected: 0 of {TOTAL} tests" in quiet.output, quiet.describe()


def test_a_new_test_runs_with_no_record(edited, recorded):
    project = edited("form")  # any copy; the form edit's own tests fail
    (project / "store" / "tests" / "test_new.py").write_text(
        "import unittest\n\n\nclass NewTests(unittest.TestCase):\n"
        "    def test_new(self):\n        self.assertTrue(True)\n"
    )
    result = run_nose2(project, "-v", "--affected")
    assert any(t.startswith("store.tests.test_new") for t in outcomes(result)), result.describe()
