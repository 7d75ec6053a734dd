"""Pages kept for each signed-in reader until anything in the record changes.

A members' or workspace page is the same bytes each time the same session asks for it, as long
as nothing in the database has changed: rendering it again costs ten times what the session
and the user cost. So ``kept_per_reader`` keeps the page this session was last given, and gives
it again while two things hold:

- **Nothing has changed.** Every write to the app's tables, through any of Django's connections
  (the ORM, bulk updates, raw SQL), gives the one-row ``RecordChange`` a new random mark once its
  transaction commits. Pages are kept under the mark read before the view ran, so a page kept
  while a change was being committed is never served after it. The mark lives in the database,
  so a change made by any process (a worker, another web server) reaches every process.
- **It is this reader's own page.** The key holds the session, the user, the CSRF cookie (the
  page's forms carry a token for it), the path with its query, the headers htmx varies on, and
  today's date (overdue actions, upcoming meetings). Anonymous visitors, pending messages,
  responses that set cookies or rendered messages, and anything but a 200 HTML page are never
  kept.

What is kept is only ever served to the session it was made for, so it cannot show one reader
what another may read; and being signed in is checked on every request, so logging out, a
password change or a deactivated login take effect at once. Whether the reader may see the page
was decided when it was made, and everything that decides it (logins, groups and permissions,
memberships, a committee's visibility, the minutes' state) is in the record: a change to any
of it retires the page, so the decision is made again. That is why ``kept_per_reader`` goes
above a view's permission decorators. A write outside Django (psql)
reaches kept pages after ``PAGE_CACHE_SECONDS``, the most any page is kept; so does a change
whose new mark could not be written (the database too busy just after the change committed),
which is logged.
"""

import functools
import hashlib
import logging
import re
import secrets
import zlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import DatabaseError, connections, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"

# Writes here change no page: sessions are part of the key; the upkeep loop's claims and the
# mark itself change nothing a reader sees.
IGNORED_TABLES = frozenset({"django_session", "upkeep_chore", "config_recordchange"})

_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|TRUNCATE)"
    r"""\s+(?:TABLE\s+)?["`]?(\w+)""",
    re.IGNORECASE,
)

_MAY_MATCH_NOTHING = re.compile(r"\s*(?:UPDATE|DELETE)\b(?!.*\bRETURNING\b)", re.I | re.S)

# The request headers a kept page may vary on, besides the session and CSRF cookies.
_VARIES_ON = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Trigger-Name", "Accept")
_VARY_KNOWN = {"cookie", "accept-encoding", *(name.lower() for name in _VARIES_ON)}


# --- Noting changes -------------------------------------------------------------------------


def note_writes_on(sender, connection, **kwargs) -> None:
    """Make ``connection`` note its writes (``connection_created`` calls this)."""
    if _note_write not in connection.execute_wrappers:
        connection.execute_wrappers.append(_note_write)


def _note_write(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not isinstance(sql, str):
        changed(context["connection"])  # composed SQL: assume it wrote
    elif _is_change(sql, many, context["cursor"]):
        changed(context["connection"])
    return result


def _is_change(sql: str, many: bool, cursor) -> bool:
    match = _WRITE.match(sql)
    if not match or match[1].lower() in IGNORED_TABLES:
        return False
    # An UPDATE or DELETE that matched no row changed nothing (the upkeep loop's passes over
    # an archive with nothing to do). Other counts are not to be trusted: one with RETURNING
    # is counted only as its rows are read.
    return many or not _MAY_MATCH_NOTHING.match(sql) or cursor.rowcount != 0


def changed(connection) -> None:
    """Something in the record changed on ``connection``: new mark once it is committed."""
    if not connection.in_atomic_block:
        _new_mark(connection)  # autocommit: the write is committed already
    elif getattr(connection.atomic_blocks[0], "_from_testcase", False):
        # Inside a test's transaction, which is rolled back rather than committed: its own
        # requests see the change at once, so the mark they read changes at once too.
        connection.__dict__["_changes_in_test"] = connection.__dict__.get("_changes_in_test", 0) + 1
    else:
        callback = connection.__dict__.setdefault(
            "_new_mark_on_commit", functools.partial(_new_mark, connection)
        )
        if not any(entry[1] is callback for entry in connection.run_on_commit):
            transaction.on_commit(callback, using=connection.alias, robust=True)


def _mark_table(connection) -> str | None:
    """The mark's table, quoted for SQL; None while the first migrations have yet to make it."""
    from config.models import RecordChange

    name = RecordChange._meta.db_table
    if not connection.__dict__.get("_has_mark_table"):
        connection.__dict__["_has_mark_table"] = name in connection.introspection.table_names()
    return connection.ops.quote_name(name) if connection.__dict__["_has_mark_table"] else None


def _new_mark(connection) -> None:
    if (table := _mark_table(connection)) is None:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (id, mark) VALUES (1, %s) "  # noqa: S608 (the model's table)
                "ON CONFLICT (id) DO UPDATE SET mark = excluded.mark",
                [secrets.token_hex(16)],
            )
    except DatabaseError:
        logger.warning(
            "A change was saved but kept pages could not be told of it; they are served "
            "for at most %s s more.",
            settings.PAGE_CACHE_SECONDS,
            exc_info=True,
        )


def current_mark(alias: str = "default") -> str | None:
    """The record's mark now, or None before anything was ever written."""
    connection = connections[alias]
    if (table := _mark_table(connection)) is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT mark FROM {table} WHERE id = 1")  # noqa: S608 (the model's table)
        row = cursor.fetchone()
    mark = row[0] if row else None
    if changes := connection.__dict__.get("_changes_in_test"):
        return f"{mark}+{changes}"
    return mark


# --- Keeping pages --------------------------------------------------------------------------


def kept_per_reader(view):
    """Serve a signed-in session the page it was last given, until the record changes."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _key(request)
        if key is None:
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        if (kept := cache.get(key)) is not None:
            status, headers, packed = kept
            return HttpResponse(zlib.decompress(packed), status=status, headers=headers)
        response = view(request, *args, **kwargs)
        if _may_keep(request, response):
            headers = dict(response.items())
            # Compressed: HTML shrinks five to ten times, for well under a millisecond.
            packed = zlib.compress(response.content, 1)
            cache.set(key, (response.status_code, headers, packed))
        return response

    return wrapper


def _key(request) -> str | None:
    if not settings.PAGE_CACHE_SECONDS or request.method != "GET":
        return None
    if not request.user.is_authenticated or not request.session.session_key:
        return None
    if len(messages.get_messages(request)):
        return None  # shown once, on a page made now
    mark = current_mark()
    if mark is None:
        return None
    parts = [
        mark,
        request.session.session_key,
        str(request.user.pk),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        timezone.localdate().isoformat(),
        request.get_full_path(),
        *(request.headers.get(name, "") for name in _VARIES_ON),
    ]
    return "page:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _may_keep(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if len(response.content) > settings.PAGE_CACHE_MAX_BYTES:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage.used or storage._queued_messages):
        return False  # it shows, or leaves behind, a message meant for once
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and (
        settings.CSRF_COOKIE_NAME not in request.COOKIES
    ):
        return False  # its forms' token is for a cookie the browser does not have yet
    varies = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
    return varies <= _VARY_KNOWN
