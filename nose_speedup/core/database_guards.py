"""Guards around the creation of test databases, run once by the django run
whoever sets the databases up; the reuse machinery also asks which database
a name is (``database_identity``, ``real_alias``).

Creating a test database drops any database that already has its name, so
the one thing that must never happen is a test name that is also the name of
a real database: that is checked for every alias before anything is created.
A server that cannot be reached is reported as one line naming the alias and
its address, instead of a driver traceback from the middle of set-up.
"""

import os

from nose_speedup.errors import ConfigurationError


def database_identity(connection, name):
    """What makes two database names the same database: the server and the
    name, or for SQLite the absolute path of the file."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(name)
        if name == ":memory:" or "mode=memory" in name:
            return None
        return ("sqlite", os.path.abspath(name))
    return (
        settings_dict["ENGINE"],
        settings_dict.get("HOST") or "localhost",
        str(settings_dict.get("PORT") or ""),
        str(name),
    )


def real_databases():
    """``{identity: alias}`` of every database settings name as real
    (``DATABASES[...]["NAME"]``)."""
    from django.db import connections

    real = {}
    for alias in connections:
        settings_dict = connections[alias].settings_dict
        identity = database_identity(connections[alias], settings_dict.get("NAME") or "")
        if identity is not None and settings_dict.get("NAME"):
            real.setdefault(identity, alias)
    return real


def real_alias(connection, name):
    """The alias whose real ``NAME`` is the database ``name`` would be on
    ``connection``'s server, or ``None``."""
    return real_databases().get(database_identity(connection, name))


def refuse_real_database_names(aliases):
    """Stop the run if the test database of any of ``aliases`` would be a
    database that settings name as real (``DATABASES[...]["NAME"]``)."""
    from django.db import connections

    from nose_speedup.compat import django_testdb

    real = real_databases()
    for alias in aliases:
        settings_dict = connections[alias].settings_dict
        if settings_dict.get("TEST", {}).get("MIRROR"):
            continue
        # A NAME may be a pathlib.Path: show the path, not its repr.
        test_name = os.fspath(django_testdb.test_db_name(connections[alias]))
        clash = real.get(database_identity(connections[alias], test_name))
        if clash is not None:
            raise ConfigurationError(
                None,
                f"the test database of alias {alias!r} would be '{test_name}', which is "
                f"DATABASES[{clash!r}]['NAME'], a real database that creating the test "
                f"database would destroy. Give DATABASES[{alias!r}]['TEST']['NAME'] "
                "another value",
            )


def _address(settings_dict):
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT")
    vendor = settings_dict["ENGINE"].rsplit(".", 1)[-1]
    return f"{vendor} at {host}{':' + str(port) if port else ''}"


def check_servers_reachable(aliases):
    """Connect to each server the way Django does to create a test database
    (without naming a database), and stop with one line if one is down."""
    from django.db import connections

    from nose_speedup.compat import django_testdb

    for alias in aliases:
        connection = connections[alias]
        if connection.vendor == "sqlite" or connection.settings_dict.get("TEST", {}).get("MIRROR"):
            continue
        try:
            with django_testdb.nodb_cursor(connection):
                pass
        except Exception as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise ConfigurationError(
                None,
                f"cannot connect to the database server of alias {alias!r} "
                f"({_address(connection.settings_dict)}): {type(error).__name__}: {first_line}. "
                f"Start the server or fix DATABASES[{alias!r}] (HOST, PORT, USER, PASSWORD)",
            )
