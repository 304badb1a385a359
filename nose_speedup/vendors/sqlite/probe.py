"""The fast flush's probe on SQLite (see ``vendors.probe_base``)."""

from nose_speedup.compat import django_flush
from nose_speedup.vendors.probe_base import HAS_TRIGGER, Probe


class SQLiteProbe(Probe):
    def cascade_closure(self, tables):
        closure = dict.fromkeys(tables)
        for table in tables:
            closure.update(dict.fromkeys(django_flush.sqlite_references(self.connection, table)))
        return list(closure)

    def flag_queries(self, tables, allow_cascade):
        return [(HAS_TRIGGER, "SELECT 1 FROM sqlite_master WHERE type = 'trigger'")]
