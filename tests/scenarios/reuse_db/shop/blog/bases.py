"""An abstract base model in a module of its own: the app's table is built
from it too."""
from django.db import models


class Titled(models.Model):
    title = models.CharField(max_length=100)

    class Meta:
        abstract = True
