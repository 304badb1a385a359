"""With p1_module_b and p1_module_c: the last class of a bundle is in a
module whose setUpModule raises SkipTest, so it never runs setUpClass."""

from exact.models import Customer
from exact.tests import CUSTOMERS, Base


class A_FirstTests(Base):
    fixtures = CUSTOMERS

    def test_fixture_rows(self):
        self.assertEqual(Customer.objects.count(), 3)
