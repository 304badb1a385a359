from django.db import models


class Node(models.Model):
    """Rows that point at each other, even in a cycle."""
    name = models.CharField(max_length=50)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)


class Crate(models.Model):
    """A migration fills it: Django's flush empties it."""
    label = models.CharField(max_length=50)


class Legacy(models.Model):
    """Unmanaged: Django's flush never lists its table (a migration made it)."""
    code = models.CharField(max_length=50)

    class Meta:
        managed = False
        db_table = "depot_legacy"


# Traps for the DELETE the fast flush uses on PostgreSQL instead of Django's
# TRUNCATE (migration 0002 sets them on PostgreSQL only): each must be
# truncated, or a DELETE would leave another state than Django's flush.

class Watched(models.Model):
    """A trigger on DELETE writes to depot_journal (a TRUNCATE fires none)."""
    name = models.CharField(max_length=50)


class Ruled(models.Model):
    """A rule turns a DELETE into nothing."""
    name = models.CharField(max_length=50)


class Held(models.Model):
    """depot_holder's foreign key into it cascades ON DELETE in the database."""
    name = models.CharField(max_length=50)


class Holder(models.Model):
    held = models.ForeignKey(Held, models.CASCADE)


class Strict(models.Model):
    """A self-referential foreign key that cannot be deferred (rows in a cycle)."""
    parent = models.ForeignKey("self", models.CASCADE, null=True)


class Guarded(models.Model):
    """Row-level security (a superuser, the test user here, sees every row)."""
    name = models.CharField(max_length=50)
