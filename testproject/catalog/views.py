"""JSON views for the storefront's JavaScript and one HTML category page."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from catalog.forms import ProductFilterForm
from catalog.models import Category, Product
from catalog.services import search_products


@require_GET
def product_list(request):
    form = ProductFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    if form.cleaned_data["category"] and not Category.objects.filter(
        slug=form.cleaned_data["category"]
    ).exists():
        return JsonResponse({"errors": {"category": ["Unknown category."]}}, status=400)
    products = search_products(form.cleaned_data).prefetch_related("tags")
    return JsonResponse({"count": len(products), "results": [p.as_dict() for p in products]})


@require_GET
def product_detail(request, sku):
    product = get_object_or_404(Product.objects.select_related("category"), sku=sku)
    return JsonResponse(product.as_dict())


@require_GET
def category_page(request, slug):
    category = get_object_or_404(Category, slug=slug)
    products = Product.objects.active().filter(category=category).order_by("name", "sku")
    return render(
        request,
        "catalog/category.html",
        {"category": category, "products": products, "children": category.children.all()},
    )
