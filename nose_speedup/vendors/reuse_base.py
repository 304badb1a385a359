"""The flow every backend shares, over the few operations that differ per
vendor (each subclass overrides only those, as Django's
``db/backends/<vendor>/creation.py`` do).

A backend is bound to a connection whose ``settings_dict["NAME"]`` is the
test database. Its public shape:

``name``, ``pristine_name``     the test database and its pristine copy
                                (database names; files on SQLite);
``quote(name)``                 a quoted identifier;
``exists()``                    does the test database exist?
``tables()``                    its tables, the marker table excepted;
``holds_anything()``            has it a table (or, on PostgreSQL, any
                                relation in any schema)? An unmarked one
                                that does is never dropped;
``snapshot()``                  copy it aside as its pristine copy;
``restore(marker)``             make it its pristine copy again, after
                                checking the copy (``RestoreImpossible``);
``drop()``                      drop it and its pristine copy;
``claim_pristine(owner)``       raise ``NotOurs`` unless the pristine copy is
                                absent, empty, or made by ``owner``;
``state()``                     the entries that describe its contents now
                                (structure, row signatures, counters), as
                                the marker stores them;
``compare(marker)``             a ``Comparison``: how it differs from that
                                record (``differences`` says it in words),
                                read cheaply: a table that is empty in the
                                pristine state is only asked whether it has
                                a row;
``restore_tables(tables, marker)``  put back the pristine rows of ``tables``
                                only (structure unchanged), with no trigger
                                firing and no foreign key checked, from the
                                pristine rows kept at build time (the
                                counters are ``reset_counters``' job), or
                                raise ``TablesNotRestorable``;
``signature(tables)``           ``{table: checksum of its rows}``;
``tables_with_rows(tables)``    those of ``tables`` that hold a row;
``structure()``                 one checksum of columns, indexes,
                                constraints and triggers;
``counters()``                  ``{name: value}`` of the sequences a
                                rolled-back insert still advances;
``reset_counters(saved)``       set them back;
``clone_owned(name, mark)``     None when the database ``name`` (a copy
                                for a parallel worker) does not exist, else
                                whether it bears ``mark``: a mark of ours
                                kept on the database itself, where its
                                tables never show it;
``mark_clone(name, mark)``      set that mark on a copy just made.

What ``reuse.blocking`` needs to wait for another client's locks:
``watch_from_outside`` (does a blocked statement wait on without end, so
that a thread must look?), ``is_lock_wait(error)``, ``session_id()``,
``side_connection()``, ``lock_holders(side, session)`` (who blocks the
session, in words, or None when it is not blocked), ``interrupt(side,
session)``; ``on_busy`` is set while it watches, for waits outside Django's
cursors (SQLite's backup).

``EMPTY`` is the signature of a table without rows.
"""

from django.db import DatabaseError

from nose_speedup.compat import django_testdb
from nose_speedup.vendors import marker

# The signature of a table that should be empty and is not.
HAS_ROWS = "has rows"


class RestoreImpossible(Exception):
    """The pristine copy cannot make this database pristine: rebuild it."""


class TablesNotRestorable(Exception):
    """Putting back single tables cannot be exact with the rights this
    connection has: only the whole pristine copy is; says what is missing."""


class NotOurs(Exception):
    """A database or file this project did not make has the name of a
    pristine copy: it is never dropped or overwritten."""


def changed_tables(before, after):
    """Tables whose signature differs between two ``signature()`` results."""
    names = before.keys() | after.keys()
    return sorted(name for name in names if before.get(name) != after.get(name))


