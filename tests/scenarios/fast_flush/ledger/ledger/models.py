from django.db import models


class Account(models.Model):
    name = models.CharField(max_length=50)


class Tag(models.Model):
    label = models.CharField(max_length=50)


class Entry(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    amount = models.IntegerField()
    tags = models.ManyToManyField(Tag)


class Setting(models.Model):
    """Filled by a data migration: Django's flush empties it."""
    key = models.CharField(max_length=50)


class Audit(models.Model):
    """Written by the trigger TriggerTests creates."""
    note = models.CharField(max_length=50)
