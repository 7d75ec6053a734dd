"""Serving a public committee's published minutes to anonymous readers cheaply.

Published minutes of a public committee look the same to every anonymous
reader. Whether a meeting's minutes are public right now, and which version
is current, is asked of the database in one small query and the answer is
trusted for at most ``PUBLIC_RECHECK_SECONDS`` (one second by default); the
rendered page, or the stored file's details, for that version is kept in this
process's memory. A busy public page therefore costs a cache lookup instead of
queries and template rendering, and making a committee members-only or
publishing a correction takes effect within that second. Nothing else is kept
this way: not drafts, not members-only committees, not signed-in users, not
anyone with a session.
"""

import datetime
import functools

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, connections
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from minutes.downloads import PUBLIC_MAX_AGE, pdf_file_response, stored_pdf_details
from minutes.models import Minutes, MinutesVersion

_KEPT_HEADERS = ("Content-Type", "Vary")


def is_anonymous_reader(request) -> bool:
    """No session and no pending messages: the page can be anyone's.

    Logins live in the session, so a request without a session cookie is
    anonymous; this needs neither the session nor the user to be loaded.
    """
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


# Stand-ins for the slug and date in the compiled query; replaced on every run.
_SLUG, _DATE = "\x00slug", datetime.date(1, 1, 1)


@functools.cache
def _public_version_sql(alias: str) -> tuple[str, list, int, int]:
    """The query behind ``public_version``, compiled once from the models' own rule.

    Who may read which minutes is ``Minutes.objects.readable_by``; an anonymous
    reader is asked about here. Compiling that queryset costs twenty times as
    much as running it (about 0.5 ms against 25 µs), so it is compiled once,
    and the slug and date are put into its parameters on each run.
    """
    versions = (
        MinutesVersion.objects.filter(
            minutes__in=Minutes.objects.readable_by(AnonymousUser()),
            minutes__meeting__committee__slug=_SLUG,
            minutes__meeting__date=_DATE,
        )
        .order_by("-number")
        .values_list("pk", flat=True)[:1]
    )
    sql, params = versions.query.get_compiler(alias).as_sql()
    params = list(params)
    date = connections[alias].ops.adapt_datefield_value(_DATE)
    return sql, params, params.index(_SLUG), params.index(date)


def public_version(request, slug: str, date) -> int | None:
    """The current version's id, if an anonymous reader may have these minutes now."""
    if not is_anonymous_reader(request):
        return None
    recheck = settings.PUBLIC_RECHECK_SECONDS
    key = f"minutes:public-version:{slug}:{date}"
    if recheck and (known := cache.get(key)) is not None:
        return known or None  # 0 stands for "not public"
    sql, params, slug_at, date_at = _public_version_sql(connection.alias)
    params = list(params)
    params[slug_at] = slug
    params[date_at] = connection.ops.adapt_datefield_value(date)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    version = row[0] if row else None
    if recheck:
        cache.set(key, version or 0, recheck)
    return version


def _page_key(request, version: int) -> str:
    return f"minutes:public-page:{version}:{request.path}"


def cached_page(request, version: int | None) -> HttpResponse | None:
    if version is None:
        return None
    kept = cache.get(_page_key(request, version))
    if kept is None:
        return None
    content, headers = kept
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


def keep_page(request, response: HttpResponse, version: MinutesVersion) -> HttpResponse:
    """Mark a public page reusable, and keep it here if the reader is anonymous."""
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    if is_anonymous_reader(request) and response.status_code == 200:
        headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
        cache.set(_page_key(request, version.pk), (response.content, headers), PUBLIC_MAX_AGE)
    return response


def _file_key(version: int) -> str:
    return f"minutes:public-file:{version}"


def keep_file(request, version: MinutesVersion, details: dict) -> None:
    if is_anonymous_reader(request):
        cache.set(_file_key(version.pk), details, PUBLIC_MAX_AGE)


@functools.lru_cache(maxsize=1024)
def _minutes_pdf_route(path: str) -> tuple | None:
    """(slug, date) if ``path`` is a ``minutes:pdf`` URL; remembered, as URLs don't move."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name != "minutes:pdf":
        return None
    return match.kwargs["slug"], match.kwargs["date"]


class PublicPdfMiddleware:
    """Serve the current PDF of public minutes to anonymous readers, as cheaply as a static file.

    Placed just after WhiteNoise, it answers ``minutes:pdf`` for requests without
    a session before the session, authentication and message machinery run,
    after the same check the view makes (published, public committee, current
    version). Everything else goes on to the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info.endswith("/minutes.pdf")
            and request.method in ("GET", "HEAD")
            and is_anonymous_reader(request)
        ):
            response = self._serve(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _serve(self, request):
        if (route := _minutes_pdf_route(request.path_info)) is None:
            return None
        version = public_version(request, *route)
        if version is None:
            return None
        details = cache.get(_file_key(version))
        if details is None:
            stored = MinutesVersion.objects.select_related("minutes__meeting__committee").get(
                pk=version
            )
            # ``public_version`` found it readable by anyone.
            details = stored_pdf_details(stored, latest=True, public=True)
            keep_file(request, stored, details)
        return pdf_file_response(request, **details)
