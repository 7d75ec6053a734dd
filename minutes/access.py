"""Loading what a reader asked for, and refusing it as the visibility rule says.

Who may read which minutes is ``Committee.objects.readable_by`` (and the
``readable_by`` querysets built on it); nothing here re-states it. The
committee or meeting is loaded with the rule's answer for this reader
(``readable``) and for anyone (``public``) in the same query.
"""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from meetings.models import Meeting
from members.models import Committee
from members.roles import LoginRequired
from minutes.models import Minutes


def committee_or_404(request, slug: str, *related: str) -> Committee:
    """The committee, knowing whether ``request.user`` (``readable``) and anyone
    (``public``) may read its published minutes."""
    return get_object_or_404(
        Committee.objects.with_access(request.user).select_related(*related), slug=slug
    )


def meeting_or_404(request, slug: str, date) -> Meeting:
    """The meeting, knowing whether ``request.user`` may read its published minutes
    (``minutes_readable``) and agenda (``agenda_readable``), and whether anyone may
    read its committee's published papers (``public``)."""
    user, this = request.user, OuterRef("pk")
    return get_object_or_404(
        Meeting.objects.select_related(
            "committee", "venue", "minutes", "imported_document"
        ).annotate(
            public=Committee.objects.access_of(user, "committee_id")["public"],
            minutes_readable=Exists(Minutes.objects.readable_by(user).filter(meeting=this)),
            agenda_readable=Exists(Meeting.objects.agenda_readable_by(user).filter(pk=this)),
        ),
        committee__slug=slug,
        date=date,
    )


def refuse(request, message: str):
    """Send an anonymous visitor to log in; tell anyone else there is nothing here."""
    if not request.user.is_authenticated:
        raise LoginRequired
    raise Http404(message)


def refuse_unless_readable(request, committee: Committee, what: str) -> None:
    """Let readers of a committee's published papers through; refuse everyone else.

    ``committee`` comes from ``committee_or_404``. A signed-in non-member gets a 404,
    as if there were nothing there.
    """
    if not committee.readable:
        refuse(request, f"No published {what} for this committee.")


def published_minutes_or_refuse(request, meeting: Meeting):
    """The meeting's minutes if published and readable by this user.

    A draft is a 404 for everyone but the secretariat: nobody learns it exists.
    """
    if meeting.minutes_readable:
        return meeting.minutes
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or not minutes.is_published:
        raise Http404("No published minutes for this meeting.")
    refuse(request, "No published minutes for this meeting.")
