"""Once a meeting's minutes are approved or published, its attendance and agenda are part of an
agreed record: the workspace says so and refuses changes until the minutes are returned to draft
or a correction is started."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import AgendaItem
from meetings.tests.factories import AttendanceFactory
from members.tests.factories import MembershipFactory
from minutes.services import minutes_start_correction
from minutes.tests.factories import (
    APPROVED,
    CORRECTING,
    PUBLISHED,
    ItemMinuteFactory,
    MinutesFactory,
    publish,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(meeting, committee):
    """A member marked present, and a guest, at ``meeting``."""
    ian = MembershipFactory(committee=committee, person__given_name="Ian").person
    AttendanceFactory(meeting=meeting, person=ian)
    guest = AttendanceFactory(meeting=meeting, is_guest=True).person
    return ian, guest


def _attendance(meeting):
    return sorted(meeting.attendances.values_list("person_id", "status"))


@pytest.mark.parametrize(
    ("state", "way"),
    [(APPROVED, "return the minutes to draft"), (PUBLISHED, "start a correction")],
    ids=["approved", "published"],
)
def test_attendance_is_shown_but_not_changed_once_the_minutes_are_agreed(
    client_for, secretary, meeting, recorded, state, way
):
    MinutesFactory(meeting=meeting, **state)
    ian, guest = recorded
    before = _attendance(meeting)
    client = client_for(secretary)
    url = reverse("meetings:attendance", args=[meeting.pk])

    page = client.get(url).content.decode()
    assert "so who attended is part of the record" in page
    assert way in page
    assert "Save attendance" not in page
    assert "Add a guest" not in page
    assert reverse("meetings:attendance_remove", args=[meeting.pk, guest.pk]) not in page
    assert page.count(" disabled>") >= 3 * 2  # every radio of both people

    refused = client.post(url, {f"person-{ian.pk}": "apologies"}).content.decode()
    assert "who attended and the agenda are part of the record" in refused
    client.post(reverse("meetings:guest_new", args=[meeting.pk]), {"given_name": "Paul"})
    removal = reverse("meetings:attendance_remove", args=[meeting.pk, guest.pk])
    assert client.get(removal).status_code == 302
    client.post(removal)
    assert _attendance(meeting) == before


@pytest.mark.parametrize("state", [APPROVED, PUBLISHED], ids=["approved", "published"])
def test_the_agenda_is_shown_but_not_changed_once_the_minutes_are_agreed(
    client_for, secretary, meeting, state
):
    MinutesFactory(meeting=meeting, **state)
    before = list(meeting.agenda_items.values_list("number", "title"))
    item = meeting.agenda_items.get(title="Matters arising")
    client = client_for(secretary)

    page = client.get(reverse("meetings:agenda_workspace", args=[meeting.pk])).content.decode()
    assert "so the agenda is part of the record" in page
    assert reverse("meetings:agenda_item_new", args=[meeting.pk]) not in page
    assert reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk]) not in page

    added = client.post(
        reverse("meetings:agenda_item_new", args=[meeting.pk]),
        {"title": "Strategy", "kind": AgendaItem.Kind.ORDINARY},
    )
    assert "part of the record" in added.content.decode()
    client.post(
        reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk]),
        {"title": "Matters", "kind": item.kind},
    )
    moved = client.post(
        reverse("meetings:agenda_item_move", args=[meeting.pk, item.pk]),
        {"direction": "up"},
        follow=True,
    )
    assert "part of the record" in moved.content.decode()
    client.post(reverse("meetings:agenda_item_delete", args=[meeting.pk, item.pk]))
    assert list(meeting.agenda_items.values_list("number", "title")) == before


def test_a_correction_opens_attendance_and_the_agenda_again(
    client_for, secretary, meeting, recorded
):
    MinutesFactory(meeting=meeting, **CORRECTING)
    ian, _ = recorded
    client = client_for(secretary)
    client.post(reverse("meetings:attendance", args=[meeting.pk]), {f"person-{ian.pk}": "absent"})
    assert meeting.attendances.get(person=ian).status == "absent"
    item = meeting.agenda_items.get(title="Matters arising")
    client.post(
        reverse("meetings:agenda_item_move", args=[meeting.pk, item.pk]), {"direction": "up"}
    )
    item.refresh_from_db()
    assert item.number == "2"


def _edit(client, meeting, **changes):
    fields = {
        "date": meeting.date.isoformat(),
        "start_time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
        "end_time": "",
        "venue": meeting.venue_id or "",
        "status": meeting.status,
    }
    return client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), fields | changes)


def test_an_agreed_meetings_time_and_venue_wait_for_a_correction_but_its_status_does_not(
    client_for, secretary, meeting
):
    MinutesFactory(meeting=meeting, **APPROVED)
    client = client_for(secretary)
    refused = _edit(client, meeting, start_time="14:00")
    assert "part of the record" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.start_time == datetime.time(10, 30)

    assert _edit(client, meeting, status="held").status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_a_meeting_with_published_minutes_keeps_its_date_even_in_a_correction(
    client_for, secretary, meeting
):
    minutes = ItemMinuteFactory(
        minutes__meeting=meeting,
        agenda_item=meeting.agenda_items.get(title="Apologies"),
        text="Apologies were received.",
    ).minutes
    publish(minutes, by=secretary)
    minutes_start_correction(minutes=minutes, by=secretary)
    client = client_for(secretary)
    refused = _edit(client, meeting, date="2010-01-19")
    assert "are published, correction in progress, so it cannot be moved" in refused.text
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2010, 1, 18)
    # In a correction, the time can be put right.
    assert _edit(client, meeting, start_time="14:00").status_code == 302
    meeting.refresh_from_db()
    assert meeting.start_time == datetime.time(14, 0)


def test_a_meeting_whose_minutes_are_agreed_cannot_be_moved(client_for, secretary, meeting):
    MinutesFactory(meeting=meeting, **APPROVED)
    response = client_for(secretary).post(
        reverse("meetings:meeting_move", args=[meeting.pk]),
        {
            "date": "2010-01-25",
            "start_time": "10:30",
            "end_time": "",
            "venue": meeting.venue_id,
            "reason": "The room is needed.",
        },
        follow=True,
    )
    assert "The minutes of this meeting are approved, so it cannot be moved." in response.text
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2010, 1, 18)
