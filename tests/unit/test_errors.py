"""Errors raised by the core modules, which serve whichever plugin drives
them, are prefixed by the plugin that reports them (``errors.reported_by``)."""

import pytest

from nose_speedup.errors import ConfigurationError, reported_by


def test_core_error_is_prefixed_by_the_plugin_that_reports_it():
    with pytest.raises(ConfigurationError) as raised:
        with reported_by("django plugin"):
            raise ConfigurationError(None, "test label 'nope' names nothing")
    assert str(raised.value) == "django plugin: test label 'nope' names nothing"
    assert raised.value.source == "django plugin"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_error_that_names_its_plugin_keeps_its_name():
    with pytest.raises(ConfigurationError) as raised:
        with reported_by("django plugin"):
            raise ConfigurationError("reuse-db plugin", "REUSE_DB='x' is not one of 1, 0 or reset")
    assert str(raised.value) == "reuse-db plugin: REUSE_DB='x' is not one of 1, 0 or reset"


def test_core_error_reported_by_nobody_is_still_one_line_without_a_prefix():
    error = ConfigurationError(None, "no Django settings module is set")
    assert str(error) == "no Django settings module is set"
    assert isinstance(error, SystemExit)
