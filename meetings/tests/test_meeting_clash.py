"""A committee meets at most once a day: one rule, one message, wherever a date is chosen."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from config.tests.admin_pages import admin_url, save_admin_form
from meetings.models import Meeting
from meetings.services import meeting_schedule, meeting_update
from meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

CLASH = "Socitm Futures already has a meeting on Monday 15 March 2010."


def test_the_admin_says_which_committee_already_meets_that_day(client_for, secretary, committee):
    MeetingFactory(committee=committee, date=datetime.date(2010, 3, 15))
    response = save_admin_form(
        client_for(secretary),
        admin_url(Meeting, "add"),
        committee=committee.pk,
        date="2010-03-15",
        status=Meeting.Status.SCHEDULED,
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [CLASH]
    assert Meeting.objects.filter(committee=committee).count() == 1


def test_the_services_refuse_a_clash_with_the_same_words(committee, meeting):
    MeetingFactory(committee=committee, date=datetime.date(2010, 3, 15))
    with pytest.raises(ValidationError) as scheduling:
        meeting_schedule(committee=committee, date=datetime.date(2010, 3, 15))
    with pytest.raises(ValidationError) as correcting:
        meeting_update(
            meeting=meeting,
            date=datetime.date(2010, 3, 15),
            start_time=None,
            end_time=None,
            venue=None,
            status=meeting.status,
        )
    assert scheduling.value.message_dict == correcting.value.message_dict == {"date": [CLASH]}


def test_a_full_clean_of_the_meeting_refuses_a_clash_at_the_date(committee):
    MeetingFactory(committee=committee, date=datetime.date(2010, 3, 15))
    with pytest.raises(ValidationError) as refused:
        Meeting(committee=committee, date=datetime.date(2010, 3, 15)).full_clean()
    assert refused.value.message_dict == {"date": [CLASH]}
