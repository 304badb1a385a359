"""An app without migrations: its tables come from its models (and their
abstract bases, in ``blog.bases``)."""
from django.db import models

from blog.bases import Titled


class Post(Titled):
    published = models.BooleanField(default=False)
