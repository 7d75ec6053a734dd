from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """Liveness for load balancers and uptime checks: the app answers, nothing more."""
    return HttpResponse("ok", content_type="text/plain")
