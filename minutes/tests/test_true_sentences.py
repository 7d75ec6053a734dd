"""The printed record says only what is true: generated lines appear where Minutebook knows
them, never twice, and the secretary can turn them off; historic minutes keep their own words."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import AgendaItem, Attendance
from meetings.tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory
from members.models import Committee, Membership
from members.tests.factories import MembershipFactory, PersonFactory
from minutes.document import build_document
from minutes.models import Minutes
from minutes.services import minutes_for_meeting, minutes_publish_historic, render_minutes_pdf
from minutes.tests import reference
from minutes.tests.factories import ActionFactory, ItemMinuteFactory, publish, published_version

pytestmark = pytest.mark.django_db


def pdf_text(minutes) -> str:
    data = render_minutes_pdf(build_document(minutes))
    pages = PdfReader(io.BytesIO(data)).pages
    return reference.normalise(" ".join(page.extract_text() for page in pages))


@pytest.fixture
def meeting(committee):
    return MeetingFactory(committee=committee, date=datetime.date(2016, 10, 5))


def take(client, meeting):
    return client.get(reverse("minutes:take", args=[meeting.pk])).content.decode()


def save_minute(client, item, text, *, revision=0, shows_generated=True, preview=False):
    prefix = f"minute-{item.pk}"
    data = {f"{prefix}-text": text, f"{prefix}-revision": str(revision)}
    if shows_generated:
        data[f"{prefix}-shows_generated"] = "on"
    if preview:
        data["preview"] = "1"
    return client.post(reverse("minutes:item_minute_save", args=[item.pk]), data)


# -- Matters arising ----------------------------------------------------------------------


def test_matters_arising_says_nothing_generated_when_no_earlier_minutes_are_recorded(meeting):
    AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.MATTERS_ARISING, title="Matters")
    text = pdf_text(minutes_for_meeting(meeting=meeting))
    assert "outstanding actions" not in text


def test_matters_arising_says_there_were_none_when_the_previous_minutes_are_published(
    meeting, secretary
):
    earlier = ItemMinuteFactory(
        minutes__meeting__committee=meeting.committee,
        minutes__meeting__date=datetime.date(2016, 7, 6),
    ).minutes
    publish(earlier, by=secretary)
    AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.MATTERS_ARISING, title="Matters")

    assert "There were no outstanding actions." in pdf_text(minutes_for_meeting(meeting=meeting))


def test_matters_arising_lists_the_actions_carried_from_published_minutes(meeting, secretary):
    action = ActionFactory(
        minutes__meeting__committee=meeting.committee,
        minutes__meeting__date=datetime.date(2016, 7, 6),
        text="Renew the licence.",
    )
    publish(action.minutes, by=secretary)
    AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.MATTERS_ARISING, title="Matters")

    text = pdf_text(minutes_for_meeting(meeting=meeting))
    assert "Renew the licence." in text
    assert "There were no outstanding actions." not in text


def test_the_agenda_says_nothing_of_outstanding_actions_without_earlier_minutes(
    client_for, secretary, meeting
):
    AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.MATTERS_ARISING, title="Matters")
    page = client_for(secretary).get(
        reverse("meetings:agenda", args=[meeting.committee.slug, meeting.date])
    )
    assert "outstanding actions" not in page.content.decode()


# -- A standard item's generated line -----------------------------------------------------


def test_the_editor_shows_the_generated_line_and_turning_it_off_keeps_it_out_of_print(
    client_for, secretary, meeting
):
    apologies = AgendaItemFactory(
        meeting=meeting, kind=AgendaItem.Kind.APOLOGIES, title="Apologies"
    )
    AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(given_name="Steve", family_name="Palmer"),
        status=Attendance.Status.APOLOGIES,
    )
    client = client_for(secretary)

    page = take(client, meeting)
    assert "Apologies were received from Steve Palmer." in page
    assert "Print the line above, written from the record" in page

    save_minute(client, apologies, "Apologies were received from Steve Palmer (by email).",
                shows_generated=False)  # fmt: skip

    minutes = Minutes.objects.get(meeting=meeting)
    text = pdf_text(minutes)
    assert text.count("Apologies were received from Steve Palmer") == 1
    assert "Steve Palmer (by email)." in text
    assert "not printed" in take(client, meeting)


def test_the_generated_line_prints_above_the_text_unless_turned_off(client_for, secretary, meeting):
    apologies = AgendaItemFactory(
        meeting=meeting, kind=AgendaItem.Kind.APOLOGIES, title="Apologies"
    )
    client = client_for(secretary)
    save_minute(client, apologies, "The Chair welcomed everyone.")

    text = pdf_text(Minutes.objects.get(meeting=meeting))
    assert reference.in_order(text, ["There were no apologies.", "The Chair welcomed everyone."])


def test_an_ordinary_item_has_no_generated_line_to_turn_off(client_for, secretary, meeting):
    AgendaItemFactory(meeting=meeting, title="Software")
    page = take(client_for(secretary), meeting)
    assert "shows_generated" not in page


def test_the_preview_of_saved_text_does_not_say_it_is_unsaved(client_for, secretary, meeting):
    item = AgendaItemFactory(meeting=meeting, title="Software")
    client = client_for(secretary)
    save_minute(client, item, "Noted.", shows_generated=False)

    saved = save_minute(client, item, "Noted.", revision=1, shows_generated=False, preview=True)
    changed = save_minute(client, item, "Noted!", revision=1, shows_generated=False, preview=True)

    assert "Preview: as it will print</h3>" in saved.content.decode()
    assert "Preview: as it will print (not saved yet)" in changed.content.decode()


# -- Text as typed: line breaks, tables, sub-headings -----------------------------------


def test_single_line_breaks_tables_and_sub_headings_print_as_typed(client_for, secretary, meeting):
    item = AgendaItemFactory(meeting=meeting, title="Software")
    typed = (
        "Alice: the release is ready.\nBob: the notes are not.\n\n"
        "### Budget\n\n"
        "| Ref | Action |\n|---|---|\n| 2.10 | Write the notes |\n"
    )
    client = client_for(secretary)
    save_minute(client, item, typed, shows_generated=False)

    page = client.get(reverse("minutes:draft", args=[meeting.committee.slug, meeting.date]))
    html = page.content.decode()
    assert "Alice: the release is ready.<br>\nBob: the notes are not." in html
    assert "<h3>Budget</h3>" in html
    assert '<table class="minutes-table">' in html

    data = render_minutes_pdf(build_document(Minutes.objects.get(meeting=meeting)))
    lines = PdfReader(io.BytesIO(data)).pages[0].extract_text().splitlines()
    assert "Alice: the release is ready." in lines
    assert "Bob: the notes are not." in lines
    # The cells print apart, padded, not run together as "2.10Write".
    assert not any("2.10Write" in line for line in lines)


# -- Attendance: Present, In attendance, the Chair, the order ------------------------------


@pytest.fixture
def attendance(meeting):
    committee = meeting.committee

    def record(given, family, *, role=Membership.Role.MEMBER, guest=False, status="present"):
        person = PersonFactory(given_name=given, family_name=family)
        if role:
            MembershipFactory(committee=committee, person=person, role=role)
        return AttendanceFactory(meeting=meeting, person=person, is_guest=guest, status=status)

    record("Zoe", "Adams")
    record("Carl", "Young", role=Membership.Role.CHAIR)
    record("Ann", "Brown")
    record("Olive", "Clerk", role=Membership.Role.OFFICER)
    record("Vic", "Vice", role=Membership.Role.VICE_CHAIR)
    record("Gus", "Guest", role=None, guest=True)
    record("Ali", "Apology", status="apologies")
    record("Abe", "Absent", status="absent")
    return meeting


def test_members_are_present_chair_first_officers_and_guests_in_attendance(attendance):
    text = pdf_text(minutes_for_meeting(meeting=attendance))
    assert reference.in_order(
        text,
        [
            "Present",
            "Carl Young (Chair)",
            "Zoe Adams",
            "Ann Brown",
            "Vic Vice (Vice-chair)",
            "In attendance",
            "Olive Clerk",
            "Gus Guest",
            "Apologies",
            "Ali Apology",
            "Absent",
            "Abe Absent",
        ],
    )


def test_a_committee_can_list_attendees_by_name(client_for, secretary, attendance):
    committee = attendance.committee
    response = client_for(secretary).post(
        reverse("members:committee_edit", args=[committee.slug]),
        {
            "name": committee.name,
            "minutes_visibility": committee.minutes_visibility,
            "attendee_order": "name",
        },
    )
    assert response.status_code == 302
    assert Committee.objects.get(pk=committee.pk).attendee_order == Committee.AttendeeOrder.NAME
    text = pdf_text(minutes_for_meeting(meeting=attendance))
    assert reference.in_order(text, ["Carl Young (Chair)", "Zoe Adams", "Ann Brown"])
    present = text[text.index("Present") : text.index("In attendance")]
    assert present.index("Zoe Adams") < present.index("Ann Brown")


def test_the_meeting_reference_prints_above_the_title(meeting):
    meeting.reference = "Meeting #3"
    meeting.save()
    text = pdf_text(minutes_for_meeting(meeting=meeting))
    assert reference.in_order(text, ["Meeting #3", "Minutes of the meeting held on"])


# -- Historic minutes -------------------------------------------------------------------


def test_historic_minutes_are_published_in_their_own_words_with_nothing_generated(
    meeting, secretary
):
    AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.APOLOGIES, title="Apologies")
    AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.MATTERS_ARISING, title="Matters")
    minutes = minutes_for_meeting(meeting=meeting)

    minutes_publish_historic(
        minutes=minutes,
        by=secretary,
        approval_wording="Signed by the Chair as a correct record, 2 November 2016",
        approved_on=datetime.date(2016, 11, 2),
    )

    version = published_version(minutes)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED
    assert minutes.approval == Minutes.Approval.AS_WRITTEN
    assert version.confirmed
    text = pdf_text(minutes)
    assert "Signed by the Chair as a correct record, 2 November 2016" in text
    assert "There were no apologies." not in text
    assert "Approved as a correct record" not in text


def test_historic_minutes_need_their_words_of_approval(meeting, secretary):
    from minutes.services import WorkflowError

    minutes = minutes_for_meeting(meeting=meeting)
    with pytest.raises(WorkflowError, match="Give the words"):
        minutes_publish_historic(minutes=minutes, by=secretary, approval_wording="  ")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
