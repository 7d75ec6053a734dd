"""Formal record conventions, typed in the workspace and printed on the page and in the PDF:
action references and several owners, approval by correspondence or at a meeting not
recorded here, the next meeting as text, item numbers as typed, and the meeting's reference."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from meetings.models import AgendaItem, Meeting
from meetings.tests.factories import AgendaItemFactory, MeetingFactory, VenueFactory
from members.tests.factories import PersonFactory
from minutes.document import build_document, render_html
from minutes.models import Minutes
from minutes.services import minutes_for_meeting, render_minutes_pdf
from minutes.tests import reference
from minutes.tests.factories import published_version

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def pdf_text(minutes) -> str:
    data = render_minutes_pdf(build_document(minutes))
    pages = PdfReader(io.BytesIO(data)).pages
    return reference.normalise(" ".join(page.extract_text() for page in pages))


def page_text(client, meeting) -> str:
    """The working copy as the secretariat reads it online."""
    url = reverse("minutes:draft", args=[meeting.committee.slug, meeting.date])
    return client.get(url).content.decode()


@pytest.fixture
def meeting(committee):
    return MeetingFactory(
        committee=committee, date=datetime.date(2016, 10, 5), venue=VenueFactory()
    )


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, number="2", title="Software")


@pytest.fixture
def people():
    return [
        PersonFactory(given_name="Tom", family_name="Green", initials="TG"),
        PersonFactory(given_name="Beth", family_name="Mills", initials="BM"),
        PersonFactory(given_name="Sue", family_name="Hart", initials="SH"),
    ]


def add_action(client, item, *, owners, reference="", text="Write the release notes."):
    prefix = f"new-action-{item.pk}"
    return client.post(
        reverse("minutes:action_add", args=[item.pk]),
        {
            f"{prefix}-reference": reference,
            f"{prefix}-text": text,
            f"{prefix}-owners": owners,
            f"{prefix}-due_date": "",
        },
    )


# -- Actions: references and several owners ---------------------------------------------


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("TG & BM", "TG & BM"),
        ("tg and Beth Mills", "TG and BM"),
        ("BM, TG & sh", "BM, TG & SH"),
        ("TG,BM", "TG, BM"),
    ],
)
def test_several_owners_print_as_the_secretary_joined_them(
    client_for, secretary, item, people, typed, printed
):
    client = client_for(secretary)
    response = add_action(client, item, owners=typed, reference="2.10")

    assert response.status_code == 302
    action = item.actions.get()
    assert {p.initials for p in action.owners.all()} == set(
        printed.replace("and", ",").replace("&", ",").replace(" ", "").split(",")
    )
    assert f"Action: {escape(printed)}" in page_text(client, item.meeting)
    text = pdf_text(action.minutes)
    assert f"2.10 Write the release notes. Action: {printed}" in text


def test_the_summary_of_actions_gives_each_actions_reference(client_for, secretary, item, people):
    client = client_for(secretary)
    add_action(client, item, owners="TG & BM", reference="2.10")

    text = pdf_text(item.actions.get().minutes)
    summary = text[text.index("Summary of actions") :]
    assert "Ref." in summary
    assert "2.10 Write the release notes. TG & BM" in summary


def test_an_unknown_owner_is_refused_next_to_the_field_keeping_what_was_typed(
    client_for, secretary, item, people
):
    response = add_action(client_for(secretary), item, owners="TG & XY", reference="2.11")

    page = response.content.decode()
    assert response.status_code == 200
    assert "No one has the initials or name “XY”." in page
    assert 'value="TG &amp; XY"' in page
    assert 'value="2.11"' in page
    assert not item.actions.exists()


def test_editing_an_action_shows_its_owners_as_written(client_for, secretary, item, people):
    client = client_for(secretary)
    add_action(client, item, owners="TG & BM", reference="2.10")

    page = client.get(reverse("minutes:take", args=[item.meeting.pk])).content.decode()
    action = item.actions.get()
    assert f'name="action-{action.pk}-owners"' in page
    assert 'value="TG &amp; BM"' in page
    assert 'value="2.10"' in page


def test_owners_written_go_stale_safely_when_someone_changes_their_initials(
    client_for, secretary, item, people
):
    client = client_for(secretary)
    add_action(client, item, owners="TG & BM")
    tom = people[0]
    tom.initials = "TWG"
    tom.save()

    text = pdf_text(item.actions.get().minutes)
    assert "Action: TWG, BM" in text
    assert "TG & BM" not in text


# -- How the minutes were approved -------------------------------------------------------


def approve(client, meeting, data):
    return client.post(reverse("minutes:workflow_step", args=[meeting.pk, "approve"]), data)


def test_minutes_approved_by_correspondence_say_so_on_the_page_and_in_the_pdf(
    client_for, secretary, item
):
    client = client_for(secretary)
    minutes = minutes_for_meeting(meeting=item.meeting)

    response = approve(client, item.meeting, {"how": "correspondence", "on": "2016-10-20"})

    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    sentence = "Approved as a correct record by correspondence on Thursday 20 October 2016"
    assert sentence in pdf_text(minutes)
    assert sentence in page_text(client, item.meeting)
    workflow = client.get(reverse("minutes:workflow", args=[item.meeting.pk])).content.decode()
    assert sentence in workflow
    assert "approved Thursday" not in workflow


def test_approval_by_correspondence_needs_no_date(client_for, secretary, item):
    client = client_for(secretary)
    minutes = minutes_for_meeting(meeting=item.meeting)

    approve(client, item.meeting, {"how": "correspondence"})

    minutes.refresh_from_db()
    assert minutes.approved_on is None
    text = pdf_text(minutes)
    assert "Approved as a correct record by correspondence" in text
    assert "by correspondence on" not in text


def test_minutes_approved_at_a_meeting_not_recorded_here_say_so(client_for, secretary, item):
    client = client_for(secretary)
    minutes = minutes_for_meeting(meeting=item.meeting)

    approve(client, item.meeting, {"how": "unrecorded-meeting", "on": "2016-12-07"})

    minutes.refresh_from_db()
    assert (
        "Approved as a correct record at a meeting not recorded here on Wednesday 7 December 2016"
        in pdf_text(minutes)
    )


def test_historic_minutes_are_approved_in_their_own_words(client_for, secretary, item):
    client = client_for(secretary)
    minutes = minutes_for_meeting(meeting=item.meeting)
    wording = "Signed by the Chair as a correct record, 3 November 2016"

    approve(client, item.meeting, {"how": "as-written", "wording": wording})

    minutes.refresh_from_db()
    text = pdf_text(minutes)
    assert wording in text
    assert "Approved as a correct record" not in text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"how": "as-written"},
            "wording",
            "Type the words with which the minutes record approval.",
        ),
        ({"how": "date"}, "on", "Give the date on which they were approved."),
        ({"how": "meeting"}, "at_meeting", "Choose the meeting that approved them."),
        (
            {"how": "correspondence", "on": "2016-10-01"},
            "on",
            "Minutes cannot be approved before the meeting took place.",
        ),
    ],
)
def test_an_incomplete_approval_is_refused_next_to_its_field(
    client_for, secretary, item, data, field, message
):
    minutes = minutes_for_meeting(meeting=item.meeting)
    response = approve(client_for(secretary), item.meeting, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert escape(message) in page
    # The message is rendered with the field it is about.
    assert page.index(f'id="id_{field}"') < page.index(escape(message)) or field == "how"
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT


# -- The next meeting as text ------------------------------------------------------------


def edit_meeting(client, meeting, **changes):
    data = {
        "date": meeting.date.isoformat(),
        "start_time": "",
        "end_time": "",
        "venue": meeting.venue_id or "",
        "status": meeting.status,
        "reference": meeting.reference,
        "next_meeting_text": meeting.next_meeting_text,
        "item_numbering": meeting.item_numbering,
        **changes,
    }
    return client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), data)


def test_the_next_meeting_without_a_date_prints_as_typed_in_the_minutes_and_the_agenda(
    client_for, secretary, meeting
):
    AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.FUTURE_MEETINGS, title="Next meeting")
    client = client_for(secretary)

    response = edit_meeting(
        client, meeting, next_meeting_text="early February 2017;  date to be confirmed"
    )

    assert response.status_code == 302
    line = "Next meeting: early February 2017; date to be confirmed"
    assert line in pdf_text(minutes_for_meeting(meeting=meeting))
    agenda = client.get(reverse("meetings:agenda", args=[meeting.committee.slug, meeting.date]))
    assert line in agenda.content.decode()
    assert "No further meetings are scheduled." not in agenda.content.decode()


def test_with_no_date_and_no_text_the_agenda_still_says_no_meetings_are_scheduled(
    client_for, secretary, meeting
):
    AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.FUTURE_MEETINGS, title="Next meeting")
    agenda = client_for(secretary).get(
        reverse("meetings:agenda", args=[meeting.committee.slug, meeting.date])
    )
    assert "No further meetings are scheduled." in agenda.content.decode()


def test_the_next_meeting_prints_at_the_end_when_no_item_gives_the_dates(
    client_for, secretary, item
):
    edit_meeting(client_for(secretary), item.meeting, next_meeting_text="co-located with NoBUGS")

    text = pdf_text(minutes_for_meeting(meeting=item.meeting))
    assert text.index("Software") < text.index("Next meeting: co-located with NoBUGS")


# -- Item numbers as typed, and the meeting's reference ---------------------------------


def test_items_numbered_as_typed_keep_gaps_and_minute_references(client_for, secretary, committee):
    meeting = MeetingFactory(committee=committee, date=datetime.date(2023, 5, 10))
    client = client_for(secretary)
    edit_meeting(client, meeting, item_numbering="as-typed", reference="Meeting #3")
    new_item = reverse("meetings:agenda_item_new", args=[meeting.pk])
    for number, title in (("5", "Budget"), ("7", "Planning"), ("23/045", "Footpaths")):
        response = client.post(new_item, {"number": number, "title": title, "kind": "ordinary"})
        assert response.status_code == 302, response.content.decode()

    meeting = Meeting.objects.get(pk=meeting.pk)
    assert [i.number for i in meeting.agenda_items.order_by("position")] == ["5", "7", "23/045"]
    text = pdf_text(minutes_for_meeting(meeting=meeting))
    assert reference.in_order(
        text,
        ["Meeting #3", "Minutes of the meeting", "5. Budget", "7. Planning", "23/045 Footpaths"],
    )
    assert "6." not in text


def test_a_number_already_used_on_the_agenda_is_refused_next_to_the_field(
    client_for, secretary, committee
):
    meeting = MeetingFactory(committee=committee, item_numbering=Meeting.ItemNumbering.AS_TYPED)
    AgendaItemFactory(meeting=meeting, number="7", title="Planning")

    response = client_for(secretary).post(
        reverse("meetings:agenda_item_new", args=[meeting.pk]),
        {"number": "7", "title": "Footpaths", "kind": "ordinary"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert escape("“Planning” already has the number 7: give this item another.") in page
    assert 'value="Footpaths"' in page


def test_numbering_made_automatic_again_renumbers_the_agenda(client_for, secretary, committee):
    meeting = MeetingFactory(committee=committee, item_numbering=Meeting.ItemNumbering.AS_TYPED)
    AgendaItemFactory(meeting=meeting, number="5", title="Budget")
    AgendaItemFactory(meeting=meeting, number="23/045", title="Footpaths")

    edit_meeting(client_for(secretary), meeting, item_numbering="automatic")

    assert list(meeting.agenda_items.values_list("number", flat=True)) == ["1", "2"]


def test_an_automatically_numbered_agenda_offers_no_number_field(client_for, secretary, meeting):
    page = client_for(secretary).get(reverse("meetings:agenda_item_new", args=[meeting.pk]))
    assert 'name="number"' not in page.content.decode()


def test_the_rendered_document_is_the_same_html_for_the_page_and_the_pdf(item):
    document = build_document(minutes_for_meeting(meeting=item.meeting))
    assert "Software" in render_html(document)


def test_published_minutes_keep_the_conventions_they_were_published_with(
    client_for, secretary, item, people
):
    client = client_for(secretary)
    add_action(client, item, owners="TG & BM", reference="2.10")
    meeting = item.meeting
    edit_meeting(client, meeting, reference="Meeting #3", next_meeting_text="early 2017")
    minutes = minutes_for_meeting(meeting=meeting)
    approve(client, meeting, {"how": "correspondence"})
    client.post(reverse("minutes:workflow_step", args=[meeting.pk, "publish"]))
    published_version(minutes)  # the worker renders and commits the version
    minutes.refresh_from_db()
    assert minutes.is_published

    # Later changes to the working copy's sources do not reach the published record.
    Meeting.objects.filter(pk=meeting.pk).update(reference="Meeting #4", next_meeting_text="")
    people[0].initials = "TWG"
    people[0].save()

    url = reverse("minutes:meeting", args=[meeting.committee.slug, meeting.date])
    page = client.get(url).content.decode()
    for printed in (
        "Meeting #3",
        "2.10",
        "Action: TG &amp; BM",
        "Next meeting: early 2017",
        "Approved as a correct record by correspondence",
    ):
        assert printed in page
    assert "Meeting #4" not in page
