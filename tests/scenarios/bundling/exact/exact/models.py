from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=50, unique=True)


class Event(models.Model):
    name = models.CharField(max_length=50)
    when = models.DateTimeField()


class Place(models.Model):
    name = models.CharField(max_length=50)


class Note(models.Model):
    text = models.CharField(max_length=50)
