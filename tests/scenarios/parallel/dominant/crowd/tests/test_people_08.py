from crowd.tests import Base, PeopleChecks


class People08Tests(PeopleChecks, Base):
    number = 8
