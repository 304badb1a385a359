"""One REUSE_DB=1 build of a scenario, made once per pytest worker and put
back before each test that starts from a built, kept database.

Most reuse tests begin the same way: a cold ``REUSE_DB=1`` run that migrates
and keeps the test databases (with their pristine copies), then the step the
test is about. That build is the dearest run of such a test (migrations,
post_migrate, the pristine copies) and is the same in every test. A
``KeptBuild`` runs it once, in a project copy at a fixed path whose databases
have a fixed name, keeps what it made (the copy's files, SQLite databases
included; on PostgreSQL a ``CREATE DATABASE ... TEMPLATE`` copy of each kept
database, as the plugin makes its own pristine copies), and ``restore()``
puts exactly that back before each test: the same files, the same databases
under the same names, so the fingerprint, the marker and the pristine record
are those of a build made for this test. Anything the previous test left
(edited settings, extra files beside the copy, changed rows) is gone.

MariaDB has no database templates: there each test builds its own (the
``fallback`` the caller runs).
"""

import shutil
import tempfile
from pathlib import Path

KEPT_SUFFIX = "_kept"


class KeptBuild:
    """``build(project)`` runs the cold build in ``project`` and returns its
    probe report; ``databases(project)`` names the server databases a build
    keeps; ``connect(database)`` opens an autocommit DB-API connection."""

    def __init__(self, backend, project, build, databases, connect):
        self.backend = backend
        self.project = project
        self.databases = databases(project)
        self.connect = connect
        self.cold_report = build(project)
        self.snapshot = Path(tempfile.mkdtemp(prefix="nsp-kept-build-")) / project.path.name
        shutil.copytree(project.path, self.snapshot)
        self._copy_databases(self.databases, [name + KEPT_SUFFIX for name in self.databases])

    def restore(self):
        """The project exactly as the build left it."""
        parent = self.project.path.parent
        shutil.rmtree(parent, ignore_errors=True)
        parent.mkdir(parents=True)
        shutil.copytree(self.snapshot, self.project.path)
        self._copy_databases([name + KEPT_SUFFIX for name in self.databases], self.databases)
        return self.project

    def remove(self):
        self._drop(self.databases + [name + KEPT_SUFFIX for name in self.databases])
        shutil.rmtree(self.snapshot.parent, ignore_errors=True)
        shutil.rmtree(self.project.path.parent, ignore_errors=True)

    def _copy_databases(self, sources, targets):
        if self.backend != "postgresql":
            return  # SQLite's databases are files of the copy
        self._drop(targets)
        connection = self.connect()
        try:
            cursor = connection.cursor()
            for source, target in zip(sources, targets):
                cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
        finally:
            connection.close()

    def _drop(self, names):
        if self.backend != "postgresql":
            return
        connection = self.connect()
        try:
            cursor = connection.cursor()
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            connection.close()
