"""Imported minutes join the record: their open actions reach the action log and the next
meeting's matters arising, and "minutes of the last meeting agreed" approves the minutes
imported for that meeting."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from minutes.document import build_document
from minutes.importing.tests.test_import_minutes import run
from minutes.models import Action, Minutes
from minutes.services import minutes_for_meeting, minutes_publish_historic
from minutes.tests.reference import SEED

LATER = (
    "Minutes of the meeting held on 18 January 2010\n\nPresent: Ann Lee\n\n"
    "1. Minutes of the last meeting\n\n{}\n\n2. Budget\n\nThe budget was noted.\n"
)
THANKS = "Glyn asked Suzanne to draft a letter of thanks"


@pytest.fixture
def next_meeting(committee):
    """The committee's next meeting, recorded here, with a "matters arising" item."""
    meeting = MeetingFactory(committee=committee, date=datetime.date(2010, 1, 18))
    AgendaItemFactory(
        meeting=meeting, kind=AgendaItem.Kind.MATTERS_ARISING, title="Matters arising"
    )
    return meeting


def carried(meeting) -> list[str]:
    (item,) = [
        i
        for i in build_document(minutes_for_meeting(meeting=meeting)).items
        if i.kind == AgendaItem.Kind.MATTERS_ARISING
    ]
    return [entry.text for entry in item.carried_actions]


def test_an_imported_open_action_is_in_the_committees_action_log(committee, secretary, client_for):
    run(SEED, "--committee", committee.slug)
    action = Action.objects.get()
    assert action.status == Action.Status.OPEN
    page = client_for(secretary).get(reverse("minutes:action_log", args=[committee.slug]))
    assert THANKS in page.content.decode()
    assert reverse("minutes:action_close", args=[action.pk]) in page.content.decode()


def test_an_imported_open_action_is_offered_at_the_next_meetings_matters_arising(
    committee, secretary, client_for, next_meeting
):
    run(SEED, "--committee", committee.slug)
    page = client_for(secretary).get(reverse("minutes:take", args=[next_meeting.pk]))
    assert THANKS in page.content.decode()


def test_an_action_from_imported_minutes_published_as_historic_carries_forward_in_print(
    committee, secretary, next_meeting, run_tasks
):
    run(SEED, "--committee", committee.slug)
    imported = Meeting.objects.get(date="2009-11-16")
    assert carried(next_meeting) == []  # a draft's actions do not reach published minutes
    minutes_publish_historic(
        minutes=imported.minutes, by=secretary, approval_wording="Signed as a correct record"
    )
    run_tasks()
    assert [text[: len(THANKS)] for text in carried(next_meeting)] == [THANKS]


@pytest.mark.parametrize("later_first", [False, True])
def test_minutes_of_the_last_meeting_agreed_approve_the_imported_minutes_of_that_meeting(
    committee, tmp_path, later_first
):
    later = tmp_path / "later.txt"
    later.write_text(LATER.format("The minutes of the meeting held on 16 November were agreed."))
    for path in [later, SEED] if later_first else [SEED, later]:
        run(path, "--committee", committee.slug)
    earlier = Minutes.objects.get(meeting__date="2009-11-16")
    assert earlier.status == Minutes.Status.APPROVED
    assert earlier.approved_at_meeting.date.isoformat() == "2010-01-18"
    assert earlier.approval_sentence.startswith(
        "Approved as a correct record at the meeting on Monday 18 January 2010"
    )
    assert Minutes.objects.get(meeting__date="2010-01-18").status == Minutes.Status.DRAFT


def test_minutes_not_agreed_at_the_next_meeting_stay_a_draft(committee, tmp_path):
    later = tmp_path / "later.txt"
    later.write_text(LATER.format("Approval of the minutes was deferred to the next meeting."))
    run(SEED, "--committee", committee.slug)
    run(later, "--committee", committee.slug)
    assert Minutes.objects.get(meeting__date="2009-11-16").status == Minutes.Status.DRAFT


def test_replacing_the_import_that_approved_earlier_minutes_returns_them_to_draft(
    committee, tmp_path
):
    later = tmp_path / "later.txt"
    later.write_text(LATER.format("The minutes were agreed."))
    run(SEED, "--committee", committee.slug)
    run(later, "--committee", committee.slug)
    run(later, "--committee", committee.slug, "--replace")
    # The file still says they were agreed: approved again, at the new record of that meeting.
    earlier = Minutes.objects.get(meeting__date="2009-11-16")
    assert earlier.approved_at_meeting == Meeting.objects.get(date="2010-01-18")
    assert earlier.events.filter(kind="returned-to-draft").exists()


def test_minutes_approved_at_a_later_imported_meeting_publish_as_historic_with_that_approval(
    committee, secretary, tmp_path, run_tasks
):
    later = tmp_path / "later.txt"
    later.write_text(LATER.format("The minutes were agreed."))
    run(later, "--committee", committee.slug)
    run(SEED, "--committee", committee.slug, "--user", secretary.username,
        "--publish-as-historic", "--approval-wording", "Signed by the Chair")  # fmt: skip
    run_tasks()
    earlier = Minutes.objects.get(meeting__date="2009-11-16")
    assert earlier.is_published
    assert earlier.approval == Minutes.Approval.AT_MEETING
