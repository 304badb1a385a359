from crowd.tests import Base, PeopleChecks


class People00Tests(PeopleChecks, Base):
    number = 0
