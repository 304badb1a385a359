"""What a change to the project's files can reach: content hashes, and each
Python file cut into *units* whose code a record names.

A unit is a function or method defined in a module's body or in a class
body (nested functions, lambdas and comprehensions belong to the unit they
are written in). Everything else of a module — imports, constants, class
bodies, decorators, default values, the ``def`` lines themselves — is its
*skeleton*, the code that runs when the module is imported; it is the unit
``"<module>"``. Each unit's hash is that of its syntax tree, so moving code,
comments and blank lines change nothing, and any edit inside the unit
changes its hash. A file that does not parse hashes as its bytes for every
unit, so a record never mistakes it for unchanged.
"""

import ast
import hashlib
import os

MODULE = "<module>"
SKIPPED_DIRECTORIES = {"__pycache__", "node_modules", "site-packages", "build", "dist"}


def content_hash(path):
    """The sha256 of a file's bytes, or ``"missing"``."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return "missing"


def _unit_nodes(body, prefix=""):
    """``(qualname, node)`` of every unit under a module or class body."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node
        elif isinstance(node, ast.ClassDef):
            yield from _unit_nodes(node.body, f"{prefix}{node.name}.")


def _dump(node):
    return hashlib.sha256(ast.dump(node, include_attributes=False).encode()).hexdigest()


class PythonFile:
    """The units of one Python file: ``hashes`` (qualname to hash, with
    ``"<module>"``) and ``unit_at(line)``, the unit a code object that starts
    at ``line`` belongs to."""

    def __init__(self, path):
        self.path = path
        self.spans = []  # (first line, last line, qualname), units only
        try:
            with open(path, "rb") as handle:
                source = handle.read()
            tree = ast.parse(source)
        except (OSError, SyntaxError, ValueError):
            self.hashes = {MODULE: content_hash(path)}
            return
        self.hashes = {}
        units = list(_unit_nodes(tree.body))  # no unit holds another
        for qualname, node in units:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            self.spans.append((first, node.end_lineno, qualname))
            decorators, node.decorator_list = node.decorator_list, []
            self.hashes[qualname] = _dump(node)
            node.decorator_list = decorators
        for _, node in units:  # the tree is this object's own: cut it to the skeleton
            node.body = [ast.Pass()]
        self.hashes[MODULE] = _dump(tree)

    @classmethod
    def from_cache(cls, path, hashes, spans):
        """The units of a file whose hashes and spans a record holds."""
        parsed = cls.__new__(cls)
        parsed.path, parsed.hashes = path, hashes
        parsed.spans = [tuple(span) for span in spans]
        return parsed

    def unit_at(self, line):
        for first, last, qualname in self.spans:
            if first <= line <= last:
                return qualname
        return MODULE


def is_project_file(path, root):
    """``path`` is one of the project's own files under ``root``: not in a
    hidden directory, a virtualenv, site-packages or a build directory."""
    relative = os.path.relpath(path, root)
    if relative.startswith(os.pardir) or os.path.isabs(relative):
        return False
    parts = relative.split(os.sep)[:-1]
    return not any(part.startswith(".") or part in SKIPPED_DIRECTORIES for part in parts)


def project_files(root):
    """Every project file under ``root`` (relative paths, ``/``-separated),
    without descending into hidden directories, build directories or
    virtualenvs (a directory holding ``pyvenv.cfg``)."""
    found = []
    for directory, subdirectories, files in os.walk(root):
        if "pyvenv.cfg" in files:
            subdirectories[:] = []
            continue
        subdirectories[:] = [
            d for d in subdirectories if not d.startswith(".") and d not in SKIPPED_DIRECTORIES
        ]
        prefix = os.path.relpath(directory, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        found.extend(prefix + name for name in files)
    return found
