"""Keeps the ``audit`` app on the ``archive`` database and every other app
off it, the way a project splits a write-heavy log from its main data."""

ARCHIVE_APPS = frozenset({"audit"})
ARCHIVE_ALIAS = "archive"
DEFAULT_ALIAS = "default"


class ArchiveRouter:
    """Route ``audit`` to ``archive``; migrate it only there."""

    def db_for_read(self, model, **hints):
        return self._alias_for(model._meta.app_label)

    def db_for_write(self, model, **hints):
        return self._alias_for(model._meta.app_label)

    def allow_relation(self, obj1, obj2, **hints):
        """Forbid foreign keys across the two databases."""
        return (obj1._meta.app_label in ARCHIVE_APPS) == (
            obj2._meta.app_label in ARCHIVE_APPS
        )

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return self._alias_for(app_label) == db

    @staticmethod
    def _alias_for(app_label):
        return ARCHIVE_ALIAS if app_label in ARCHIVE_APPS else DEFAULT_ALIAS
