from django.db import models


class Note(models.Model):
    """Outside AvailableAppsTests.available_apps, referencing one of its tables."""
    account = models.ForeignKey("ledger.Account", null=True, on_delete=models.CASCADE)
    text = models.CharField(max_length=50)
