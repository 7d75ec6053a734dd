import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from meetings.services import agenda_start_from_template
from meetings.tests.conftest import STANDARD_AGENDA, numbered
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

JANUARY = datetime.date(2010, 1, 18)


def agenda(meeting):
    return list(
        meeting.agenda_items.order_by("position").values_list(
            "number", "title", "kind", "previous_meeting"
        )
    )


def test_a_new_meeting_starts_from_the_standard_items_pointing_at_the_last_meeting_held(
    committee, scheduled
):
    held = MeetingFactory(committee=committee, date=datetime.date(2009, 11, 16))
    MeetingFactory(
        committee=committee, date=datetime.date(2009, 12, 14), status=Meeting.Status.CANCELLED
    )
    MeetingFactory(date=datetime.date(2010, 1, 4))  # another committee's

    meeting = scheduled(JANUARY)

    assert agenda(meeting) == [
        ("1", "Apologies", "apologies", None),
        ("2", "Minutes of the last meeting", "previous-minutes", held.pk),
        ("3", "Matters arising", "matters-arising", None),
        ("4", "Any other business", "aob", None),
        ("5", "Dates of future meetings", "future-meetings", None),
    ]


def test_a_committees_first_meeting_has_no_last_meeting_to_point_at(scheduled):
    item = scheduled(JANUARY).agenda_items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES)
    assert item.previous_meeting is None


def test_an_agenda_that_has_items_is_not_started_again(committee):
    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting)
    with pytest.raises(ValidationError, match="already has items"):
        agenda_start_from_template(meeting=meeting)
    assert meeting.agenda_items.count() == 1


def test_secretary_starts_an_empty_agenda_from_the_standard_items(client_for, secretary, committee):
    meeting = MeetingFactory(committee=committee, date=JANUARY)
    url = reverse("meetings:agenda_start", args=[meeting.pk])
    response = client_for(secretary).post(url)
    assert response.status_code == 302
    assert response.url == reverse("meetings:agenda_workspace", args=[meeting.pk])
    assert numbered(meeting) == STANDARD_AGENDA
    again = client_for(secretary).post(url, follow=True)
    assert "This agenda already has items." in again.content.decode()
    assert numbered(meeting) == STANDARD_AGENDA
