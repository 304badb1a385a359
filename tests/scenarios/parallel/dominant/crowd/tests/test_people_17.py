from crowd.tests import Base, PeopleChecks


class People17Tests(PeopleChecks, Base):
    number = 17
