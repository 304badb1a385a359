from crowd.tests import Base, PeopleChecks


class People13Tests(PeopleChecks, Base):
    number = 13
