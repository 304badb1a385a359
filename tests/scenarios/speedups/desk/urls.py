from django.http import HttpResponse
from django.urls import path


def whoami(request):
    return HttpResponse(request.user.get_username())


urlpatterns = [path("whoami/", whoami)]
