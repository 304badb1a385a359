from crowd.tests import Base, PeopleChecks


class People03Tests(PeopleChecks, Base):
    number = 3