class Comparison:
    """How a kept database differs from the pristine state its marker
    recorded: ``error`` (it could not be read), ``structure_changed``, or
    the ``tables`` whose rows and the ``counters`` whose values differ;
    ``empty`` are those of ``tables`` that now hold no row."""

    def __init__(self, error=None, structure_changed=False, tables=(), counters=(), empty=()):
        self.error = error
        self.structure_changed = structure_changed
        self.tables = list(tables)
        self.counters = list(counters)
        self.empty = list(empty)

    @property
    def same(self):
        return not (self.error or self.structure_changed or self.tables or self.counters)

    @property
    def exact_by_tables(self):
        """Can putting back single tables' rows make it pristine again?"""
        return not (self.error or self.structure_changed)

    def words(self):
        if self.error:
            return f"reading it failed ({self.error})"
        if self.structure_changed:
            return "the structure of its tables changed"
        if self.tables:
            return f"changed tables: {', '.join(self.tables)}"
        if self.counters:
            return f"changed sequences: {', '.join(self.counters)}"
        return ""


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class Backend:
    """The operations on one kept test database; see the module docstring."""

    vendor = None
    EMPTY = None

    def __init__(self, connection):
        self.connection = connection

    @property
    def name(self):
        return self.connection.settings_dict["NAME"]

    @property
    def pristine_name(self):
        return f"{self.name}_pristine"

    def quote(self, name):
        return self.connection.ops.quote_name(name)

    def tables(self):
        with self.connection.cursor() as cursor:
            names = self.connection.introspection.table_names(cursor)
        return [name for name in names if name != marker.TABLE]

    def holds_anything(self):
        return bool(self.tables())

    # What is kept in the marker, and checked against it.

    def state(self):
        return {
            marker.STRUCTURE: self.structure(),
            **marker.flatten(marker.TABLES, self.signature(self.tables())),
            **marker.flatten(marker.COUNTERS, self.counters()),
        }

    def differences(self, saved, counters=True):
        """How the database differs from the pristine state recorded in the
        marker ``saved``, in words; ``""`` when it does not."""
        return self.compare(saved, counters).words()

    def compare(self, saved, counters=True):
        """A ``Comparison`` with the pristine state recorded in ``saved``.
        The structure is compared first: a table a test dropped makes the
        rows unreadable."""
        pristine = saved.group(marker.TABLES)
        try:
            structure, signatures, found_counters = self.inspect(pristine)
        except DatabaseError as error:
            return Comparison(error=_first_line(error))
        if structure != saved.get(marker.STRUCTURE):
            return Comparison(structure_changed=True)
        tables = changed_tables(pristine, signatures)
        changed_counters = []
        if counters:
            changed_counters = changed_tables(saved.group(marker.COUNTERS), found_counters)
        empty = [table for table in tables if signatures.get(table) == self.EMPTY]
        return Comparison(tables=tables, counters=changed_counters, empty=empty)

    def inspect(self, pristine):
        """``(structure, signatures, counters)`` now, where the signature of a
        table that is empty in ``pristine`` is ``EMPTY`` or ``HAS_ROWS``."""
        empty = [table for table, signature in pristine.items() if signature == self.EMPTY]
        with_rows = self.tables_with_rows(empty)
        signatures = {table: HAS_ROWS if table in with_rows else self.EMPTY for table in empty}
        signatures.update(self.signature([table for table in pristine if table not in empty]))
        return self.structure(), signatures, self.counters()

    # The pristine copy.

    def claim_pristine(self, owner):
        found, tables = self.pristine_contents()
        if found is None and tables:
            raise NotOurs("has tables but no nose-speedup marker")
        if found is not None and found.get(marker.OWNER) != owner:
            raise NotOurs(f"was made by {found.get(marker.OWNER)}")

    def check_pristine(self, saved):
        """Raise ``RestoreImpossible`` unless the pristine copy is the copy
        of the build ``saved`` describes, with every table."""
        found, tables = self.pristine_contents()
        what = f"its pristine copy {str(self.pristine_name)!r}"
        if found is None:
            raise RestoreImpossible(f"{what} is missing" if not tables else f"{what} has no marker")
        if any(found.get(key) != saved.get(key) for key in (marker.OWNER, marker.FINGERPRINT)):
            raise RestoreImpossible(f"{what} is not a copy of this build")
        missing = sorted(set(saved.group(marker.TABLES)) - set(tables))
        if missing:
            raise RestoreImpossible(f"{what} lacks tables: {', '.join(missing)}")

    def restore(self, saved):
        self.check_pristine(saved)
        self.restore_from_pristine(saved)

    # Another client's locks (reuse.blocking); waits are bounded by the
    # server's own lock timeout unless a subclass says otherwise.

    watch_from_outside = False
    on_busy = None

    def is_lock_wait(self, error):
        return False

    def session_id(self):
        return None

    # The database a side connection names: never the test database, which
    # PostgreSQL cannot copy while another session is on it.
    SIDE_DATABASE = ""

    def side_connection(self):
        """A second connection to the server, for the watching thread."""
        return django_testdb.connection_to(self.connection, self.SIDE_DATABASE)

    def lock_holders(self, side, session):
        return None

    def interrupt(self, side, session):
        raise NotImplementedError

    # Per vendor.

    def exists(self):
        raise NotImplementedError

    def pristine_contents(self):
        """``(marker or None, [table names])`` of the pristine copy;
        ``(None, [])`` when there is none."""
        raise NotImplementedError

    def snapshot(self):
        raise NotImplementedError

    def restore_from_pristine(self, saved):
        raise NotImplementedError

    def restore_tables(self, tables, saved):
        raise NotImplementedError

    def tables_with_rows(self, tables):
        raise NotImplementedError

    def drop(self):
        raise NotImplementedError

    def signature(self, tables):
        raise NotImplementedError

    def structure(self):
        raise NotImplementedError

    def counters(self):
        raise NotImplementedError

    def reset_counters(self, saved):
        raise NotImplementedError

    def clone_owned(self, name, mark):
        raise NotImplementedError

    def mark_clone(self, name, mark):
        raise NotImplementedError
