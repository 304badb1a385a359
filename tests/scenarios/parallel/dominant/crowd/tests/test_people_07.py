from crowd.tests import Base, PeopleChecks


class People07Tests(PeopleChecks, Base):
    number = 7
