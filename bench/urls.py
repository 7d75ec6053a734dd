"""The app's URLs and one more, for the page bench only: a trivial view behind a login.

It is the fair baseline for the pages members and the secretariat use: it pays for the
middleware, the session and the user, as they do, and for nothing else.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from config.urls import urlpatterns as app_urlpatterns


@never_cache
@login_required
def signed_in(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/signed-in", signed_in), *app_urlpatterns]
