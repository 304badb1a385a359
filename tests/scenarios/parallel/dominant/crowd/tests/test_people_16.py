from crowd.tests import Base, PeopleChecks


class People16Tests(PeopleChecks, Base):
    number = 16
