"""Sphinx directive ``.. option-reference::``: the table of every option of
every plugin, generated from ``nose_speedup.options.OPTIONS``.

Why generated: Django declares each flag once in ``add_arguments`` and
pytest-django in ``pytest_addoption``; one declaration per option (config
key, nose2 flag, ``manage.py test`` flag, type, default, help) drives the
parsing, the strict config reading and this table, so the documentation
cannot drift from the code.

Each ``Option`` has the fields ``plugin`` (module under
``nose_speedup.plugins``), ``section``, ``key`` (hyphenated, or None),
``flag`` (nose2 flag or None), ``runner_flag`` (``manage.py test`` flag or
None), ``kind`` (one of ``KINDS``), ``default``, ``help`` (one sentence),
``choices`` (a tuple) and ``environment`` (an environment variable or None).
The rendering works on any object with those attributes, so it is tested on
stand-ins without Sphinx (``tests/unit/test_docs_option_reference.py``).

While ``nose_speedup.options`` does not exist the page says the reference is
missing. Once it exists, a module that does not import or an ``OPTIONS`` of
the wrong shape stops a build with ``NOSE_SPEEDUP_DOCS_CI=1`` (``.ci/docs``
sets it) with an ``OptionReferenceError``; elsewhere it is a warning (an
error under ``sphinx -W``) and the page falls back to the missing note.

Sphinx is imported only in ``setup()``, so the rendering imports without it.
"""

import importlib
import importlib.util
import os

MODULE = "nose_speedup.options"
CI_VARIABLE = "NOSE_SPEEDUP_DOCS_CI"
FIELDS = ("plugin", "section", "key", "flag", "runner_flag", "kind", "default", "help",
          "choices", "environment")
KINDS = ("switch", "bool", "int", "float", "str", "path", "list", "choice")


class OptionReferenceError(Exception):
    """The option declarations exist but cannot be rendered."""


def describe(option, index):
    """``option 3 ([reuse-db] lock-timeout)``: how an error names an option."""
    section, key = getattr(option, "section", "?"), getattr(option, "key", None)
    return f"option {index} ([{section}] {key or getattr(option, 'flag', None) or '?'})"


def check(option, index):
    missing = [field for field in FIELDS if not hasattr(option, field)]
    if missing:
        raise OptionReferenceError(
            f"option-reference: {describe(option, index)} of {MODULE}.OPTIONS has no field "
            f"{', '.join(repr(f) for f in missing)}; every Option needs {', '.join(FIELDS)}")
    if option.kind not in KINDS:
        raise OptionReferenceError(
            f"option-reference: {describe(option, index)} of {MODULE}.OPTIONS has kind "
            f"{option.kind!r}; accepted: {', '.join(KINDS)}")
    if option.kind == "choice" and not option.choices:
        raise OptionReferenceError(
            f"option-reference: {describe(option, index)} of {MODULE}.OPTIONS is a choice "
            f"with no choices; give it choices=(...) or another kind")
    if not (option.key or option.flag or option.runner_flag or option.environment):
        raise OptionReferenceError(
            f"option-reference: {describe(option, index)} of {MODULE}.OPTIONS has no key, "
            f"flag, runner_flag or environment: a user cannot set it")


def literal(text):
    return f"``{text}``"


def format_default(option):
    """The default as a user would write it in ``unittest.cfg``."""
    value = option.default
    if option.kind == "switch":
        return "off"
    if value is None or value == "" or value == () or value == []:
        return "empty"
    if isinstance(value, bool):
        return literal("True" if value else "False")
    if isinstance(value, (list, tuple)):
        return literal(" ".join(str(item) for item in value))
    return literal(value)


def format_kind(option):
    if option.kind == "choice":
        return "one of " + ", ".join(literal(choice) for choice in option.choices)
    return {"switch": "switch (flag only)", "bool": "boolean", "int": "integer",
            "float": "number", "str": "text", "path": "path",
            "list": "list (one per line)"}[option.kind]


