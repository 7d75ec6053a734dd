"""Draft → approved → published, and corrections that never silently change the record."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from meetings.models import AgendaItem
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from minutes.document import MinutesDocument
from minutes.models import Minutes, MinutesEvent, MinutesVersion
from minutes.services import (
    WorkflowError,
    minutes_approve,
    minutes_publish,
    minutes_publish_correction,
    minutes_return_to_draft,
    minutes_start_correction,
)
from minutes.tests.factories import ItemMinuteFactory, publish, published_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_minute():
    return ItemMinuteFactory(
        text="The panel noted the report.",
        minutes__meeting__date=datetime.date(2009, 11, 16),
    )


@pytest.fixture
def minutes(item_minute):
    return item_minute.minutes


@pytest.fixture
def next_meeting(minutes):
    """The following meeting, whose "minutes of the last meeting" item agrees them."""
    meeting = MeetingFactory(committee=minutes.meeting.committee, date=datetime.date(2010, 1, 18))
    AgendaItemFactory(
        meeting=meeting,
        kind=AgendaItem.Kind.PREVIOUS_MINUTES,
        previous_meeting=minutes.meeting,
        title="Minutes of the last meeting",
    )
    return meeting


def sha256(version: MinutesVersion) -> str:
    with version.pdf.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_approval_is_recorded_against_the_meeting_that_agreed_the_minutes(
    minutes, next_meeting, secretary
):
    minutes_approve(minutes=minutes, by=secretary, at_meeting=next_meeting)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at_meeting == next_meeting
    assert minutes.approved_on == next_meeting.date
    assert minutes.approved_by == secretary
    event = minutes.events.get()
    assert (event.kind, event.by) == (MinutesEvent.Kind.APPROVED, secretary)
    assert "Monday 18 January 2010" in event.note


def test_approval_can_be_recorded_by_hand_with_a_date(minutes, secretary):
    minutes_approve(minutes=minutes, by=secretary, on=datetime.date(2009, 12, 1))
    minutes.refresh_from_db()
    assert minutes.approved_on == datetime.date(2009, 12, 1)
    assert minutes.approved_at_meeting is None


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (datetime.date(2009, 11, 15), "before the meeting"),
        (timezone.localdate() + datetime.timedelta(days=1), "in the future"),
        (None, "Say at which meeting"),
    ],
)
def test_approval_needs_a_sensible_date(minutes, secretary, on, message):
    with pytest.raises(WorkflowError, match=message):
        minutes_approve(minutes=minutes, by=secretary, on=on)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT


def test_approval_at_an_earlier_or_another_committees_meeting_is_refused(minutes, secretary):
    earlier = MeetingFactory(committee=minutes.meeting.committee, date=datetime.date(2009, 7, 13))
    elsewhere = MeetingFactory(date=datetime.date(2010, 1, 18))
    for meeting in (earlier, elsewhere):
        with pytest.raises(WorkflowError, match="later meeting of the same committee"):
            minutes_approve(minutes=minutes, by=secretary, at_meeting=meeting)


def test_minutes_are_approved_once(minutes, secretary):
    minutes_approve(minutes=minutes, by=secretary, on=minutes.meeting.date)
    with pytest.raises(WorkflowError, match="already approved"):
        minutes_approve(minutes=minutes, by=secretary, on=minutes.meeting.date)


def test_drafts_are_not_published_unless_the_committee_publishes_unconfirmed_minutes(
    minutes, secretary
):
    with pytest.raises(WorkflowError, match="must be approved"):
        minutes_publish(minutes=minutes, by=secretary)
    assert not MinutesVersion.objects.exists()


def test_publishing_freezes_the_minutes_and_stores_the_pdf_once(minutes, secretary):
    version = publish(minutes, by=secretary)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED
    assert (version.number, version.kind, version.created_by) == (1, "original", secretary)
    assert version.confirmed
    with version.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    assert version.pdf_size == len(data)
    assert version.pdf_sha256 == hashlib.sha256(data).hexdigest()
    document = MinutesDocument.from_json(version.document)
    assert document.items[0].text == "The panel noted the report."
    assert "The panel noted the report." in version.plain_text
    assert minutes.events.filter(kind=MinutesEvent.Kind.PUBLISHED, by=secretary).exists()


def test_published_minutes_are_not_published_twice(minutes, secretary):
    publish(minutes, by=secretary)
    with pytest.raises(WorkflowError, match="already published"):
        minutes_publish(minutes=minutes, by=secretary)
    assert minutes.versions.count() == 1


def test_the_published_record_does_not_change_when_people_and_the_working_copy_do(
    minutes, item_minute, secretary
):
    from meetings.tests.factories import AttendanceFactory

    attendance = AttendanceFactory(meeting=minutes.meeting)
    published_name = attendance.person.full_name
    published_organisation = attendance.organisation.display_name
    version = publish(minutes, by=secretary)

    attendance.person.family_name = "Renamed"
    attendance.person.save()
    attendance.organisation.name = "Merged Authority"
    attendance.organisation.save()
    minutes_start_correction(minutes=minutes, by=secretary)
    item_minute.text = "Rewritten without a reason."
    item_minute.save()

    version.refresh_from_db()
    document = MinutesDocument.from_json(version.document)
    assert [(a.name, a.organisation) for a in document.present] == [
        (published_name, published_organisation)
    ]
    assert document.items[0].text == "The panel noted the report."


def test_a_correction_is_a_new_version_with_its_reason_and_the_old_pdf_stays_as_it_was(
    minutes, item_minute, secretary
):
    first = publish(minutes, by=secretary)
    first_pdf = sha256(first)

    minutes_start_correction(minutes=minutes, by=secretary)
    assert minutes.status == Minutes.Status.CORRECTING
    item_minute.text = "The panel noted the revised report."
    item_minute.save()
    minutes_publish_correction(
        minutes=minutes, by=secretary, reason="Item 1 named the wrong report."
    )
    second = published_version(minutes)

    first.refresh_from_db()
    assert sha256(first) == first_pdf
    assert (second.number, second.kind, second.reason) == (
        2,
        "corrected",
        "Item 1 named the wrong report.",
    )
    document = MinutesDocument.from_json(second.document)
    assert document.items[0].text == "The panel noted the revised report."
    assert [c.reason for c in document.corrections] == ["Item 1 named the wrong report."]
    assert MinutesDocument.from_json(first.document).corrections == []
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED
    assert list(minutes.events.values_list("kind", flat=True)) == [
        "approved",
        "published",
        "correction-started",
        "corrected",
    ]


def test_a_correction_needs_a_reason(minutes, secretary):
    publish(minutes, by=secretary)
    minutes_start_correction(minutes=minutes, by=secretary)
    with pytest.raises(WorkflowError, match="Say why"):
        minutes_publish_correction(minutes=minutes, by=secretary, reason="   ")
    assert minutes.versions.count() == 1


def test_a_correction_must_be_started_before_it_is_published(minutes, secretary):
    publish(minutes, by=secretary)
    with pytest.raises(WorkflowError, match="Start a correction"):
        minutes_publish_correction(minutes=minutes, by=secretary, reason="Typo")


def test_only_published_minutes_can_be_corrected(minutes, secretary):
    with pytest.raises(WorkflowError, match="Only published minutes"):
        minutes_start_correction(minutes=minutes, by=secretary)


def test_approved_minutes_can_return_to_draft_for_amendment_before_publication(minutes, secretary):
    minutes_approve(minutes=minutes, by=secretary, on=minutes.meeting.date)
    minutes_return_to_draft(minutes=minutes, by=secretary, note="Amend item 1 first")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    assert minutes.approved_on is None
    assert minutes.events.last().note == "Amend item 1 first"
    assert minutes.is_editable


def test_unconfirmed_minutes_become_confirmed_in_a_new_version_when_approved(
    minutes, next_meeting, secretary
):
    committee = minutes.meeting.committee
    committee.publishes_unconfirmed_minutes = True
    committee.save()
    minutes_publish(minutes=minutes, by=secretary)
    unconfirmed = published_version(minutes)
    assert not unconfirmed.confirmed

    minutes_approve(minutes=minutes, by=secretary, at_meeting=next_meeting)
    published_version(minutes)

    confirmed = minutes.versions.order_by("-number").first()
    assert (confirmed.number, confirmed.kind, confirmed.confirmed) == (2, "confirmed", True)
    document = MinutesDocument.from_json(confirmed.document)
    assert document.status_line == (
        "Approved as a correct record at the meeting on Monday 18 January 2010"
    )
    assert document.corrections == []
    assert not document.is_watermarked


def test_a_version_document_survives_the_round_trip_through_json(minutes, secretary):
    version = publish(minutes, by=secretary)
    document = MinutesDocument.from_json(version.document)
    assert document.to_json() == version.document
    assert document.meeting_date == datetime.date(2009, 11, 16)
