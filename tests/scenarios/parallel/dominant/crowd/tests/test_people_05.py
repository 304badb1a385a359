from crowd.tests import Base, PeopleChecks


class People05Tests(PeopleChecks, Base):
    number = 5
