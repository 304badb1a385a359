"""Carry kept test databases between machines (CI caches).

::

    python -m nose_speedup.db fingerprint      # the cache key, on stdout
    python -m nose_speedup.db save PATH        # after a REUSE_DB=1 run
    python -m nose_speedup.db load PATH        # on a fresh machine

Settings come from ``--settings``, else from ``[django] settings`` in the
nose2 config the plugins read (``unittest.cfg`` and ``nose2.cfg`` in the
working directory, after ``~/.unittest.cfg`` and ``~/.nose2.cfg``), else from
``DJANGO_SETTINGS_MODULE``; the working directory is on the import path, as
with ``manage.py``. ``fingerprint``
prints the key of what the test databases are built from (no database is
touched); ``save`` writes the test databases a ``REUSE_DB=1`` run kept to
one artifact; ``load`` makes them the kept test databases from it (a run
with ``REUSE_DB=1`` and ``[reuse-db] artifact = PATH`` does this by itself
when it would otherwise build), and says which it left as they were because
they were already kept from today's code. Errors are one line, exit status 1.
"""

import argparse
import os
import sys

from nose_speedup.errors import ConfigurationError, reported_by

SOURCE = "nose_speedup.db"


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m nose_speedup.db", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--settings", help="Django settings module (default: [django] settings in "
        "unittest.cfg or nose2.cfg, else DJANGO_SETTINGS_MODULE)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("fingerprint", help="print the cache key of the test databases")
    for name, text in (("save", "write the kept test databases to PATH"),
                       ("load", "restore the kept test databases from PATH")):
        command = commands.add_parser(name, help=text)
        command.add_argument("path", metavar="PATH")
        command.add_argument("--lock-timeout", type=float, default=300.0,
                             help="seconds to wait for a run using a database (default 300)")
    return parser


# What nose2 reads, in its order (nose2.main.PluggableTestProgram): the
# user's files, then the working directory's, the later winning.
NOSE2_CONFIG_FILES = ("~/.unittest.cfg", "~/.nose2.cfg", "unittest.cfg", "nose2.cfg")


def configured_settings():
    """``[django] settings`` from the nose2 config files, as the django
    plugin reads it (it beats ``DJANGO_SETTINGS_MODULE`` there too)."""
    from nose2.session import Session

    session = Session()
    session.loadConfigFiles(*(os.path.expanduser(name) for name in NOSE2_CONFIG_FILES))
    return session.get("django").as_str("settings", "").strip()


def _setup(settings):
    settings = settings or configured_settings()
    if settings:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        raise ConfigurationError(
            SOURCE, "no settings: pass --settings MODULE, set [django] settings in "
            "unittest.cfg or nose2.cfg, or set DJANGO_SETTINGS_MODULE",
        )
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    import django

    try:
        django.setup()
    except ImportError as error:
        raise ConfigurationError(
            SOURCE, f"settings module {os.environ['DJANGO_SETTINGS_MODULE']!r} cannot be "
            f"imported ({error}); run from the project directory or fix --settings",
        ) from None


def _load(path, lock_timeout):
    from nose_speedup.core import database_guards
    from nose_speedup.artifacts import key, loading
    from nose_speedup.reuse import lifecycle

    aliases = key.kept_aliases()
    with reported_by(SOURCE):
        database_guards.check_servers_reachable(aliases)
        source = loading.ArtifactSource(path, strict=True)
        source.check()
        lifecycle.prepare(aliases)
        database_guards.refuse_real_database_names(aliases)
        reused = lifecycle.set_up(
            1, aliases, [], reset=False, lock_timeout=lock_timeout, artifact=source
        )
    for database in reused.kept:
        if database.name not in source.loaded:
            print(
                f"Not loading artifact {path!r} into {database.name!r}: that kept test "
                "database was built from today's code already and is kept as it is; drop "
                "it first to load the artifact instead",
                file=sys.stderr,
            )
    lifecycle.tear_down(reused)


def main(argv=None):
    arguments = _parser().parse_args(argv)
    _setup(arguments.settings)
    if arguments.command == "fingerprint":
        from nose_speedup.artifacts import key

        print(key.key())
    elif arguments.command == "save":
        from nose_speedup.artifacts import saving

        print(saving.save(arguments.path, arguments.lock_timeout))
    else:
        _load(arguments.path, arguments.lock_timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
