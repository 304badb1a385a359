"""Placing orders: stock checks and decrements happen in one transaction,
so a failed order leaves neither an order row nor a stock change behind."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from audit import services as audit_services

from catalog.models import Product
from orders.models import ORDER_NUMBER_DIGITS, ORDER_NUMBER_PREFIX, Customer, Order, OrderLine

FREE_SHIPPING_FROM = Decimal("100.00")
STANDARD_SHIPPING = Decimal("4.90")


class OutOfStock(Exception):
    """A requested quantity exceeds what is in stock."""

    def __init__(self, product, requested):
        super().__init__(f"{product.sku}: {requested} requested, {product.stock} in stock")
        self.product = product
        self.requested = requested


def next_order_number():
    """The number after the highest existing one; numbers are zero-padded
    so that string order is numeric order."""
    last = (
        Order.objects.filter(number__startswith=ORDER_NUMBER_PREFIX)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(ORDER_NUMBER_PREFIX):]) + 1 if last else 1
    return f"{ORDER_NUMBER_PREFIX}{sequence:0{ORDER_NUMBER_DIGITS}d}"


def shipping_cost_for(customer, subtotal):
    """VIPs and orders from ``FREE_SHIPPING_FROM`` on ship free."""
    if customer.is_vip or subtotal >= FREE_SHIPPING_FROM:
        return Decimal("0.00")
    return STANDARD_SHIPPING


@transaction.atomic
def place_order(customer, items, placed_on=None):
    """Create a placed order for ``items``, a list of ``(product, quantity)``.

    Raises ``OutOfStock`` (and writes nothing) if any product lacks stock,
    ``ValueError`` for inactive products or non-positive quantities.
    """
    if not items:
        raise ValueError("an order needs at least one item")
    order = Order.objects.create(
        number=next_order_number(),
        customer=customer,
        status=Order.Status.PLACED,
        placed_on=placed_on or timezone.localdate(),
    )
    subtotal = Decimal("0")
    for product, quantity in items:
        product = Product.objects.select_for_update().get(pk=product.pk)
        if quantity <= 0:
            raise ValueError(f"{product.sku}: quantity must be positive, got {quantity}")
        if not product.is_active:
            raise ValueError(f"{product.sku} is no longer sold")
        if product.stock < quantity:
            raise OutOfStock(product, quantity)
        Product.objects.filter(pk=product.pk).update(stock=F("stock") - quantity)
        OrderLine.objects.create(
            order=order, product=product, quantity=quantity, unit_price=product.price
        )
        subtotal += product.price * quantity
    order.shipping_cost = shipping_cost_for(customer, subtotal)
    order.save(update_fields=["shipping_cost"])
    transaction.on_commit(lambda: _log_placed(order))
    order.refresh_from_db()
    return order


def _log_placed(order):
    """Audit only committed orders: the log lives on another database, so
    it cannot roll back with this transaction."""
    audit_services.record(
        "create", order.customer.email, f"Order {order.number} placed", instance=order
    )


def best_sellers(limit=3):
    """``(sku, units)`` of the products sold most in placed or shipped
    orders, ties broken by SKU."""
    sold = (
        OrderLine.objects.filter(order__status__in=[Order.Status.PLACED, Order.Status.SHIPPED])
        .values("product__sku")
        .annotate(units=Sum("quantity"))
        .order_by("-units", "product__sku")
    )
    return [(row["product__sku"], row["units"]) for row in sold[:limit]]


def top_customers(limit=3):
    """Customers with the most placed or shipped orders, ties broken by email."""
    counted = Q(orders__status__in=[Order.Status.PLACED, Order.Status.SHIPPED])
    return (
        Customer.objects.annotate(order_count=Count("orders", filter=counted))
        .filter(order_count__gt=0)
        .order_by("-order_count", "email")[:limit]
    )
