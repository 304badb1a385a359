"""Turn what the tracer saw into hashes a later run compares: a module's
entry and the run's environment (what every test depends on)."""

import hashlib
import json
import os
import sys

from nose_speedup.affected import sources

NATIVE_SUFFIXES = (".so", ".pyd", ".dylib")


def relative(path, root):
    return os.path.relpath(path, root).replace(os.sep, "/")


def code_units(code, root, hashes):
    """``{relative file: {unit: hash}}`` of the code objects ``code``
    (``{(filename, first line)}``) started; each file parsed at most once,
    and not at all while its content is the one the record cached."""
    lines = {}
    for filename, line in code:
        lines.setdefault(relative(filename, root), set()).add(line)
    units = {}
    for name, found in lines.items():
        parsed = hashes.python_file(name)
        units[name] = hashes.unit_hashes(name, sorted({parsed.unit_at(line) for line in found}))
    return units


def read_hashes(paths, root, hashes):
    return {relative(path, root): hashes.sha(relative(path, root)) for path in paths}


def distributions_hash():
    from importlib import metadata

    names = sorted(
        f"{(d.metadata['Name'] or '').lower()}=={d.version}" for d in metadata.distributions()
    )
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


def database_fingerprint():
    from nose_speedup.artifacts import key

    try:
        return key.key()
    except Exception as error:  # a settings error is reported by the run itself
        return f"unknown: {type(error).__name__}"


def module_files(test_modules, root):
    """The relative files of ``test_modules`` (those already imported)."""
    files = set()
    for name in test_modules:
        path = getattr(sys.modules.get(name), "__file__", None)
        if path:
            files.add(relative(os.path.abspath(path), root))
    return files


def looks_like_a_test(name):
    """Test modules and their helpers come and go with tests: a new one is
    selected as a module with no record, not as a start-up change."""
    parts = name.split("/")
    return parts[-1].startswith("test") or "tests" in parts[:-1]


def project_layout(root, hashes, test_files):
    """The project's Python files other than test modules, the files in its
    ``templates`` and ``fixtures`` directories, and its native extensions by
    content: a file added or removed may be imported by discovery
    (``admin.py``, template tags) or found before another by a template
    loader or ``loaddata``, which no record can attribute."""
    python, found, native = [], [], {}
    for relative_path in sources.project_files(root):
        name = os.path.basename(relative_path)
        folders = relative_path.split("/")[:-1]
        if name.endswith(".py"):
            if relative_path not in test_files and not looks_like_a_test(relative_path):
                python.append(relative_path)
        elif name.endswith(NATIVE_SUFFIXES):
            native[relative_path] = hashes.sha(relative_path)
        elif "templates" in folders or "fixtures" in folders:
            found.append(relative_path)
    return {"python-files": digest(python), "template-and-fixture-files": digest(found),
            "native": native}


def digest(names):
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()[:16]


def environment(import_time, import_reads, layout, fingerprint, distributions):
    """The run-wide inputs, and their hash (the key modules refer to)."""
    components = {
        "python": sys.version.split()[0],
        "distributions": distributions,
        "database-fingerprint": fingerprint,
        "import-time": import_time,
        "import-reads": import_reads,
        **layout,
    }
    text = json.dumps(components, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16], components


def fixture_files(labels, root):
    """Every project file that may hold one of the fixture ``labels``: in an
    app's ``fixtures`` directory, ``FIXTURE_DIRS`` or the current directory,
    named ``label`` or ``label.*`` (a superset of what ``loaddata`` picks,
    so a change to any of them selects the class's module)."""
    from django.apps import apps
    from django.conf import settings

    directories = [os.path.join(app.path, "fixtures") for app in apps.get_app_configs()]
    directories += [str(d) for d in getattr(settings, "FIXTURE_DIRS", ())] + [os.getcwd()]
    found = set()
    for label in labels:
        for directory in directories:
            base = os.path.join(directory, label)
            folder, stem = os.path.split(base)
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for name in names:
                path = os.path.join(folder, name)
                if (name == stem or name.startswith(stem + ".")) and os.path.isfile(path):
                    if sources.is_project_file(path, root):
                        found.add(os.path.abspath(path))
    return found
