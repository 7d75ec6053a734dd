from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config import readiness


@never_cache
@require_safe
def healthz(request):
    """Liveness for load balancers and uptime checks: the app answers, nothing more."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    """Readiness: 200 only when the database, the storage and the static files are all usable.

    The body names each and what is wrong with it: {"database": "ok", "static": "manifest …"}.
    """
    found = readiness.problems()
    return JsonResponse(
        {name: problem or "ok" for name, problem in found.items()},
        status=503 if any(found.values()) else 200,
    )
