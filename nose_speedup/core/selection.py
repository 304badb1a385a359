"""Select tests the way Django's runner does: ``-k`` name patterns and
``--tag``/``--exclude-tag``.

``-k``: a pattern without ``*`` matches anywhere in the test's full id
(``app.tests.test_module.TestClass.test_method``), as ``*pattern*``; with
``*`` it is a shell-style pattern (``fnmatch``) on the whole id. Django
applies ``-k`` while loading a module or class, so a label that names one
test method keeps that method whatever the patterns, and tests standing for
a module that failed to load are kept too. Tags are Django's own
``filter_tests_by_tags``: class and method tags, inherited tags included.
"""

import fnmatch

from nose_speedup.core import ordering


def django_name_pattern(pattern):
    """Django's ``-k`` rule: a pattern without ``*`` is ``*pattern*``."""
    return pattern if "*" in pattern else f"*{pattern}*"


def matches_name_patterns(test, patterns):
    test_id = test.id()
    return any(fnmatch.fnmatchcase(test_id, django_name_pattern(p)) for p in patterns)


def select(tests, name_patterns=(), tags=(), exclude_tags=(), labels=()):
    """The tests of ``tests`` (a flat iterable) that Django would run with
    ``-k name_patterns --tag tags --exclude-tag exclude_tags labels``."""
    from django.test.runner import filter_tests_by_tags

    tests = list(tests)
    if name_patterns:
        exact = set(labels)
        tests = [
            test for test in tests
            if ordering.is_load_failure(test)
            or test.id() in exact
            or matches_name_patterns(test, name_patterns)
        ]
    if tags or exclude_tags:
        tests = list(filter_tests_by_tags(tests, set(tags), set(exclude_tags)))
    return tests
