"""A meeting's date must be one a committee could meet on; feeds survive any stored date."""

import datetime

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from config.tests.admin_pages import admin_url, save_admin_form
from meetings.models import Meeting
from meetings.services import meeting_schedule
from meetings.tests.factories import MeetingFactory
from members.tests.factories import CommitteeFactory
from minutes.tests.factories import ItemMinuteFactory, publish

pytestmark = pytest.mark.django_db

TOO_EARLY = "1899-12-31"
TOO_LATE = "9999-12-31"


def refusal() -> str:
    today = timezone.localdate()
    latest = today.replace(year=today.year + 50)
    return f"Enter a date between 1 January 1900 and {date_format(latest, 'j F Y')}."


@pytest.mark.parametrize("typed", [TOO_EARLY, TOO_LATE, "0201-03-05"])
def test_scheduling_refuses_a_date_out_of_range_at_the_field_keeping_what_was_typed(
    client_for, secretary, committee, venue, typed
):
    response = client_for(secretary).post(
        reverse("meetings:meeting_schedule", args=[committee.slug]),
        {"date": typed, "start_time": "10:30", "venue": venue.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [refusal()]
    assert f'value="{typed}"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_first_and_last_allowed_dates_are_accepted(committee):
    today = timezone.localdate()
    for day in (datetime.date(1900, 1, 1), today.replace(year=today.year + 50)):
        assert meeting_schedule(committee=committee, date=day).date == day


def test_the_service_refuses_a_date_out_of_range_too(committee):
    with pytest.raises(ValidationError) as refused:
        meeting_schedule(committee=committee, date=datetime.date(9999, 12, 31))
    assert refused.value.message_dict == {"date": [refusal()]}


def test_moving_a_meeting_refuses_a_date_out_of_range(client_for, secretary, scheduled):
    soon = scheduled(timezone.localdate() + datetime.timedelta(days=20))
    response = client_for(secretary).post(
        reverse("meetings:meeting_move", args=[soon.pk]),
        {"date": TOO_LATE, "start_time": "10:30", "venue": soon.venue_id, "reason": "Typo"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [refusal()]
    soon.refresh_from_db()
    assert soon.date != datetime.date(9999, 12, 31)


def test_editing_a_meeting_refuses_a_date_out_of_range(client_for, secretary, meeting):
    response = client_for(secretary).post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {"date": TOO_EARLY, "start_time": "10:30", "status": "scheduled"},
    )
    assert response.context["form"].errors["date"] == [refusal()]


def test_a_series_refuses_a_date_out_of_range_at_that_date(client_for, secretary, committee):
    response = client_for(secretary).post(
        reverse("meetings:meeting_schedule_series", args=[committee.slug]),
        {
            "action": "save",
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-date": "2030-01-21",
            "form-1-date": TOO_LATE,
        },
    )
    assert response.status_code == 200
    assert response.context["dates"].forms[1].errors["date"] == [refusal()]
    assert not Meeting.objects.exists()


def test_the_admin_refuses_a_date_out_of_range(client_for, secretary, committee):
    response = save_admin_form(
        client_for(secretary),
        admin_url(Meeting, "add"),
        committee=committee.pk,
        date=TOO_LATE,
        status=Meeting.Status.SCHEDULED,
    )
    assert response.status_code == 200
    assert refusal() in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_calendar_feed_survives_the_last_date_there_is(client, committee):
    soon = timezone.localdate() + datetime.timedelta(days=7)
    MeetingFactory(committee=committee, date=soon, status=Meeting.Status.SCHEDULED)
    # Stored before the range was enforced, or straight into the database.
    MeetingFactory(committee=committee, date=datetime.date(9999, 12, 31))
    MeetingFactory(
        committee=committee,
        date=datetime.date(9999, 12, 30),
        start_time=datetime.time(23, 0),
        status=Meeting.Status.SCHEDULED,
    )
    response = client.get(reverse("meetings:calendar", kwargs={"slug": committee.slug}))
    assert response.status_code == 200
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert soon in [event.decoded("dtstart") for event in events]


def test_the_minutes_feed_survives_extreme_dates(client, secretary):
    committee = CommitteeFactory(slug="scrutiny", minutes_visibility="public")
    for year, month in ((2010, 1), (2010, 3), (2010, 5)):
        minutes = ItemMinuteFactory(
            minutes__meeting__committee=committee,
            minutes__meeting__date=datetime.date(year, month, 15),
        ).minutes
        publish(minutes, by=secretary)
    # Dates stored before the range was enforced, or straight into the database.
    Meeting.objects.filter(date=datetime.date(2010, 1, 15)).update(date=datetime.date(1, 1, 1))
    Meeting.objects.filter(date=datetime.date(2010, 5, 15)).update(date=datetime.date(9999, 12, 31))
    response = client.get(reverse("minutes:feed", kwargs={"slug": "scrutiny"}))
    assert response.status_code == 200
    assert "Minutes of 15/03/2010" in response.text
