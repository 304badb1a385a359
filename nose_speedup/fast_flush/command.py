"""``FastFlush``: stands in for Django's ``flush`` call in
``TransactionTestCase`` teardown while installed (see the package docstring)."""

from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module

from nose_speedup.compat import django_flush
from nose_speedup import vendors
from nose_speedup.vendors.probe_base import Fallback
from nose_speedup.fast_flush.replay import PostMigrateReplay

FLUSH = "flush"
# The options TransactionTestCase passes, and the values this handles.
TEST_CASE_OPTIONS = frozenset(
    {"verbosity", "interactive", "database", "reset_sequences", "allow_cascade",
     "inhibit_post_migrate"}
)

# Why a flush goes to Django's command, found before probing.
OVERRIDDEN = "an app overrides the flush command"
OTHER_OPTIONS = "called with options TransactionTestCase does not pass"
PROBE_FAILED = "the query finding non-empty tables failed"
FAILED = "the fast statements failed"


@dataclass
class Figures:
    """What the fast flushes of a process did, for the closing line; a
    worker process of ``--django-parallel`` sends its own (they pickle) to
    the main process, which adds them to its own."""

    flushes: int = 0  # flushes done fast
    listed: int = 0  # the tables Django's flush would have emptied in them
    emptied: int = 0  # the tables they emptied
    replayed: int = 0  # post_migrate runs replayed (replay.py)
    fallbacks: Counter = field(default_factory=Counter)  # (reason, alias) -> Django's flushes

    def add(self, other):
        self.flushes += other.flushes
        self.listed += other.listed
        self.emptied += other.emptied
        self.replayed += other.replayed
        self.fallbacks.update(other.fallbacks)

    def __bool__(self):
        return bool(self.flushes or self.fallbacks)


class FastFlush:
    """Stands in for ``call_command`` in Django's ``TransactionTestCase``
    teardown while installed; counts what it did for the closing line."""

    def __init__(self):
        self.django_call = None
        self.imported_apps = set()
        self.figures = Figures()
        self.replay = PostMigrateReplay()

    def install(self):
        self.django_call = django_flush.replace_flush_call(self)

    def uninstall(self):
        if self.django_call is not None:
            django_flush.restore_flush_call(self.django_call)
            self.django_call = None

    def __call__(self, command_name, *args, **options):
        if command_name != FLUSH:
            return self.django_call(command_name, *args, **options)
        reason = self._refusal(args, options)
        if reason is None:
            try:
                return self.flush(**options)
            except Fallback as fallback:
                reason = str(fallback)
        self.figures.fallbacks[(reason, options.get("database"))] += 1
        return self.django_call(command_name, *args, **options)

    def _refusal(self, args, options):
        from django.core.management import get_commands

        if get_commands().get(FLUSH) != "django.core":
            return OVERRIDDEN
        if args or set(options) - TEST_CASE_OPTIONS or options.get("interactive", True) \
                or options.get("reset_sequences", True) or "database" not in options:
            return OTHER_OPTIONS
        from django.db import connections

        connection = connections[options["database"]]
        if vendors.supported(connection):
            return None
        return f"no fast flush for {connection.vendor} databases"

    def _import_management_modules(self):
        """What the flush command does first, so that apps' management
        modules have registered their post_migrate handlers (once per app:
        an imported module stays imported)."""
        from django.apps import apps

        for app_config in apps.get_app_configs():
            if app_config.name not in self.imported_apps:
                try:
                    import_module(".management", app_config.name)
                except ImportError:
                    pass
                self.imported_apps.add(app_config.name)

    def flush(self, database, allow_cascade=False, inhibit_post_migrate=False, verbosity=1,
              **_):
        from django.db import DatabaseError, connections

        connection = connections[database]
        self._import_management_modules()
        probe = vendors.for_connection(connection).flush_probe()
        try:  # reads only: on an error nothing changed, and Django's flush decides
            tables = connection.introspection.django_table_names(
                only_existing=True, include_views=False
            )
            flushed = probe.cascade_closure(tables) if tables and allow_cascade else tables
            non_empty = probe.non_empty(flushed, allow_cascade) if flushed else []
        except DatabaseError as error:
            raise Fallback(f"{PROBE_FAILED} ({type(error).__name__}: {error})") from error
        if non_empty:
            try:
                connection.ops.execute_sql_flush(probe.flush_sql(non_empty))
            except Exception as error:  # rolled back; Django's flush decides the outcome
                raise Fallback(f"{FAILED} ({type(error).__name__}: {error})") from error
        self.figures.flushes += 1
        self.figures.listed += len(flushed)
        self.figures.emptied += len(non_empty)
        if tables and not inhibit_post_migrate:
            replayed = self.replay.replayed
            self.replay.emit(connection, tables, verbosity)
            self.figures.replayed += self.replay.replayed - replayed

    def take_figures(self):
        """The figures since the last call (a worker sends them after each
        unit, so that a worker that dies later loses none of them)."""
        figures, self.figures = self.figures, Figures()
        return figures

    def add_figures(self, figures):
        """Count another process's figures (a worker's) with these."""
        self.figures.add(figures)

    def summary(self):
        """The closing line: what was flushed, and each reason Django's flush
        ran; None when no TransactionTestCase test flushed anything."""
        figures = self.figures
        if not figures:
            return None
        line = (
            f"fast-flush: {figures.flushes} TransactionTestCase flushes emptied "
            f"{figures.emptied} non-empty tables (Django's flush empties {figures.listed})"
        )
        if figures.replayed:
            line += f"; post_migrate's rows replayed {figures.replayed} times"
        if figures.fallbacks:
            reasons = "; ".join(
                f"{count}x on '{alias}': {reason}"
                for (reason, alias), count in sorted(figures.fallbacks.items(), key=str)
            )
            line += (f"; Django's flush ran instead {sum(figures.fallbacks.values())} times: "
                     f"{reasons}")
        return line
