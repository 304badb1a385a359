from crowd.tests import Base, PeopleChecks


class People01Tests(PeopleChecks, Base):
    number = 1
