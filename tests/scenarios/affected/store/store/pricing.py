from decimal import Decimal

from store.constants import TAX_PERCENT


def with_tax(amount):
    return Decimal(amount) * (100 + TAX_PERCENT) / 100
