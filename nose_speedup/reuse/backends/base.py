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
``snapshot()``                  copy it aside as its pristine copy;
``restore(marker)``             make it its pristine copy again, after
                                checking the copy (``RestoreImpossible``);
``drop()``                      drop it and its pristine copy;
``claim_pristine(owner)``       raise ``NotOurs`` unless the pristine copy is
                                absent, empty, or made by ``owner``;
``state()``                     the entries that describe its contents now
                                (structure, row signatures, counters), as
                                the marker stores them;
``differences(marker)``         in words, how it differs from that record;
``signature(tables)``           ``{table: checksum of its rows}``;
``structure()``                 one checksum of columns, indexes,
                                constraints and triggers;
``counters()``                  ``{name: value}`` of the sequences a
                                rolled-back insert still advances;
``reset_counters(saved)``       set them back.
"""

from django.db import DatabaseError

from nose_speedup.reuse import marker


class RestoreImpossible(Exception):
    """The pristine copy cannot make this database pristine: rebuild it."""


class NotOurs(Exception):
    """A database or file this project did not make has the name of a
    pristine copy: it is never dropped or overwritten."""


def changed_tables(before, after):
    """Tables whose signature differs between two ``signature()`` results."""
    names = before.keys() | after.keys()
    return sorted(name for name in names if before.get(name) != after.get(name))


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class Backend:
    """The operations on one kept test database; see the module docstring."""

    vendor = None

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

    # What is kept in the marker, and checked against it.

    def state(self):
        return {
            marker.STRUCTURE: self.structure(),
            **marker.flatten(marker.TABLES, self.signature(self.tables())),
            **marker.flatten(marker.COUNTERS, self.counters()),
        }

    def differences(self, saved, counters=True):
        """How the database differs from the pristine state recorded in the
        marker ``saved``, in words; ``""`` when it does not. The structure is
        compared first: a table a test dropped makes the rows unreadable."""
        try:
            if self.structure() != saved.get(marker.STRUCTURE):
                return "the structure of its tables changed"
            tables = saved.group(marker.TABLES)
            changed = changed_tables(tables, self.signature(list(tables)))
            if changed:
                return f"changed tables: {', '.join(changed)}"
            if counters:
                pristine = saved.group(marker.COUNTERS)
                changed = changed_tables(pristine, self.counters())
                if changed:
                    return f"changed sequences: {', '.join(changed)}"
        except DatabaseError as error:
            return f"reading it failed ({_first_line(error)})"
        return ""

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
