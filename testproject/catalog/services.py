"""Catalogue operations that touch several rows and must be atomic."""

from django.db import transaction
from django.db.models import F, Q

from catalog.models import Category, Product
from catalog.pricing import apply_discount


def search_products(filters, queryset=None):
    """Products matching the cleaned data of a ``ProductFilterForm``."""
    products = (queryset if queryset is not None else Product.objects.all()).select_related(
        "category"
    )
    if filters.get("q"):
        term = filters["q"]
        products = products.filter(Q(name__icontains=term) | Q(sku__icontains=term))
    if filters.get("category"):
        category = Category.objects.get(slug=filters["category"])
        products = products.in_category_tree(category)
    if filters.get("tag"):
        products = products.tagged(filters["tag"])
    if filters.get("min_price") is not None:
        products = products.filter(price__gte=filters["min_price"])
    if filters.get("max_price") is not None:
        products = products.filter(price__lte=filters["max_price"])
    if filters.get("available"):
        products = products.active().in_stock()
    return products.distinct().order_by("sku")


def restock(product, quantity):
    """Add ``quantity`` units; returns the new stock level."""
    if quantity <= 0:
        raise ValueError(f"restock quantity must be positive, got {quantity}")
    Product.objects.filter(pk=product.pk).update(stock=F("stock") + quantity)
    product.refresh_from_db(fields=["stock"])
    return product.stock


@transaction.atomic
def discount_category(category, percent):
    """Discount every active product of a category; all or nothing."""
    products = list(Product.objects.active().filter(category=category).order_by("pk"))
    for product in products:
        product.price = apply_discount(product.price, percent)
        if product.price <= 0:
            raise ValueError(f"discount of {percent}% would make {product.sku} free")
        product.save(update_fields=["price"])
    return len(products)


@transaction.atomic
def retire_category(category):
    """Delete ``category`` after moving its products (and its children's)
    to the "Uncategorized" category. Returns how many products moved."""
    if category.is_uncategorized():
        raise ValueError("the Uncategorized category cannot be retired")
    target = Category.objects.uncategorized()
    moved = Product.objects.in_category_tree(category).update(category=target)
    category.delete()
    return moved
