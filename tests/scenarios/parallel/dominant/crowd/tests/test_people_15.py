from crowd.tests import Base, PeopleChecks


class People15Tests(PeopleChecks, Base):
    number = 15
