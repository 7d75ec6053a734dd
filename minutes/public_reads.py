"""Serving a public committee's published minutes to anonymous readers cheaply.

Published minutes of a public committee look the same to every anonymous
reader, and their responses already tell browsers and shared caches that they
may be reused for ``PUBLIC_MAX_AGE`` seconds. This process keeps them for the
same time, so a busy public page costs a cache lookup instead of queries and
template rendering. Nothing else is kept this way: not drafts, not
members-only committees, not signed-in users, not anyone with a session.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

PUBLIC_MAX_AGE = 60
_KEPT_HEADERS = ("Content-Type", "Vary")


def is_anonymous_reader(request) -> bool:
    """No session and no pending messages: the page can be anyone's."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.user.is_authenticated
    )


def _key(kind: str, request) -> str:
    return f"minutes:public:{kind}:{request.path}"


def cached_page(request) -> HttpResponse | None:
    if not is_anonymous_reader(request):
        return None
    kept = cache.get(_key("page", request))
    if kept is None:
        return None
    content, headers = kept
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def keep_page(request, response: HttpResponse) -> HttpResponse:
    """Mark a public page reusable, and keep it here if the reader is anonymous."""
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    if is_anonymous_reader(request) and response.status_code == 200:
        headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
        cache.set(_key("page", request), (response.content, headers), PUBLIC_MAX_AGE)
    return response


def cached_file(request) -> dict | None:
    """What a public PDF download needs, without the database: see ``keep_file``."""
    if not is_anonymous_reader(request):
        return None
    return cache.get(_key("file", request))


def keep_file(request, details: dict) -> None:
    if is_anonymous_reader(request):
        cache.set(_key("file", request), details, PUBLIC_MAX_AGE)
