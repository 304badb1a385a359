from django.db import models


class Region(models.Model):
    name = models.CharField(max_length=50, unique=True)


class Customer(models.Model):
    name = models.CharField(max_length=50, unique=True)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    total = models.IntegerField()
