"""Test labels checked before nose2 loads them (``nose_speedup.core.labels``), on
a small package written for each test under a name of its own."""

import uuid

import pytest

from nose_speedup.core.labels import check_label, check_labels

# No database: label checks.
pytestmark = pytest.mark.backend_independent

TEST_MODULE = """
import unittest


class ShopTests(unittest.TestCase):
    def test_total(self):
        pass
"""


@pytest.fixture
def package(tmp_path, monkeypatch):
    """``<name>/tests/test_shop.py`` (``ShopTests.test_total``) and
    ``<name>/tests/test_broken.py`` (fails to import), importable; the
    working directory is elsewhere."""
    name = f"labelapp_{uuid.uuid4().hex[:8]}"
    tests = tmp_path / "src" / name / "tests"
    tests.mkdir(parents=True)
    (tests.parent / "__init__.py").write_text("")
    (tests / "__init__.py").write_text("")
    (tests / "test_shop.py").write_text(TEST_MODULE)
    (tests / "test_broken.py").write_text("import a_module_that_does_not_exist\n")
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return name


def refused(label, base_dir="."):
    with pytest.raises(SystemExit) as raised:
        check_label(label, base_dir)
    return str(raised.value)


@pytest.mark.parametrize("suffix", [
    "", ".tests", ".tests.test_shop", ".tests.test_shop.ShopTests",
    ".tests.test_shop.ShopTests.test_total", ".tests.test_shop:ShopTests",
])
def test_dotted_label_naming_something_passes(package, suffix):
    check_label(package + suffix)


def test_directory_and_file_labels_pass_relative_to_the_base_directory(package, tmp_path):
    base = str(tmp_path / "src")
    for label in (package, f"{package}/tests", f"{package}/tests/",
                  f"./{package}/tests/test_shop.py"):
        check_label(label, base)


def test_directory_label_passes_relative_to_the_working_directory(package, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path / "src")
    check_label(f"{package}/tests")


def test_unknown_top_level_name_says_no_module_is_importable(package):
    message = refused("shoop.tests")
    assert (
        "test label 'shoop.tests' names no module: no module named 'shoop' is importable. "
        "Check the spelling; a label is a dotted path"
    ) in message


def test_misspelled_class_names_the_module_and_missing_attribute(package):
    message = refused(f"{package}.tests.test_shop.ShopTest")
    assert (
        f"test label '{package}.tests.test_shop.ShopTest' names nothing: "
        f"'{package}.tests.test_shop' has no attribute 'ShopTest'. Check the spelling"
    ) in message


def test_misspelled_method_names_the_class_it_is_missing_from(package):
    message = refused(f"{package}.tests.test_shop.ShopTests.test_totl")
    assert f"'{package}.tests.test_shop.ShopTests' has no attribute 'test_totl'" in message


def test_missing_module_in_a_package_names_the_package(package):
    message = refused(f"{package}.tests.test_shipping")
    assert f"'{package}.tests' has no attribute 'test_shipping'" in message


def test_path_that_does_not_exist_is_neither_path_nor_dotted_name(package):
    message = refused(f"{package}/tests/test_shiping.py")
    assert "is neither an existing path nor a dotted Python name" in message
    assert "or a directory or file" in message


def test_module_that_fails_to_import_is_left_to_nose2(package):
    check_label(f"{package}.tests.test_broken")
    check_label(f"{package}.tests.test_broken.SomeTests.test_x")


def test_check_labels_stops_at_the_first_bad_label(package):
    with pytest.raises(SystemExit) as raised:
        check_labels([package, "nope_one", "nope_two"])
    assert "'nope_one'" in str(raised.value) and "nope_two" not in str(raised.value)
