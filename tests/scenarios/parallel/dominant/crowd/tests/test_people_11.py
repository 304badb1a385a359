from crowd.tests import Base, PeopleChecks


class People11Tests(PeopleChecks, Base):
    number = 11
