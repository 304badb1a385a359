from django.db import models


class Secret(models.Model):
    """Row-level security, forced: the test user (its owner) sees none of its rows."""
    code = models.CharField(max_length=20, unique=True)


class Sealed(models.Model):
    """A test class takes the test user's right to read it."""
    code = models.CharField(max_length=20, unique=True)
