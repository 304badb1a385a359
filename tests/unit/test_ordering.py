"""The sort key that gives nose2's tests Django's discovery order
(``nose_speedup.core.ordering.discovery_order_key``): by the first label a test
falls under, then by module; equal keys keep nose2's order."""

import unittest

import pytest

from nose_speedup.core.ordering import discovery_order_key

# No database: the discovery order key.
pytestmark = pytest.mark.backend_independent


def make_test(module, class_name="SomeTests", method="test_it"):
    test_class = type(class_name, (unittest.TestCase,), {
        "__module__": module, method: lambda self: None,
    })
    return test_class(method)


def ordered(tests, labels, modules=None):
    """Test ids sorted by the key; ``modules`` maps a test id to the module
    that loaded it (a ``load_tests`` of another module), else None."""
    modules = modules or {}
    pairs = [(test, modules.get(test.id())) for test in tests]
    return [test.id() for test, _ in sorted(pairs, key=discovery_order_key(labels))]


def test_without_labels_tests_are_sorted_by_module_only():
    tests = [make_test("shop.tests.test_b"), make_test("blog.tests"), make_test("shop.tests.test_a")]
    assert ordered(tests, []) == [
        "blog.tests.SomeTests.test_it",
        "shop.tests.test_a.SomeTests.test_it",
        "shop.tests.test_b.SomeTests.test_it",
    ]


def test_tests_follow_the_order_of_the_labels_that_selected_them():
    tests = [make_test("blog.tests"), make_test("shop.tests.test_a")]
    assert ordered(tests, ["shop", "blog"]) == [
        "shop.tests.test_a.SomeTests.test_it", "blog.tests.SomeTests.test_it",
    ]


def test_test_under_two_labels_goes_with_the_first():
    tests = [make_test("blog.tests"), make_test("shop.tests.test_a")]
    assert ordered(tests, ["blog", "shop.tests", "shop"]) == [
        "blog.tests.SomeTests.test_it", "shop.tests.test_a.SomeTests.test_it",
    ]


def test_directory_and_file_labels_match_like_dotted_ones():
    tests = [make_test("blog.tests"), make_test("shop.tests.test_a"), make_test("shop.tests.test_b")]
    labels = ["./shop/tests/test_b.py", "shop/", "blog"]
    assert ordered(tests, labels) == [
        "shop.tests.test_b.SomeTests.test_it",
        "shop.tests.test_a.SomeTests.test_it",
        "blog.tests.SomeTests.test_it",
    ]


def test_a_label_matches_whole_names_only():
    tests = [make_test("shopping.tests"), make_test("shop.tests")]
    assert ordered(tests, ["shop"]) == [
        "shop.tests.SomeTests.test_it", "shopping.tests.SomeTests.test_it",
    ]


def test_labels_naming_a_class_or_method_select_their_tests():
    tests = [
        make_test("shop.tests", "OrderTests", "test_total"),
        make_test("shop.tests", "CartTests", "test_add"),
    ]
    assert ordered(tests, ["shop.tests.OrderTests.test_total", "shop.tests.CartTests"]) == [
        "shop.tests.OrderTests.test_total", "shop.tests.CartTests.test_add",
    ]


def test_tests_under_no_label_come_last_and_sorting_is_stable_within_a_module():
    tests = [
        make_test("other.tests", "ZTests"), make_test("shop.tests", "ZTests"),
        make_test("shop.tests", "ATests"),
    ]
    assert ordered(tests, ["shop"]) == [
        "shop.tests.ZTests.test_it", "shop.tests.ATests.test_it", "other.tests.ZTests.test_it",
    ]


def test_a_test_loaded_by_another_modules_load_tests_sorts_with_that_module():
    borrowed = make_test("shop.helpers", "BorrowedTests")
    tests = [make_test("shop.tests.test_b"), borrowed, make_test("shop.tests.test_c")]
    modules = {borrowed.id(): "shop.tests.test_a"}
    assert ordered(tests, [], modules) == [
        "shop.helpers.BorrowedTests.test_it",
        "shop.tests.test_b.SomeTests.test_it",
        "shop.tests.test_c.SomeTests.test_it",
    ]
