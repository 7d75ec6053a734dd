"""A committee's meetings as an iCalendar feed, so members can subscribe in their calendar app.

Meeting dates and venues are public on the committee's page, so the feed is too.
Moved meetings update in place (same UID); cancelled ones stay, marked cancelled,
so calendars remove them rather than keep a stale entry.
"""

import datetime

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from meetings.models import latest_meeting_date
from members.models import Committee

# A meeting with a start but no end time is shown as two hours long.
DEFAULT_LENGTH = datetime.timedelta(hours=2)
# Past meetings kept in the feed, so a calendar does not drop last month's entries.
HISTORY = datetime.timedelta(days=400)


def _event(meeting, committee: Committee, london) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@minutebook")
    event.add("summary", f"{committee.name} meeting")
    event.add("dtstamp", timezone.now())
    if meeting.start_time:
        start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=london)
        end = (
            datetime.datetime.combine(meeting.date, meeting.end_time, tzinfo=london)
            if meeting.end_time
            else start + DEFAULT_LENGTH
        )
        event.add("dtstart", start)
        event.add("dtend", end)
    else:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + datetime.timedelta(days=1))
    if meeting.venue:
        event.add("location", meeting.venue.full_description)
    event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    if meeting.notice:
        event.add("description", meeting.notice)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


@require_safe
def committee_calendar(request, slug):
    committee = get_object_or_404(Committee, slug=slug)
    london = timezone.get_default_timezone()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Minutebook//Committee meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{committee.name} meetings")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    since = timezone.localdate() - HISTORY
    # A date beyond those a meeting can be given (stored before the rule, or by hand)
    # is left out: it is no real meeting, and its end would overflow the calendar.
    meetings = (
        committee.meetings.filter(date__range=(since, latest_meeting_date()))
        .select_related("venue")
        .order_by("date")
    )
    for meeting in meetings:
        meeting.committee = committee
        calendar.add_component(_event(meeting, committee, london))
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{committee.slug}-meetings.ics"'
    return response
