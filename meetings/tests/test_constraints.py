"""The database refuses meetings, attendance and agendas that would make minutes wrong."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import AgendaItem, Attendance, Meeting
from meetings.tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_nobody_is_both_present_and_sending_apologies():
    present = AttendanceFactory(status=Attendance.Status.PRESENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(
            meeting=present.meeting, person=present.person, status=Attendance.Status.APOLOGIES
        )


def test_a_second_attendance_row_is_explained_in_words():
    present = AttendanceFactory()
    duplicate = Attendance(
        meeting=present.meeting, person=present.person, status=Attendance.Status.APOLOGIES
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already recorded for this meeting" in str(error.value)


def test_two_agenda_items_cannot_share_a_position():
    item = AgendaItemFactory(position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItemFactory(meeting=item.meeting, position=1, number="9")


def test_two_agenda_items_cannot_share_a_printed_number():
    item = AgendaItemFactory(number="2")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItemFactory(meeting=item.meeting, number="2")


def test_unnumbered_items_do_not_clash():
    item = AgendaItemFactory(number="")
    AgendaItemFactory(meeting=item.meeting, number="")
    assert item.meeting.agenda_items.count() == 2


def test_only_a_minutes_of_the_last_meeting_item_points_at_an_earlier_meeting():
    earlier = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItemFactory(kind=AgendaItem.Kind.ORDINARY, previous_meeting=earlier)


def test_the_last_meeting_must_be_earlier_and_of_the_same_committee():
    meeting = MeetingFactory(date=datetime.date(2009, 11, 16))
    later = MeetingFactory(committee=meeting.committee, date=datetime.date(2010, 1, 18))
    other_committee = MeetingFactory(date=datetime.date(2009, 7, 13))
    for wrong in (later, other_committee):
        item = AgendaItem(
            meeting=meeting,
            position=1,
            title="Minutes of the last meeting",
            kind=AgendaItem.Kind.PREVIOUS_MINUTES,
            previous_meeting=wrong,
        )
        with pytest.raises(ValidationError) as error:
            item.full_clean()
        assert "earlier meeting of the same committee" in str(error.value)


def test_a_committee_meets_at_most_once_a_day():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(committee=meeting.committee, date=meeting.date)


def test_a_meeting_cannot_end_before_it_starts():
    meeting = MeetingFactory.build(
        committee=MeetingFactory().committee,
        venue=None,
        start_time=datetime.time(10, 30),
        end_time=datetime.time(9, 0),
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "must end after it starts" in str(error.value)


def test_upcoming_meetings_leave_out_past_and_cancelled_ones():
    today = datetime.date(2010, 3, 1)
    past = MeetingFactory(date=datetime.date(2010, 1, 18))
    committee = past.committee
    cancelled = MeetingFactory(
        committee=committee, date=datetime.date(2010, 3, 15), status=Meeting.Status.CANCELLED
    )
    upcoming = MeetingFactory(committee=committee, date=datetime.date(2010, 5, 17))
    assert list(Meeting.objects.upcoming(today)) == [upcoming]
    assert cancelled not in Meeting.objects.after(past)
