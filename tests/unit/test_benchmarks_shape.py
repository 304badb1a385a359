"""The generator's dominant shape (issue 22): one bundle of ~90% of the
fixture classes, a few small bundles, plain classes and tests with work of
their own."""

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import generate  # noqa: E402
import suite  # noqa: E402

pytestmark = pytest.mark.backend_independent


def classes_by_set(project):
    found = {}
    for module in (project / "shop" / "tests").glob("test_*.py"):
        for set_no in re.findall(r"fixtures = \['set_(\d\d)_catalog'", module.read_text()):
            found[set_no] = found.get(set_no, 0) + 1
    return found


def test_dominant_shape_puts_nine_classes_in_ten_in_one_bundle(tmp_path):
    options = generate.Options(classes=100, tests_per_class=2, fixture_sets=4,
                               objects_per_set=30, shape="dominant", plain_classes=5,
                               test_work=7)
    manifest = generate.generate(tmp_path / "p", options)
    assert classes_by_set(tmp_path / "p") == {"00": 90, "01": 4, "02": 3, "03": 3}
    plain = (tmp_path / "p" / "shop" / "tests" / "test_plain.py").read_text()
    assert plain.count("class Plain") == 5 and "fixtures" not in plain
    assert manifest["tests"] == 100 * 2 + 5
    assert "for _ in range(7):" in (tmp_path / "p" / "shop" / "tests" / "test_module_01.py").read_text()


def test_balanced_shape_is_unchanged(tmp_path):
    generate.generate(tmp_path / "p", generate.Options(classes=12, fixture_sets=4,
                                                       objects_per_set=30))
    assert classes_by_set(tmp_path / "p") == {"00": 3, "01": 3, "02": 3, "03": 3}
    assert [suite.set_of(c, 12, 4) for c in range(5)] == [0, 1, 2, 3, 0]
