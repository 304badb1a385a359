"""URL configuration of the demo project."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("catalog/", include("catalog.urls")),
    path("orders/", include("orders.urls")),
    path("audit/", include("audit.urls")),
]
