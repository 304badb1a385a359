from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=50)


class Kind(models.Model):
    """Rows made by a migration: a TransactionTestCase's flush deletes them."""

    name = models.CharField(max_length=50)
