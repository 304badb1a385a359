from django.contrib import admin

from orders.models import Customer, Order, OrderLine


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "city", "is_vip"]
    search_fields = ["email", "last_name"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "customer", "status", "placed_on"]
    list_filter = ["status"]
    inlines = [OrderLineInline]
