from crowd.tests import Base, PeopleChecks


class People10Tests(PeopleChecks, Base):
    number = 10
