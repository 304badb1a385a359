"""The shared flow of a database vendor; one subclass per vendor
(``vendors/<vendor>/__init__.py``) overrides only what differs.

A ``Vendor`` is bound to a connection. What it gives:

``reuse_backend()``      the reuse machinery's backend (``reuse_base``);
``kept_name()``          the name of the test database ``REUSE_DB`` keeps;
``prepare_kept()``       point the connection at a test database that can
                         outlive the run (SQLite moves one kept in memory to
                         a file);
``lazy_commit``          a statement that lets the marker's commits skip
                         waiting for the disk, or ``None``;
``dump()``               the artifact dump that saves the database;
``dump_for(method)``     the one that loads a dump written with ``method``,
                         or ``None``;
``dump_is_file``         does the dump hold the database whole (its file,
                         marker included), or does a load fill a new, empty
                         database?
``flush_probe()``        the fast flush's probe (``probe_base``);
``server_version()``     the server's major version, which the client tools
                         must fit.

Submodules are imported when asked for: a warm start imports only what its
vendor needs (``sqlite3`` and the dump tools stay out of a server run).
"""

from nose_speedup.compat import django_testdb


class Vendor:
    # connection.vendor of the Django backends this class serves.
    name = None
    # Run first in the marker's transactions (see ``lazy_commit`` above).
    lazy_commit = None
    dump_is_file = False

    def __init__(self, connection):
        self.connection = connection

    def reuse_backend(self):
        raise NotImplementedError

    def dump_classes(self):
        """This vendor's dump classes (each has ``method``); the first saves."""
        raise NotImplementedError

    def flush_probe(self):
        raise NotImplementedError

    def server_version(self):
        raise NotImplementedError

    def kept_name(self):
        return django_testdb.test_db_name(self.connection)

    def prepare_kept(self):
        """A server's test database outlives the run as it is."""

    def dump(self):
        return self.dump_classes()[0](self.connection)

    def dump_for(self, method):
        for dump in self.dump_classes():
            if dump.method == method:
                return dump(self.connection)
        return None
