"""New rows' primary keys, logged: Customer is in the fixtures (loaddata
resets its sequence), Note is not (nothing resets it)."""

from exact.models import Customer, Note
from exact.tests import CUSTOMERS, Base, log


class PkTests(Base):
    fixtures = CUSTOMERS

    @classmethod
    def setUpTestData(cls):
        log(f"{cls.__name__} setUpTestData customer {Customer.objects.create(name='data').pk}")

    def test_a_new_rows(self):
        log(f"{type(self).__name__} customer {Customer.objects.create(name='new').pk}")
        log(f"{type(self).__name__} note {Note.objects.create(text='new').pk}")

    def test_b_new_rows_again(self):
        log(f"{type(self).__name__} customer {Customer.objects.create(name='new').pk}")


class A_PkTests(PkTests):
    pass


class B_PkTests(PkTests):
    pass


class C_PkTests(PkTests):
    pass


del PkTests
