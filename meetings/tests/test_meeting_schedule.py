import datetime

import pytest
from django.urls import reverse

from meetings.models import Meeting
from meetings.tests.conftest import STANDARD_AGENDA, h1_count, numbered
from meetings.tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db


def url(committee):
    return reverse("meetings:meeting_schedule", args=[committee.slug])


def test_the_form_offers_the_committees_usual_venue(client_for, secretary, committee, venue):
    response = client_for(secretary).get(url(committee))
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert response.context["form"]["venue"].value() == venue.pk
    assert 'type="date"' in response.content.decode()


def test_secretary_schedules_a_meeting_with_the_standard_agenda(
    client_for, secretary, committee, venue
):
    response = client_for(secretary).post(
        url(committee),
        {"date": "2010-01-18", "start_time": "10:30", "end_time": "12:30", "venue": venue.pk},
    )
    meeting = Meeting.objects.get(committee=committee)
    assert response.status_code == 302
    assert response.url == reverse("meetings:meeting_workspace", args=[meeting.pk])
    assert (meeting.date, meeting.start_time, meeting.end_time, meeting.venue) == (
        datetime.date(2010, 1, 18),
        datetime.time(10, 30),
        datetime.time(12, 30),
        venue,
    )
    assert meeting.status == Meeting.Status.SCHEDULED
    assert numbered(meeting) == STANDARD_AGENDA


def test_a_date_the_committee_already_meets_on_is_refused_at_the_field_keeping_what_was_typed(
    client_for, secretary, committee, venue
):
    MeetingFactory(committee=committee, date=datetime.date(2010, 1, 18))
    response = client_for(secretary).post(
        url(committee), {"date": "2010-01-18", "start_time": "10:30", "venue": venue.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "Socitm Futures already has a meeting on Monday 18 January 2010."
    ]
    html = response.content.decode()
    assert 'value="2010-01-18"' in html
    assert 'value="10:30"' in html
    assert Meeting.objects.filter(committee=committee).count() == 1


def test_another_committees_meeting_on_the_same_day_is_no_clash(
    client_for, secretary, committee, venue
):
    MeetingFactory(date=datetime.date(2010, 1, 18))
    response = client_for(secretary).post(url(committee), {"date": "2010-01-18"})
    assert response.status_code == 302
    assert Meeting.objects.get(committee=committee).date == datetime.date(2010, 1, 18)


def test_a_meeting_that_ends_before_it_starts_is_refused_at_the_end_time(
    client_for, secretary, committee
):
    response = client_for(secretary).post(
        url(committee), {"date": "2010-01-18", "start_time": "12:00", "end_time": "10:00"}
    )
    assert response.context["form"].errors["end_time"] == ["The meeting must end after it starts."]
    assert not Meeting.objects.exists()


def test_a_meeting_can_be_held_somewhere_other_than_the_usual_venue(
    client_for, secretary, committee, venue
):
    elsewhere = VenueFactory(name="Birmingham City Council")
    client_for(secretary).post(url(committee), {"date": "2010-01-18", "venue": elsewhere.pk})
    assert Meeting.objects.get(committee=committee).venue == elsewhere


def test_scheduling_refuses_put(client_for, secretary, committee):
    assert client_for(secretary).put(url(committee)).status_code == 405
