"""Order views: JSON for the account pages, an HTML sign-up form."""

from decimal import Decimal

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from catalog.pricing import quantize
from orders.forms import CustomerForm
from orders.models import Customer, Order


@require_GET
def order_detail(request, number):
    order = get_object_or_404(Order.objects.select_related("customer"), number=number)
    return JsonResponse(order.as_dict())


@require_GET
def customer_orders(request, pk):
    customer = get_object_or_404(Customer, pk=pk)
    orders = customer.orders.with_line_sum().order_by("number")
    return JsonResponse(
        {
            "customer": customer.full_name(),
            "orders": [
                {
                    "number": order.number,
                    "status": order.status,
                    "subtotal": str(quantize(order.line_sum or Decimal("0"))),
                }
                for order in orders
            ],
        }
    )


def customer_create(request):
    form = CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        customer = form.save()
        return redirect(reverse("orders:customer-orders", args=[customer.pk]))
    return render(request, "orders/customer_form.html", {"form": form})
