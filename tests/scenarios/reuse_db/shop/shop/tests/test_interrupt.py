"""A Ctrl-C in the middle of a class that uses only 'default': Django's
guard against queries on 'other' must not outlive the interrupted class."""
import os

from django.test import TestCase

from shop.models import Item


class InterruptedTests(TestCase):
    databases = {"default"}

    def test_interrupted(self):
        Item.objects.create(name="Never committed")
        if os.environ.get("NSP_INTERRUPT"):
            raise KeyboardInterrupt
