from crowd.tests import Base, PeopleChecks


class People12Tests(PeopleChecks, Base):
    number = 12
