from crowd.models import Person
from crowd.tests import KEYS_REWIND, Base, ran


class People06Tests(Base):
    fixtures = ["people.json"]

    @classmethod
    def setUpTestData(cls):
        cls.made = Person.objects.create(name="made in 6")

    def test_fixture_rows_and_own_row(self):
        ran(self)
        self.assertEqual(Person.objects.count(), 4)
        if KEYS_REWIND:
            self.assertEqual(self.made.pk, 8)

    def test_new_row_gets_the_next_key(self):
        ran(self)
        made = Person.objects.create(name="new")
        if KEYS_REWIND:
            self.assertEqual(made.pk, 9)
