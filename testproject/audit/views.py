"""A JSON feed of the newest audit entries, read from the archive."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from audit.models import AuditEntry

DEFAULT_LIMIT = 5
MAX_LIMIT = 50


@require_GET
def recent_entries(request):
    try:
        limit = int(request.GET.get("limit", DEFAULT_LIMIT))
    except ValueError:
        return JsonResponse({"errors": {"limit": ["Must be an integer."]}}, status=400)
    limit = max(1, min(limit, MAX_LIMIT))
    entries = AuditEntry.objects.newest_first()
    if request.GET.get("actor"):
        entries = entries.by_actor(request.GET["actor"])
    return JsonResponse({"results": [entry.summary() for entry in entries[:limit]]})
