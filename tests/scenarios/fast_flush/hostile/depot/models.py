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
