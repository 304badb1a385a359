"""An app without migrations: its tables come from its models."""
from django.db import models


class Post(models.Model):
    title = models.CharField(max_length=100)
