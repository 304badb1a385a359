from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=100)
    pages = models.IntegerField(default=0)

    def is_long(self):
        return self.pages > 300
