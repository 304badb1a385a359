"""Catalogue models. ``Category`` rows form a shallow tree; every product
belongs to exactly one category, and the data migration ``0002`` guarantees
an "Uncategorized" one that retired categories hand their products to."""

from decimal import Decimal

from django.db import models

from catalog.pricing import apply_tax

UNCATEGORIZED_SLUG = "uncategorized"


class CategoryQuerySet(models.QuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)

    def uncategorized(self):
        """The category that the data migration creates; never deleted."""
        return self.get(slug=UNCATEGORIZED_SLUG)


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    description = models.TextField(blank=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def full_path(self):
        """Names from the root down, e.g. ``"Books / Fiction"``."""
        names = []
        node = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " / ".join(reversed(names))

    def is_uncategorized(self):
        return self.slug == UNCATEGORIZED_SLUG


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProductQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_stock(self):
        return self.filter(stock__gt=0)

    def in_category_tree(self, category):
        """Products of ``category`` and of its direct children."""
        return self.filter(
            models.Q(category=category) | models.Q(category__parent=category)
        )

    def tagged(self, slug):
        return self.filter(tags__slug=slug)


class Product(models.Model):
    sku = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    released_on = models.DateField(null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="products")

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["sku"]

    def __str__(self):
        return f"{self.sku} {self.name}"

    def is_available(self):
        """Whether a customer can order it right now."""
        return self.is_active and self.stock > 0

    def price_with_tax(self, rate=Decimal("0.20")):
        return apply_tax(self.price, rate)

    def tag_slugs(self):
        return sorted(self.tags.values_list("slug", flat=True))

    def as_dict(self):
        """The JSON shape the catalogue views return."""
        return {
            "sku": self.sku,
            "name": self.name,
            "category": self.category.slug,
            "price": str(self.price),
            "stock": self.stock,
            "available": self.is_available(),
            "tags": self.tag_slugs(),
        }
