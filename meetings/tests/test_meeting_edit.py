import datetime

import pytest
from django.urls import reverse

from meetings.models import Meeting
from meetings.tests.conftest import h1_count
from meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def url(meeting):
    return reverse("meetings:meeting_edit", args=[meeting.pk])


def test_the_form_shows_the_meetings_details(client_for, secretary, meeting):
    response = client_for(secretary).get(url(meeting))
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert response.context["form"]["date"].value() == datetime.date(2010, 1, 18)


def test_secretary_corrects_the_time_and_marks_the_meeting_held_without_telling_anyone(
    client_for,
    secretary,
    meeting,
    emailable_members,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(
            url(meeting),
            {
                "date": "2010-01-18",
                "start_time": "10:00",
                "end_time": "12:30",
                "venue": meeting.venue_id,
                "status": "held",
            },
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.start_time, meeting.end_time, meeting.status) == (
        datetime.time(10, 0),
        datetime.time(12, 30),
        Meeting.Status.HELD,
    )
    assert mailoutbox == []


def test_a_meeting_date_is_unique_per_committee_with_a_clear_error_at_the_date(
    client_for, secretary, committee, meeting
):
    MeetingFactory(committee=committee, date=datetime.date(2010, 3, 15))
    response = client_for(secretary).post(
        url(meeting), {"date": "2010-03-15", "status": "scheduled"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "date": ["Socitm Futures already has a meeting on Monday 15 March 2010."]
    }
    html = response.content.decode()
    assert 'id="id_date_error"' in html
    assert 'value="2010-03-15"' in html
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2010, 1, 18)


def test_editing_refuses_put(client_for, secretary, meeting):
    assert client_for(secretary).put(url(meeting)).status_code == 405
