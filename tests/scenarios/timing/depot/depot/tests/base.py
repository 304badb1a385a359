from django.test import TestCase


class ProjectTestCase(TestCase):
    """The project's base class: the one the advisor says to change."""
