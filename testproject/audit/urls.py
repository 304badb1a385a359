from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("recent/", views.recent_entries, name="recent"),
]
