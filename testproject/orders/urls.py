from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("customers/new/", views.customer_create, name="customer-create"),
    path("customers/<int:pk>/orders/", views.customer_orders, name="customer-orders"),
    path("<str:number>/", views.order_detail, name="order-detail"),
]
