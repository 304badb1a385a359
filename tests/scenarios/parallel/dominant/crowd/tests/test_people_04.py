from crowd.models import Person
from crowd.tests import Base, PeopleChecks


class People04Tests(PeopleChecks, Base):
    number = 4

    def test_fails_in_class_4(self):
        self.assertEqual(Person.objects.count(), 5)
