from django.conf import settings
from django.shortcuts import get_object_or_404, render

from store.models import Product


def product_detail(request, pk):
    product = get_object_or_404(Product, pk=pk)
    price = f"{product.price_with_tax():.2f}"
    return render(request, "store/product.html",
                  {"product": product, "price": price, "currency": settings.STORE_CURRENCY})


def product_list(request):
    return render(request, "store/list.html", {"products": Product.objects.order_by("pk")})
