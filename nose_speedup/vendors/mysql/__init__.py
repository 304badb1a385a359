"""MariaDB and MySQL (Django's ``mysql`` vendor): the reuse backend
(``reuse``), ``mariadb-dump`` dumps (``dump``), the flush probe
(``probe``)."""

from nose_speedup.vendors.base import Vendor


class MySQL(Vendor):
    name = "mysql"

    def reuse_backend(self):
        from nose_speedup.vendors.mysql.reuse import MySQLBackend

        return MySQLBackend(self.connection)

    def dump_classes(self):
        from nose_speedup.vendors.mysql.dump import MySQLDump

        return (MySQLDump,)

    def flush_probe(self):
        from nose_speedup.vendors.mysql.probe import MySQLProbe

        return MySQLProbe(self.connection)

    def server_version(self):
        return ".".join(str(part) for part in self.connection.mysql_version[:2])
