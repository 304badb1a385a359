from django.http import JsonResponse
from django.urls import path

from shelf.models import Book


def book_count(request):
    return JsonResponse({"books": Book.objects.count()})


urlpatterns = [path("books/", book_count)]
