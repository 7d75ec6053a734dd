import datetime

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from meetings.tests.conftest import addresses, h1_count
from meetings.tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

JULY_19, JULY_12 = datetime.date(2010, 7, 19), datetime.date(2010, 7, 12)


def url(meeting):
    return reverse("meetings:meeting_move", args=[meeting.pk])


@pytest.fixture
def july(scheduled):
    return scheduled(JULY_19)


def test_the_form_starts_from_the_meetings_date_time_and_venue(client_for, secretary, july):
    response = client_for(secretary).get(url(july))
    assert response.status_code == 200
    assert h1_count(response) == 1
    form = response.context["form"]
    assert (form["date"].value(), form["start_time"].value(), form["venue"].value()) == (
        JULY_19,
        datetime.time(10, 30),
        july.venue_id,
    )


def test_moving_says_where_the_meeting_moved_from_and_emails_current_members(
    client_for, secretary, july, emailable_members, mailoutbox, run_tasks
):
    response = client_for(secretary).post(
        url(july),
        {
            "date": "2010-07-12",
            "start_time": "10:30",
            "venue": july.venue_id,
            "reason": "The 19th clashes with the LCIOC conference.",
        },
    )
    run_tasks()
    assert response.status_code == 302
    july.refresh_from_db()
    assert july.date == JULY_12
    assert july.status == Meeting.Status.SCHEDULED
    assert july.notice == (
        "Moved from Monday 19 July 2010: The 19th clashes with the LCIOC conference."
    )
    assert addresses(mailoutbox) == emailable_members
    message = mailoutbox[0]
    assert message.subject == (
        "Moved: Socitm Futures meeting of Monday 19 July 2010 is now on Monday 12 July 2010"
    )
    assert "It will now be held on Monday 12 July 2010 at 10:30" in message.body
    assert "The 19th clashes with the LCIOC conference." in message.alternatives[0][0]


def test_a_new_venue_on_the_same_day_is_a_move_too(client_for, secretary, july):
    elsewhere = VenueFactory(name="Birmingham City Council")
    client_for(secretary).post(
        url(july),
        {
            "date": "2010-07-19",
            "start_time": "10:30",
            "venue": elsewhere.pk,
            "reason": "Building work.",
        },
    )
    july.refresh_from_db()
    assert july.venue == elsewhere
    assert july.notice == "Time or venue changed: Building work."


def test_a_move_that_changes_nothing_is_refused(client_for, secretary, july, mailoutbox):
    response = client_for(secretary).post(
        url(july),
        {"date": "2010-07-19", "start_time": "10:30", "venue": july.venue_id, "reason": "No."},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Change the date, the time or the venue to move the meeting."
    ]
    july.refresh_from_db()
    assert july.notice == ""


def test_moving_onto_another_meetings_date_is_refused_at_the_date(
    client_for, secretary, committee, july, mailoutbox, run_tasks
):
    MeetingFactory(committee=committee, date=JULY_12)
    response = client_for(secretary).post(
        url(july), {"date": "2010-07-12", "reason": "Conference."}
    )
    run_tasks()
    assert response.context["form"].errors["date"] == [
        "Socitm Futures already has a meeting on Monday 12 July 2010."
    ]
    assert "Conference.</textarea>" in response.content.decode()
    july.refresh_from_db()
    assert july.date == JULY_19
    assert mailoutbox == []


def test_moving_a_meeting_past_the_next_one_relinks_both_agendas(client_for, secretary, scheduled):
    may, july, september = (
        scheduled(datetime.date(2010, 5, 17)),
        scheduled(JULY_19),
        scheduled(datetime.date(2010, 9, 20)),
    )
    client_for(secretary).post(url(july), {"date": "2010-10-04", "reason": "Summer holidays."})

    def last_meeting(meeting):
        return meeting.agenda_items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES).previous_meeting

    assert last_meeting(september) == may
    assert last_meeting(july) == september


def test_a_cancelled_meeting_cannot_be_moved(client_for, secretary, july):
    july.status = Meeting.Status.CANCELLED
    july.save()
    response = client_for(secretary).get(url(july))
    assert response.status_code == 302
    assert response.url == reverse("meetings:meeting_workspace", args=[july.pk])


def test_moving_refuses_put(client_for, secretary, july):
    assert client_for(secretary).put(url(july)).status_code == 405
