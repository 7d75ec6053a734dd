"""Detours: leave a half-filled form to create what it needs (a venue, a person), then come
back to the form as it was, with the new thing chosen.

The form's "Add a …" button is a submit button (``name="detour"``), so it works without
scripts: the view keeps what was typed in the session and sends the browser to the other
page with ``?next=`` pointing back. That page, once it has saved, returns to ``next`` with
``made=<pk>``; its "Back" link returns without.
"""

import secrets
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "detours"
KEEP = 10  # a few forms left open in other tabs; older ones are forgotten
NOT_KEPT = {"csrfmiddlewaretoken", "detour"}


def wants_detour(request) -> str | None:
    """Which detour a POST asks for ("venue"), if any."""
    return request.POST.get("detour") or None if request.method == "POST" else None


def detour(request, *, to: str, field: str):
    """Keep what was typed, go to ``to``; what it makes comes back as ``field``."""
    key = secrets.token_urlsafe(8)
    kept = {name: request.POST.getlist(name) for name in request.POST if name not in NOT_KEPT}
    detours = request.session.get(SESSION_KEY, {})
    detours[key] = {"path": request.path, "field": field, "data": kept}
    request.session[SESSION_KEY] = dict(list(detours.items())[-KEEP:])
    back = f"{request.path}?{urlencode({'resume': key})}"
    return redirect(f"{to}?{urlencode({'next': back})}")


def next_url(request) -> str:
    """Where to return to: a path on this site from ``next`` (query or form), else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


def back_with(url: str, made) -> str:
    """``url`` with what the detour made, for the form waiting there."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'made': made.pk})}"


def resumed(request) -> dict:
    """What was typed before the detour, and what it made, as a form's initial data."""
    key = request.GET.get("resume")
    entry = request.session.get(SESSION_KEY, {}).get(key) if key else None
    if not entry or entry["path"] != request.path:
        return {}
    initial = {
        name: values[0] if len(values) == 1 else values for name, values in entry["data"].items()
    }
    made = request.GET.get("made", "")
    if made.isdigit():
        initial[entry["field"]] = made
    return initial
