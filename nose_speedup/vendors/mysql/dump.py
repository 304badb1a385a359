"""The artifact dump on MariaDB/MySQL: ``mariadb-dump`` SQL, loaded with the
``mariadb`` client (see ``vendors.dump_base``)."""

from nose_speedup.vendors import marker
from nose_speedup.vendors.dump_base import ServerDump, _run


class MySQLDump(ServerDump):
    vendor = "mysql"
    method = "mariadb-dump SQL"
    dump_tools, load_tools = ("mariadb-dump", "mysqldump"), ("mariadb", "mysql")

    def dump(self, name, path):
        parameters = ["--single-transaction", "--routines", "--triggers", "--skip-comments",
                      "--hex-blob", "--no-create-db", f"--ignore-table={name}.{marker.TABLE}",
                      f"--result-file={path}"]
        args, env = self._command(self.dump_tools, name, parameters)
        _run(args, env)

    def load(self, name, path):
        args, env = self._command(self.load_tools, name, [])
        with open(path, "rb") as dump:
            _run(args, env, stdin=dump)
