"""Money arithmetic shared by the catalogue and the orders. Pure Python on
purpose: it is tested with a plain ``unittest.TestCase``."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quantize(amount):
    """Round to cents the way invoices do (half up, not banker's)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def apply_tax(amount, rate):
    if rate < 0:
        raise ValueError(f"tax rate must not be negative, got {rate}")
    return quantize(Decimal(amount) * (1 + Decimal(rate)))


def apply_discount(amount, percent):
    """``amount`` less ``percent`` per cent; 0-100 inclusive."""
    percent = Decimal(percent)
    if not 0 <= percent <= 100:
        raise ValueError(f"discount must be between 0 and 100 per cent, got {percent}")
    return quantize(Decimal(amount) * (100 - percent) / 100)


def split_evenly(amount, parts):
    """Split ``amount`` into ``parts`` cent amounts that add up exactly;
    the first shares absorb the leftover cents."""
    if parts < 1:
        raise ValueError(f"parts must be at least 1, got {parts}")
    cents = int(quantize(amount) / CENT)
    share, leftover = divmod(cents, parts)
    return [(share + (1 if index < leftover else 0)) * CENT for index in range(parts)]


def format_price(amount, currency="EUR"):
    return f"{quantize(amount):,} {currency}"
