"""Replaying ``post_migrate`` after a fast flush on PostgreSQL: the rows
``contenttypes`` and ``auth`` write again after every flush, written by two
``INSERT`` statements instead of their handlers (most of a fast flush's
remaining cost on a project of a few hundred models).

Why the replay leaves what the handlers leave. After a flush both tables are
empty (Django's list holds them, so the flush emptied them), so what
``create_contenttypes`` and ``create_permissions`` write depends only on the
models of the app registry, and each row takes its id from the table's
sequence (``bulk_create``: one ``nextval`` per row, in the order written).
The replay writes the same rows in the same order with the same defaults, so
the same sequences give the same ids, and it leaves
``ContentType.objects``'s cache holding the same models, as the handlers'
last ``get_for_models`` call does. It replays only when:

* the live ``post_migrate`` receivers are exactly those two handlers (and
  Django's handlers that do nothing without a migration plan, which a flush
  never passes: 6.1's permission renaming), connected for every sender, and
  there are no database routers;
* the registry's apps and models are those of the recording, and neither
  table has a user trigger, a rule or row-level security (statement-level
  triggers would fire once instead of once per app);
* the rows were recorded from a real run of the handlers on this database
  and a second real run, after another flush, wrote the same rows, moved each
  sequence by exactly one per row, and left the same cache.

Anything else runs the handlers, as Django's flush does.
"""

from dataclasses import dataclass

from nose_speedup.compat import django_flush

CONTENT_TYPES = "django_content_type"
PERMISSIONS = "auth_permission"
WRITTEN = (
    "SELECT (SELECT array_agg(array[app_label, model] ORDER BY id) FROM django_content_type), "
    "(SELECT array_agg(array[p.name, c.app_label, c.model, p.codename] ORDER BY p.id) "
    "FROM auth_permission p JOIN django_content_type c ON c.id = p.content_type_id)"
)
SEQUENCES = (
    "SELECT (SELECT last_value FROM pg_sequences WHERE schemaname || '.' || sequencename = "
    "pg_get_serial_sequence('django_content_type', 'id')), (SELECT last_value FROM "
    "pg_sequences WHERE schemaname || '.' || sequencename = "
    "pg_get_serial_sequence('auth_permission', 'id'))"
)
PLAIN_TABLES = (
    "SELECT NOT EXISTS (SELECT 1 FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY(t.o)) "
    "AND NOT EXISTS (SELECT 1 FROM pg_rewrite WHERE ev_class = ANY(t.o)) "
    "AND NOT EXISTS (SELECT 1 FROM pg_class WHERE relrowsecurity AND oid = ANY(t.o)) "
    "FROM (SELECT ARRAY['django_content_type', 'auth_permission']::regclass[]::oid[] AS o) t"
)
REPLAY = (
    "WITH ct AS (INSERT INTO django_content_type (app_label, model) "
    "SELECT v.a, v.m FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS v(a, m, o) "
    "ORDER BY v.o RETURNING id, app_label, model) "
    "INSERT INTO auth_permission (name, content_type_id, codename) SELECT v.n, ct.id, v.c "
    "FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) WITH ORDINALITY "
    "AS v(n, a, m, c, o) JOIN ct ON ct.app_label = v.a AND ct.model = v.m ORDER BY v.o"
)


@dataclass
class Recording:
    key: tuple  # what the handlers' rows depend on
    content_types: list  # [app_label, model] in id order
    permissions: list  # [name, app_label, model, codename] in id order
    cache: frozenset  # the (app_label, model) keys ContentType.objects caches
    verified: bool = False


class PostMigrateReplay:
    """``emit`` stands in for ``emit_post_migrate_signal`` after a fast flush."""

    def __init__(self):
        self.recordings = {}  # database alias -> Recording
        self.replayed = 0

    def emit(self, connection, tables, verbosity):
        from django.core.management.sql import emit_post_migrate_signal

        database = connection.alias
        key = self._key(connection, tables, verbosity)
        recording = self.recordings.get(database)
        if recording is not None and recording.verified and recording.key == key:
            self._replay(connection, recording)
            self.replayed += 1
            return
        before = self._sequences(connection) if key else None
        emit_post_migrate_signal(verbosity, False, database)
        if key is None:
            self.recordings.pop(database, None)
            return
        new = self._record(connection, key, before)
        if new is None:
            self.recordings.pop(database, None)
            return
        new.verified = recording is not None and recording.key == key and (
            (recording.content_types, recording.permissions, recording.cache)
            == (new.content_types, new.permissions, new.cache))
        self.recordings[database] = new

    def _key(self, connection, tables, verbosity):
        """What the handlers' rows depend on; None when replay is not exact."""
        from django.apps import apps
        from django.db import router

        if connection.vendor != "postgresql" or verbosity >= 2 or router.routers \
                or not {CONTENT_TYPES, PERMISSIONS} <= set(tables) \
                or not apps.is_installed("django.contrib.auth") \
                or not apps.is_installed("django.contrib.contenttypes"):
            return None
        from django.contrib.auth.management import create_permissions
        from django.contrib.contenttypes.management import create_contenttypes

        receivers = django_flush.post_migrate_receivers()
        idle = django_flush.handlers_idle_without_a_plan()
        if sorted(map(id, (receiver for receiver, _ in receivers))) != sorted(
                map(id, (create_contenttypes, create_permissions, *idle))) \
                or any(sender != id(None) for _, sender in receivers):
            return None
        with connection.cursor() as cursor:
            cursor.execute(PLAIN_TABLES)
            if not cursor.fetchone()[0]:
                return None
        return tuple((config.label, tuple(config.get_models()))
                     for config in apps.get_app_configs() if config.models_module is not None)

    def _sequences(self, connection):
        with connection.cursor() as cursor:
            cursor.execute(SEQUENCES)
            return cursor.fetchone()

    def _record(self, connection, key, before):
        """What the handlers wrote, or None when the sequences moved by
        other than one per row."""
        with connection.cursor() as cursor:
            cursor.execute(WRITTEN)
            content_types, permissions = (rows or [] for rows in cursor.fetchone())
        after = self._sequences(connection)
        moved = [(now or 0) - (then or 0) for now, then in zip(after, before)]
        if None in before or moved != [len(content_types), len(permissions)]:
            return None
        cache, elsewhere = django_flush.content_type_cache_keys(connection.alias)
        if elsewhere:
            return None
        return Recording(key, content_types, permissions, frozenset(cache))

    def _replay(self, connection, recording):
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType
        from django.db import transaction

        columns = list(zip(*recording.permissions)) or [(), (), (), ()]
        content_types = list(zip(*recording.content_types)) or [(), ()]
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(REPLAY, [list(content_types[0]), list(content_types[1]),
                                    *(list(column) for column in columns)])
        ContentType.objects.clear_cache()
        models = [apps.get_model(app_label, model) for app_label, model in recording.cache]
        ContentType.objects.db_manager(connection.alias).get_for_models(
            *models, for_concrete_models=False)
