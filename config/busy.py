"""A write that meets a busy database is refused politely, and nothing typed is lost.

A write waits up to ``DATABASE_LOCK_TIMEOUT`` seconds for a lock another transaction holds:
then SQLite fails with "database is locked", PostgreSQL with lock_not_available. PostgreSQL
also refuses one of two transactions that deadlock or cannot be serialised. Any of these,
wherever it is raised while a request is answered, becomes a 503 with ``Retry-After``, not
a 500:

- a page in the site's own layout that says nothing was saved and, for a post, shows what
  was sent, with a form that sends it again to the same address ("Try again");
- for htmx, a short plain-text message (``static/site/htmx-errors.js`` shows it beside the
  form, whose text htmx leaves in place);
- for the API and anything that asks for JSON, a JSON body like the API's other errors.

A background task that meets a busy database waits and runs again (``retry_when_busy``)
rather than failing with its work undone.

``database_is_busy`` is the one place that says which errors count as busy.
"""

import functools
import logging
import re
import sqlite3
import sys
import time

from django.db import DatabaseError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.debug import SafeExceptionReporterFilter
from django.views.defaults import server_error

logger = logging.getLogger("minutebook.busy")

# Seconds a client is asked to wait before it tries again.
RETRY_AFTER_SECONDS = 5

MESSAGE = "The database was busy, so nothing was saved. Please try again in a moment."
HTMX_MESSAGE = (
    "Not saved: the database was busy. What you typed is still here; try again in a moment."
)

# SQLite's primary result codes (the low byte of the extended code) for "someone else holds
# the lock": SQLITE_BUSY and SQLITE_LOCKED.
_SQLITE_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_SQLITE_BUSY_MESSAGES = ("database is locked", "database is busy", "database table is locked")
# PostgreSQL's SQLSTATEs for the same: lock_not_available (lock_timeout ran out),
# serialization_failure, deadlock_detected. Each leaves nothing written.
_POSTGRES_BUSY_STATES = {"55P03", "40001", "40P01"}

# Seconds a task waits before each new run when the database is busy: half a minute in all.
TASK_BUSY_WAITS = (1, 2, 4, 8, 16)

# A value longer than this, or on more than one line, is shown in a read-only text box.
_LONG_VALUE = 80
# Django's own rule for what an error report hides: such fields are never echoed back.
_SECRET_FIELD = SafeExceptionReporterFilter.hidden_settings


def database_is_busy(error: BaseException | None) -> bool:
    """Whether ``error`` means "another transaction holds the lock": nothing was written,
    and the same request may well succeed in a moment."""
    while error is not None:
        if isinstance(error, sqlite3.OperationalError):
            code = getattr(error, "sqlite_errorcode", None)
            if code is not None and code & 0xFF in _SQLITE_BUSY_CODES:
                return True
            if str(error).startswith(_SQLITE_BUSY_MESSAGES):
                return True
        state = getattr(error, "pgcode", None) or getattr(error, "sqlstate", None)
        if state in _POSTGRES_BUSY_STATES:
            return True
        if isinstance(error, OperationalError) and str(error).startswith(_SQLITE_BUSY_MESSAGES):
            return True
        # Django wraps the driver's error; the driver's is its cause.
        error = error.__cause__
    return False


def _wants_json(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is not None and "api" in match.namespaces:
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _label(name: str) -> str:
    """A form field's name as a person might read it: "minute-12-text" → "Text"."""
    words = re.split(r"[-_]+", name.rsplit("-", 1)[-1])
    return " ".join(words).strip().capitalize() or name


def _sent_fields(request) -> list[dict]:
    """What the post carried, in order, ready to be shown and sent again."""
    fields = []
    for name, values in request.POST.lists():
        if name == "csrfmiddlewaretoken":
            continue  # the page carries a fresh one
        secret = bool(_SECRET_FIELD.search(name))
        for value in [""] if secret else values:
            fields.append(
                {
                    "name": name,
                    "label": _label(name),
                    "value": value,
                    "secret": secret,
                    "long": "\n" in value or len(value) > _LONG_VALUE,
                }
            )
    return fields


def _log(request, error) -> None:
    logger.warning("Database busy: %s %s answered 503 (%s)", request.method, request.path, error)


def busy_response(request):
    """The 503 for a request that met a busy database: JSON, htmx's message, or a page."""
    if _wants_json(request):
        response = JsonResponse({"detail": MESSAGE}, status=503)
    elif request.headers.get("HX-Request") == "true":
        response = HttpResponse(HTMX_MESSAGE, content_type="text/plain; charset=utf-8", status=503)
    else:
        posted = request.method == "POST"
        files = [
            {"name": name, "filename": upload.name}
            for name, uploads in (request.FILES.lists() if posted else [])
            for upload in uploads
        ]
        context = {
            "posted": posted,
            "fields": _sent_fields(request) if posted else [],
            "files": files,
            "again_url": request.get_full_path(),
        }
        response = render(request, "busy.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # It may carry what was typed: kept by no cache, the browser's back-forward one included.
    add_never_cache_headers(response)
    # Logged once, as a warning (_log): not also as an error by django.request, which would
    # mail the admins about a database that was only busy.
    response._has_been_logged = True
    return response


class BusyDatabaseMiddleware:
    """Answers a view that met a busy database with :func:`busy_response`, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_is_busy(exception):
            return None
        _log(request, exception)
        return busy_response(request)


def handler500(request):
    """Django's 500, unless what failed outside a view (saving the session, say) was a
    busy database: then the same polite 503 a view would give."""
    error = sys.exc_info()[1]
    if database_is_busy(error):
        _log(request, error)
        try:
            return busy_response(request)
        except Exception:  # the page itself needed the database: Django's plain 500 then
            logger.exception("The busy page could not be rendered")
    return server_error(request)


def retry_when_busy(function):
    """For a task: a run that meets a busy database waits and runs again, up to
    TASK_BUSY_WAITS, rather than failing and leaving its work undone. The task must be safe
    to run twice, as every task here is."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        for wait in TASK_BUSY_WAITS:
            try:
                return function(*args, **kwargs)
            except DatabaseError as error:
                if not database_is_busy(error):
                    raise
                logger.warning(
                    "Database busy: %s runs again in %s s (%s)", function.__qualname__, wait, error
                )
                time.sleep(wait)
        return function(*args, **kwargs)

    return run
