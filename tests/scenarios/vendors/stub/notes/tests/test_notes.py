from django.test import TestCase

from notes.models import Note


class NoteTests(TestCase):
    def test_a_note_is_saved(self):
        Note.objects.create(text="a")
        self.assertEqual(Note.objects.count(), 1)
