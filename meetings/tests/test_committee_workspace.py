import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from meetings.tests.conftest import h1_count
from meetings.tests.factories import MeetingFactory
from minutes.tests.factories import MinutesFactory

pytestmark = pytest.mark.django_db


def url(committee):
    return reverse("meetings:committee_workspace", args=[committee.slug])


def test_meetings_are_listed_upcoming_soonest_first_then_past_latest_first(
    client_for, secretary, committee
):
    today = timezone.localdate()
    days = [-60, 30, -10, 90, 0]
    for offset in days:
        MeetingFactory(committee=committee, date=today + datetime.timedelta(days=offset))
    MeetingFactory(date=today)  # another committee's

    response = client_for(secretary).get(url(committee))

    assert response.status_code == 200
    assert h1_count(response) == 1
    assert [m.date - today for m in response.context["upcoming"]] == [
        datetime.timedelta(days=d) for d in (0, 30, 90)
    ]
    assert [m.date - today for m in response.context["past"]] == [
        datetime.timedelta(days=d) for d in (-10, -60)
    ]
    html = response.content.decode()
    assert html.index("Upcoming meetings") < html.index("Past meetings")


def test_each_meeting_shows_its_status_notice_agenda_and_minutes(client_for, secretary, committee):
    today = timezone.localdate()
    MeetingFactory(
        committee=committee,
        date=today + datetime.timedelta(days=7),
        status=Meeting.Status.CANCELLED,
        notice="Too few could attend.",
    )
    MinutesFactory(meeting__committee=committee, meeting__date=today - datetime.timedelta(days=7))
    html = client_for(secretary).get(url(committee)).content.decode()
    assert "Cancelled" in html
    assert "Too few could attend." in html
    assert "Not published" in html
    assert "Draft" in html


def test_the_page_offers_to_schedule_one_meeting_or_a_series(client_for, secretary, committee):
    html = client_for(secretary).get(url(committee)).content.decode()
    assert reverse("meetings:meeting_schedule", args=[committee.slug]) in html
    assert reverse("meetings:meeting_schedule_series", args=[committee.slug]) in html


def test_an_unknown_committee_is_not_found(client_for, secretary):
    assert client_for(secretary).get("/workspace/committees/nobody/").status_code == 404


def test_past_meetings_are_shown_a_page_at_a_time(
    client_for, secretary, committee, monkeypatch, django_assert_num_queries
):
    from meetings import views

    monkeypatch.setattr(views, "PAST_MEETINGS_PAGE_SIZE", 2)
    today = timezone.localdate()
    for weeks in (1, 2, 3):
        MeetingFactory(committee=committee, date=today - datetime.timedelta(weeks=weeks))
    client = client_for(secretary)

    first = client.get(url(committee))
    assert [m.date for m in first.context["past"]] == [
        today - datetime.timedelta(weeks=w) for w in (1, 2)
    ]
    assert 'href="?page=2#past-heading"' in first.text
    # session, user, secretariat check, the record's mark, committee, members, upcoming,
    # past: count and page
    with django_assert_num_queries(10):
        second = client.get(url(committee), {"page": 2})
    assert [m.date for m in second.context["past"]] == [today - datetime.timedelta(weeks=3)]
