from crowd.tests import Base, PeopleChecks


class People02Tests(PeopleChecks, Base):
    number = 2
