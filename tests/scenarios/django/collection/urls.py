import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path


def forbidden(request):
    raise PermissionDenied("scenario-log: members only")


def missing(request):
    raise Http404("scenario-log: no such shelf")


def audited(request):
    # library.audit has a handler (settings.LOGGING); library.stock has none,
    # so its warning reaches Python's last-resort handler, as under Django.
    logging.getLogger("library.audit").info("scenario-log: audited %s", request.path)
    logging.getLogger("library.stock").warning("scenario-log: stock is low")
    logging.getLogger("library.stock").info("scenario-log: info nobody prints")
    return HttpResponse("ok")


urlpatterns = [
    path("scenario-log/forbidden/", forbidden),
    path("scenario-log/missing/", missing),
    path("scenario-log/audited/", audited),
]
