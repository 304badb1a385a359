from django.test import TestCase

from crowd.models import Note, Person
from crowd.tests import Base, ran


class NotesTests(Base):
    fixtures = ["notes.json"]

    def test_notes_only(self):
        ran(self)
        self.assertEqual((Note.objects.count(), Person.objects.count()), (1, 0))


class MoreNotesTests(Base):
    fixtures = ["notes.json"]

    def test_notes_only(self):
        ran(self)
        self.assertEqual((Note.objects.count(), Person.objects.count()), (1, 0))


class PlainTests(TestCase):
    def test_empty(self):
        ran(self)
        self.assertEqual(Person.objects.count(), 0)
