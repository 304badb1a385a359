from crowd.tests import Base, PeopleChecks


class People09Tests(PeopleChecks, Base):
    number = 9
