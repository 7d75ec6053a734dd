"""The committee's meetings as an iCalendar feed."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from meetings.tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db


def events(client, committee):
    response = client.get(reverse("meetings:calendar", kwargs={"slug": committee.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return {
        str(event["summary"]) + " " + event.decoded("dtstart").isoformat(): event
        for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }


def test_anyone_can_subscribe_to_a_committees_meetings_in_london_time(client, committee):
    day = timezone.localdate() + datetime.timedelta(days=30)
    venue = VenueFactory(name="Siemens", building="Hillgate House", address="26 Old Bailey")
    MeetingFactory(
        committee=committee,
        date=day,
        start_time=datetime.time(10, 30),
        venue=venue,
        status=Meeting.Status.SCHEDULED,
    )
    (event,) = events(client, committee).values()
    start = event.decoded("dtstart")
    assert (start.date(), start.hour, start.minute) == (day, 10, 30)
    assert str(start.tzinfo) == "Europe/London"
    assert event.decoded("dtend") - start == datetime.timedelta(hours=2)
    assert str(event["location"]) == "Siemens, Hillgate House, 26 Old Bailey"
    assert str(event["status"]) == "CONFIRMED"


def test_a_cancelled_meeting_is_marked_cancelled_with_its_notice(client, committee):
    day = timezone.localdate() + datetime.timedelta(days=10)
    MeetingFactory(
        committee=committee, date=day, status=Meeting.Status.CANCELLED, notice="Room unavailable"
    )
    (event,) = events(client, committee).values()
    assert str(event["status"]) == "CANCELLED"
    assert str(event["description"]) == "Room unavailable"
    assert event.decoded("dtstart") == day


def test_only_this_committees_recent_and_future_meetings_are_listed(client, committee):
    today = timezone.localdate()
    MeetingFactory(committee=committee, date=today + datetime.timedelta(days=7))
    MeetingFactory(committee=committee, date=today - datetime.timedelta(days=3000))
    MeetingFactory(date=today + datetime.timedelta(days=7))
    assert len(events(client, committee)) == 1


def test_the_calendar_of_an_unknown_committee_is_not_found(client):
    assert client.get(reverse("meetings:calendar", kwargs={"slug": "nope"})).status_code == 404
