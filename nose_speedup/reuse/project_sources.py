"""The project modules that build rows or tables besides migrations, found
without importing anything: the ``source ...`` entries of a fingerprint
manifest (``nose_speedup.reuse.fingerprint``).

A project module is a Python source outside the standard library, Django
and installed packages. Modules are located with
``importlib.machinery.PathFinder`` and their imports read from their source
with ``ast``; imports are followed one step.
"""

import ast
import importlib.machinery
import importlib.util
import os
import sys
import sysconfig
from functools import cache


@cache
def library_directories():
    paths = sysconfig.get_paths()
    directories = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    directories.add(os.path.dirname(os.path.dirname(importlib.util.find_spec("django").origin)))
    return tuple(os.path.realpath(directory) + os.sep for directory in directories)


def is_project_file(path):
    """A Python source of the project: not the standard library, Django or
    an installed package."""
    return path.endswith(".py") and not os.path.realpath(path).startswith(library_directories())


@cache
def find_spec(name):
    """The spec of module ``name``, found without importing anything."""
    module = sys.modules.get(name)
    if module is not None:
        return getattr(module, "__spec__", None)
    parent, _, last = name.rpartition(".")
    locations = None
    if parent:
        parent_spec = find_spec(parent)
        locations = parent_spec and parent_spec.submodule_search_locations
        if not locations:
            return None
    try:
        return importlib.machinery.PathFinder.find_spec(last, locations and list(locations))
    except (ImportError, ValueError):
        return None


def module_file(name):
    """The source file of the project module ``name``, or ``None`` (not a
    module, not the project's, or a migration)."""
    if not name or ".migrations." in f".{name}.":
        return None
    spec = find_spec(name)
    path = getattr(spec, "origin", None)
    return path if path and is_project_file(path) else None


def imported_modules(source, path, package):
    """The project modules a module's source imports, anywhere in it (a
    handler often imports inside its function)."""
    try:
        tree = ast.parse(source, path)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = (package or "").split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            # ``from shop import seeding`` imports a module, not a name.
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in names if module_file(name) is not None}


def abstract_base_modules(app_config):
    """The modules of the abstract models an app's models inherit from."""
    from django.db import models

    return {
        base.__module__
        for model in app_config.get_models(include_auto_created=True)
        for base in model.__mro__[1:]
        if issubclass(base, models.Model) and base is not models.Model
        and base.__module__ != model.__module__
    }