def set_with(option):
    """Where the option is set: the config key, the flags, the variable."""
    places = []
    if option.key:
        places.append(f"{literal(f'[{option.section}] {option.key}')}")
    if option.flag:
        places.append(f"nose2 {literal(option.flag)}")
    if option.runner_flag:
        places.append(f"``manage.py test`` {literal(option.runner_flag)}")
    if option.environment:
        places.append(f"environment {literal(option.environment)}")
    return places


def reference_lines(options):
    """reStructuredText for ``options``: one section per plugin, in the order
    the plugins first appear, each a table of its options in their order."""
    options = list(options)
    for index, option in enumerate(options, 1):
        check(option, index)
    if not options:
        raise OptionReferenceError(f"option-reference: {MODULE}.OPTIONS is empty")
    plugins = []
    for option in options:
        if option.plugin not in plugins:
            plugins.append(option.plugin)
    lines = []
    for plugin in plugins:
        title = f"nose_speedup.plugins.{plugin}"
        lines += [title, "-" * len(title), "",
                  ".. list-table::", "   :header-rows: 1", "   :widths: 30 20 50", "",
                  "   * - Set with", "     - Type, default", "     - What it does"]
        for option in (o for o in options if o.plugin == plugin):
            places = set_with(option)
            lines.append(f"   * - | {places[0]}")
            lines += [f"       | {place}" for place in places[1:]]
            lines.append(f"     - {format_kind(option)}; default {format_default(option)}")
            lines.append(f"     - {' '.join(str(option.help).split())}")
        lines.append("")
    return lines


def missing_lines(reason):
    """The page's text while the declarations are not there."""
    return [
        ".. note::", "",
        f"   The option reference is generated from ``{MODULE}``, which this build "
        f"does not have ({reason}). Each capability's page lists its options meanwhile.",
        "",
    ]


def read_options(module_name=MODULE, ci=None):
    """``(options, None)``, or ``(None, reason)`` when the module does not
    exist (or, outside CI mode, cannot be read); raises
    ``OptionReferenceError`` in CI mode when it exists but cannot be read."""
    ci = os.environ.get(CI_VARIABLE, "") not in ("", "0") if ci is None else ci
    try:
        spec = importlib.util.find_spec(module_name)
    except ModuleNotFoundError:
        spec = None
    if spec is None:
        return None, f"no module {module_name}"
    try:
        options = list(importlib.import_module(module_name).OPTIONS)
        reference_lines(options)
    except Exception as error:  # the module exists: anything wrong in it is an error
        detail = str(error).removeprefix("option-reference: ")
        message = (f"option-reference: {module_name} exists but its OPTIONS cannot be "
                   f"rendered: {detail}; fix the declarations")
        if ci:
            raise OptionReferenceError(message) from error
        return None, message
    return options, None


def setup(app):
    from docutils import nodes
    from docutils.statemachine import StringList
    from sphinx.errors import ExtensionError
    from sphinx.util import logging
    from sphinx.util.docutils import SphinxDirective
    from sphinx.util.nodes import nested_parse_with_titles

    logger = logging.getLogger(__name__)

    class OptionReference(SphinxDirective):
        """``.. option-reference::`` (no arguments, no content)."""

        def run(self):
            try:
                options, reason = read_options()
            except OptionReferenceError as error:  # CI mode: the build stops
                raise ExtensionError(str(error), modname=__name__) from None
            if options is None:
                if reason.startswith("option-reference:"):
                    logger.warning(reason, location=self.get_location())
                lines = missing_lines(reason)
            else:
                lines = reference_lines(options)
            holder = nodes.section()
            holder.document = self.state.document
            nested_parse_with_titles(self.state, StringList(lines, source=MODULE), holder)
            return holder.children

    app.add_directive("option-reference", OptionReference)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
