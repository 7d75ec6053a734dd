"""Who may read which minutes. Every view, file, feed and search result asks here."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from meetings.models import Meeting
from members.models import Committee
from members.roles import LoginRequired, is_secretariat


def may_read_published(user, committee: Committee) -> bool:
    """Published minutes of ``committee``: public ones for all, others for members."""
    if committee.is_public or is_secretariat(user):
        return True
    if not user.is_authenticated:
        return False
    return Committee.objects.readable_by(user).filter(pk=committee.pk).exists()


def meeting_or_404(slug: str, date) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("committee", "venue", "minutes", "imported_document"),
        committee__slug=slug,
        date=date,
    )


def refuse_unless_readable(request, committee: Committee, what: str) -> None:
    """Let readers of ``committee``'s published papers through; refuse everyone else.

    An anonymous visitor to a members-only committee is sent to log in; a
    signed-in non-member gets a 404, as if there were nothing there.
    """
    if may_read_published(request.user, committee):
        return
    if not request.user.is_authenticated:
        raise LoginRequired
    raise Http404(f"No published {what} for this meeting.")


def published_minutes_or_refuse(request, meeting: Meeting):
    """The meeting's minutes if published and readable by this user.

    A draft is a 404 for everyone but the secretariat: nobody learns it exists.
    """
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or not minutes.is_published:
        raise Http404("No published minutes for this meeting.")
    refuse_unless_readable(request, meeting.committee, "minutes")
    return minutes
