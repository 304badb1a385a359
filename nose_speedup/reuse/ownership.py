"""What is ours, and the guards that keep a run off what is not.

``owner()`` is what a build writes into its marker (and so into its
pristine copy): nose-speedup and the settings module. Nothing is dropped or
overwritten without it: a kept database with tables and no such marker, or
another project's, is refused; a pristine copy is dropped or overwritten
only when it is absent, empty or ours, and never when its name is a real
``NAME``; a copy for a parallel worker is replaced only when it bears the
mark ``clone_mark()`` (``claim_clone``). ``forget(aliases)``, with reuse
off, drops the databases an earlier ``REUSE_DB=1`` run kept, with their
pristine copies, when they are ours.
"""

import os
import sys

from nose_speedup.core import database_guards
from nose_speedup.errors import ConfigurationError
from nose_speedup.compat import django_testdb
from nose_speedup import vendors
from nose_speedup.vendors import marker
from nose_speedup.vendors.reuse_base import NotOurs

SOURCE = "reuse-db plugin"


def _say(line):
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def settings_module():
    from django.conf import settings

    return getattr(settings, "SETTINGS_MODULE", None) or "settings configured in-process"


def owner():
    return f"nose-speedup for {settings_module()}"


def refuse_real_pristine(database):
    pristine = str(database.backend.pristine_name)
    clash = database_guards.real_alias(database.connection, pristine)
    if clash is not None:
        raise ConfigurationError(
            SOURCE,
            f"the pristine copy of test database {database.name!r} would be {pristine!r}, "
            f"which is DATABASES[{clash!r}]['NAME'], a real database that keeping a copy "
            "would destroy. Give DATABASES"
            f"[{database.connection.alias!r}]['TEST']['NAME'] another value",
        )


def claim_pristine(database):
    """Stop before dropping or overwriting a pristine copy we did not make."""
    try:
        database.backend.claim_pristine(owner())
    except NotOurs as error:
        pristine = str(database.backend.pristine_name)
        raise ConfigurationError(
            SOURCE,
            f"the pristine copy {pristine!r} of test database {database.name!r} already "
            f"exists and {error}; it may hold data that is not disposable, so it is left "
            "untouched. Drop it yourself if it is disposable, or give DATABASES"
            f"[{database.connection.alias!r}]['TEST']['NAME'] another name",
        ) from None


def clone_mark():
    """What marks a copy for a parallel worker as ours (on the database
    itself: its tables are the test database's)."""
    return f"copy for a parallel worker, made by {owner()}"


def claim_clone(connection, name, source):
    """Stop before a copy for a parallel worker replaces the database (or
    SQLite file) ``name`` when that exists without our mark."""
    if not vendors.supported(connection):
        return
    backend = vendors.for_connection(connection).reuse_backend()
    if backend.clone_owned(name, clone_mark()) in (None, True):
        return
    shown = os.fspath(name)
    raise ConfigurationError(
        source,
        f"the copy of test database {os.fspath(connection.settings_dict['NAME'])!r} "
        f"for a parallel worker would be {shown!r}, which already exists and was not made "
        "by nose-speedup for this project; it may hold data that is not disposable, so it "
        f"is left untouched. Drop it yourself if it is disposable, or give DATABASES"
        f"[{connection.alias!r}]['TEST']['NAME'] another value",
    )


def not_ours(database, what):
    alias = database.connection.alias
    return (
        f"the test database {database.name!r} of alias {alias!r} already exists and {what}; "
        "it may hold data that is not disposable, so it is left untouched. Check that it is "
        "a disposable test database and run once with REUSE_DB=reset (or --create-db) to "
        f"rebuild it, or give DATABASES[{alias!r}]['TEST']['NAME'] another name"
    )


def forget(aliases):
    """With reuse off: drop each database an earlier ``REUSE_DB=1`` run kept
    for ``aliases``, with its pristine copy, when its marker says it is
    ours; say so. Django then creates and destroys its own."""
    from django.db import connections

    for alias in aliases:
        connection = connections[alias]
        if connection.settings_dict["TEST"].get("MIRROR"):
            continue
        if not vendors.supported(connection):
            continue
        name = vendors.for_connection(connection).kept_name()
        if database_guards.real_alias(connection, name) is not None:
            continue  # refused elsewhere; never dropped here
        kept = django_testdb.connection_to(connection, name)
        backend = vendors.for_connection(kept).reuse_backend()
        try:
            found, _tables = backend.pristine_contents()
            if found is None or found.get(marker.OWNER) != owner():
                continue
            backend.drop()
            _say(
                f"Dropped test database {name!r} and its pristine copy, kept by an earlier "
                "REUSE_DB=1 run: reuse is off"
            )
        finally:
            kept.close()
