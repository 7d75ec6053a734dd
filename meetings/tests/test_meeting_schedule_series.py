import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from meetings.services import meeting_schedule_series
from meetings.tests.conftest import h1_count
from meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

# "The third Monday of every second month from January, 10:30, at the committee's usual venue."
RULE = {
    "action": "preview",
    "occurrence": "3",
    "weekday": "0",
    "every_months": "2",
    "start_month": "1",
    "start_year": "2010",
    "count": "6",
    "start_time": "10:30",
}
ISSUE_DATES = ["2010-01-18", "2010-03-15", "2010-05-17", "2010-07-19", "2010-09-20", "2010-11-15"]
# As the reference minutes agreed them: July and September moved to the 12th and 13th.
REFERENCE_DATES = [
    datetime.date(2010, 1, 18),
    datetime.date(2010, 3, 15),
    datetime.date(2010, 5, 17),
    datetime.date(2010, 7, 12),
    datetime.date(2010, 9, 13),
    datetime.date(2010, 11, 15),
]


def url(committee):
    return reverse("meetings:meeting_schedule_series", args=[committee.slug])


def dates_step(dates, *, action="save", delete=(), extra="", start_time="10:30", venue=""):
    """What step 2 posts: the list of dates (and a blank row to add one)."""
    data = {
        "action": action,
        "form-TOTAL_FORMS": str(len(dates) + 1),
        "form-INITIAL_FORMS": str(len(dates)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "24",
        f"form-{len(dates)}-date": extra,
        "start_time": start_time,
        "venue": venue,
    }
    for index, day in enumerate(dates):
        data[f"form-{index}-date"] = day
        if index in delete:
            data[f"form-{index}-DELETE"] = "on"
    return data


def shown_dates(response):
    return [form["date"].value() for form in response.context["dates"].forms if form.has_changed()]


def test_step_one_asks_for_the_rule_with_the_usual_venue(client_for, secretary, committee, venue):
    response = client_for(secretary).get(url(committee))
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert response.context["form"]["venue"].value() == venue.pk


def test_step_one_shows_the_dates_of_the_worked_example_for_editing_before_saving(
    client_for, secretary, committee, venue
):
    response = client_for(secretary).post(url(committee), {**RULE, "venue": venue.pk})
    assert response.status_code == 200
    assert shown_dates(response) == ISSUE_DATES
    html = response.content.decode()
    assert "Monday 19 July 2010" in html
    assert 'value="2010-07-19"' in html
    assert h1_count(response) == 1
    assert not Meeting.objects.exists()


def test_the_worked_example_saved_with_july_and_september_moved_gives_the_reference_dates(
    client_for, secretary, committee, venue
):
    client = client_for(secretary)
    client.post(url(committee), {**RULE, "venue": venue.pk})
    edited = [day.isoformat() for day in REFERENCE_DATES]
    response = client.post(url(committee), dates_step(edited, venue=venue.pk))

    assert response.status_code == 302
    assert response.url == reverse("meetings:committee_workspace", args=[committee.slug])
    meetings = list(Meeting.objects.filter(committee=committee).order_by("date"))
    assert [m.date for m in meetings] == REFERENCE_DATES
    assert {(m.start_time, m.venue_id, m.status) for m in meetings} == {
        (datetime.time(10, 30), venue.pk, Meeting.Status.SCHEDULED)
    }
    # Each agenda considers the minutes of the meeting before it.
    previous = [
        m.agenda_items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES).previous_meeting for m in meetings
    ]
    assert previous == [None, *meetings[:-1]]


def test_a_date_can_be_removed_and_another_added(client_for, secretary, committee):
    response = client_for(secretary).post(
        url(committee), dates_step(ISSUE_DATES, delete=[2], extra="2010-12-13")
    )
    assert response.status_code == 302
    assert list(
        Meeting.objects.filter(committee=committee).order_by("date").values_list("date", flat=True)
    ) == [
        datetime.date(2010, 1, 18),
        datetime.date(2010, 3, 15),
        datetime.date(2010, 7, 19),
        datetime.date(2010, 9, 20),
        datetime.date(2010, 11, 15),
        datetime.date(2010, 12, 13),
    ]


def test_checking_again_sorts_the_dates_shows_their_weekdays_and_offers_a_new_empty_row(
    client_for, secretary, committee
):
    response = client_for(secretary).post(
        url(committee), dates_step(["2010-03-15", "2010-01-18"], action="check", extra="2010-02-01")
    )
    assert response.status_code == 200
    assert shown_dates(response) == ["2010-01-18", "2010-02-01", "2010-03-15"]
    assert len(response.context["dates"].forms) == 4
    assert "Monday 1 February 2010" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_series_with_no_dates_is_refused_with_a_clear_message(client_for, secretary, committee):
    response = client_for(secretary).post(
        url(committee), dates_step(ISSUE_DATES[:2], delete=[0, 1])
    )
    assert response.status_code == 200
    assert response.context["dates"].non_form_errors() == [
        "A series needs at least one date: add a date, or keep one you removed."
    ]
    assert "A series needs at least one date" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_service_refuses_an_empty_series():
    with pytest.raises(ValidationError, match="at least one date"):
        meeting_schedule_series(committee=None, dates=[])


def test_a_date_that_clashes_with_an_existing_meeting_is_flagged_at_that_date_when_shown(
    client_for, secretary, committee
):
    MeetingFactory(committee=committee, date=datetime.date(2010, 5, 17))
    response = client_for(secretary).post(url(committee), RULE)
    forms = response.context["dates"].forms
    assert forms[2].errors["date"] == [
        "Socitm Futures already has a meeting on Monday 17 May 2010."
    ]
    assert not any(form.errors for index, form in enumerate(forms) if index != 2)
    html = response.content.decode()
    assert 'aria-describedby="id_form-2-date_error"' in html


def test_a_clashing_series_saves_nothing(client_for, secretary, committee):
    MeetingFactory(committee=committee, date=datetime.date(2010, 5, 17))
    response = client_for(secretary).post(url(committee), dates_step(ISSUE_DATES))
    assert response.status_code == 200
    assert Meeting.objects.filter(committee=committee).count() == 1


def test_the_same_date_twice_is_flagged(client_for, secretary, committee):
    response = client_for(secretary).post(url(committee), dates_step(["2010-01-18", "2010-01-18"]))
    assert response.context["dates"].forms[1].errors["date"] == ["This date is in the list twice."]
    assert not Meeting.objects.exists()


def test_a_rule_needs_a_number_of_meetings_or_an_end_date(client_for, secretary, committee):
    response = client_for(secretary).post(url(committee), {**RULE, "count": ""})
    assert response.context["form"].errors["count"] == ["Give a number of meetings or an end date."]


def test_a_rule_that_makes_too_many_meetings_is_refused_at_the_end_date(
    client_for, secretary, committee
):
    response = client_for(secretary).post(
        url(committee), {**RULE, "count": "", "every_months": "1", "until": "2015-01-01"}
    )
    assert "more than 24 meetings" in response.context["form"].errors["until"][0]


def test_the_series_page_refuses_delete(client_for, secretary, committee):
    assert client_for(secretary).delete(url(committee)).status_code == 405
