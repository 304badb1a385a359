from django.db import models

from store.pricing import with_tax


class Product(models.Model):
    DEFAULT_STOCK = 5

    name = models.CharField(max_length=50)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    stock = models.IntegerField(default=0)

    def price_with_tax(self):
        return with_tax(self.price)

    def label(self):
        from store.lazy_helper import shout

        return shout(self.name)

    def initial_stock(self):
        return self.DEFAULT_STOCK


class AuditEntry(models.Model):
    note = models.CharField(max_length=100)
