"""The fast flush's probe on MariaDB/MySQL (see ``vendors.probe_base``)."""

from nose_speedup.vendors.probe_base import HAS_TRIGGER, Probe


class MySQLProbe(Probe):
    # MariaDB and MySQL need a FROM for a WHERE; Django's flush turns foreign
    # key checks off, so nothing cascades (the closure is the list).
    from_clause = " FROM DUAL"

    def flag_queries(self, tables, allow_cascade):
        return [(HAS_TRIGGER, "SELECT 1 FROM information_schema.TRIGGERS WHERE "
                              "TRIGGER_SCHEMA = DATABASE() AND EVENT_MANIPULATION = 'DELETE'")]
