from crowd.tests import Base, PeopleChecks


class People06Tests(PeopleChecks, Base):
    number = 6
