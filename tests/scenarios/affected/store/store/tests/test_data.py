from pathlib import Path

from django.test import SimpleTestCase

RATES = Path(__file__).resolve().parent.parent / "data" / "rates.csv"


class RatesFileTests(SimpleTestCase):
    def test_the_standard_rate_is_twenty(self):
        rows = dict(line.split(",") for line in RATES.read_text().splitlines()[1:])
        self.assertEqual(rows["standard"], "20")
