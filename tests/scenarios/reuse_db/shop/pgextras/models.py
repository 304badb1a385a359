from django.contrib.postgres.fields import HStoreField
from django.db import models


class CaseInsensitiveText(models.TextField):
    def db_type(self, connection):
        return "citext"


class Tagged(models.Model):
    tags = HStoreField(default=dict)
    label = CaseInsensitiveText(unique=True)
