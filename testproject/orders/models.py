"""Order models. An order's total is computed from its lines (which keep
the unit price paid, not the product's current price) plus shipping."""

from decimal import Decimal

from django.db import models
from django.db.models import DecimalField, ExpressionWrapper, F, Sum

from catalog.pricing import quantize

ORDER_NUMBER_PREFIX = "ORD-"
ORDER_NUMBER_DIGITS = 5


class Customer(models.Model):
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=50)
    last_name = models.CharField(max_length=50)
    city = models.CharField(max_length=80, blank=True)
    is_vip = models.BooleanField(default=False)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self):
        return self.full_name()

    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def lifetime_value(self):
        """What the customer paid over all orders that were not cancelled."""
        orders = self.orders.exclude(status__in=[Order.Status.CANCELLED, Order.Status.DRAFT])
        return quantize(sum((order.total() for order in orders), Decimal("0")))


class OrderQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Order.Status.DRAFT, Order.Status.PLACED])

    def with_line_sum(self):
        """Annotate ``line_sum`` (``None`` without lines) in SQL, for
        listings of many orders."""
        line_total = ExpressionWrapper(
            F("lines__quantity") * F("lines__unit_price"),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        )
        return self.annotate(line_sum=Sum(line_total))


class Order(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PLACED = "placed", "Placed"
        SHIPPED = "shipped", "Shipped"
        CANCELLED = "cancelled", "Cancelled"

    number = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    placed_on = models.DateField(null=True, blank=True)
    shipping_cost = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return self.number

    def subtotal(self):
        return quantize(sum((line.line_total() for line in self.lines.all()), Decimal("0")))

    def total(self):
        return quantize(self.subtotal() + self.shipping_cost)

    def item_count(self):
        return sum(line.quantity for line in self.lines.all())

    def can_cancel(self):
        return self.status in (self.Status.DRAFT, self.Status.PLACED)

    def cancel(self):
        """Cancel the order and put its units back in stock."""
        from catalog.models import Product

        if not self.can_cancel():
            raise ValueError(f"order {self.number} is {self.status} and cannot be cancelled")
        for line in self.lines.all():
            Product.objects.filter(pk=line.product_id).update(stock=F("stock") + line.quantity)
        self.status = self.Status.CANCELLED
        self.save(update_fields=["status"])

    def as_dict(self):
        lines = self.lines.select_related("product").order_by("pk")
        return {
            "number": self.number,
            "customer": self.customer.email,
            "status": self.status,
            "placed_on": self.placed_on.isoformat() if self.placed_on else None,
            "lines": [line.as_dict() for line in lines],
            "shipping_cost": str(self.shipping_cost),
            "total": str(self.total()),
        }


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="order_lines"
    )
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="one_line_per_product"),
        ]

    def __str__(self):
        return f"{self.order_id}: {self.quantity} x {self.product_id}"

    def line_total(self):
        return quantize(self.unit_price * self.quantity)

    def as_dict(self):
        return {
            "sku": self.product.sku,
            "quantity": self.quantity,
            "unit_price": str(self.unit_price),
            "line_total": str(self.line_total()),
        }
