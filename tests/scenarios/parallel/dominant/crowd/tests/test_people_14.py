from crowd.tests import Base, PeopleChecks


class People14Tests(PeopleChecks, Base):
    number = 14
