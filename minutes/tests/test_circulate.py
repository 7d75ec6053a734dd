"""Circulating minutes: one email per current member, the PDF attached, sent by the worker."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.tests.factories import MeetingFactory
from members.tests.factories import MembershipFactory, PersonFactory, UserFactory
from minutes.models import MinutesEvent, PendingCirculation
from minutes.services import (
    WorkflowError,
    circulation_complete,
    item_minute_save,
    minutes_approve,
    minutes_circulate,
    minutes_publish,
)
from minutes.tests.factories import ActionFactory, ItemMinuteFactory, publish, published_version
from outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes(committee):
    meeting = MeetingFactory(committee=committee, date=datetime.date(2009, 11, 16))
    return ItemMinuteFactory(minutes__meeting=meeting, text="Glyn enquired.").minutes


@pytest.fixture
def members(committee):
    """Current members with an address (their own or their login's), one without, one past."""
    with_own = PersonFactory(given_name="Suzanne", family_name="Horner", email="sh@example.org")
    with_login = PersonFactory(
        given_name="Glyn", family_name="Evans", user=UserFactory(email="ge@example.org")
    )
    both = PersonFactory(
        given_name="Ian",
        family_name="Cooper",
        email="ic@example.org",
        user=UserFactory(email="ian.login@example.org"),
    )
    without = PersonFactory(given_name="Neil", family_name="Moore", email="")
    past = PersonFactory(given_name="Jim", family_name="Haslem", email="jh@example.org")
    for person in (with_own, with_login, both, without):
        MembershipFactory(committee=committee, person=person)
    MembershipFactory(committee=committee, person=both, role="chair")
    MembershipFactory(
        committee=committee,
        person=past,
        start_date=datetime.date(2005, 1, 1),
        end_date=datetime.date(2009, 12, 31),
    )
    return {"suzanne": with_own, "glyn": with_login, "ian": both, "neil": without, "jim": past}


def pdf_text(message):
    ((filename, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return filename, " ".join(text.split())


def addresses(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_the_draft_goes_to_each_current_member_with_an_address_with_a_draft_pdf(
    minutes, members, secretary, mailoutbox, run_tasks
):
    circulation = minutes_circulate(minutes=minutes, by=secretary)
    run_tasks()

    assert addresses(mailoutbox) == [
        "Glyn Evans <ge@example.org>",
        "Ian Cooper <ic@example.org>",
        "Suzanne Horner <sh@example.org>",
    ]
    assert circulation.not_sent == ["Neil Moore"]
    filename, text = pdf_text(mailoutbox[0])
    assert filename == "socitm-futures-minutes-2009-11-16-draft.pdf"
    assert "Monday 16 November 2009" in text
    assert "DRAFT" in text
    assert mailoutbox[0].subject == "Draft minutes: Socitm Futures, Monday 16 November 2009"
    html, mimetype = mailoutbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert "Monday 16 November 2009" in html


def test_nothing_is_rendered_or_sent_until_the_worker_does_it(
    minutes, members, secretary, mailoutbox, run_tasks
):
    minutes_circulate(minutes=minutes, by=secretary)

    assert mailoutbox == []
    assert not OutgoingEmail.objects.exists(), "the PDF renders in the worker, not the request"
    assert PendingCirculation.objects.count() == 1
    run_tasks()
    assert len(mailoutbox) == 3
    assert not PendingCirculation.objects.exists()


def test_the_draft_goes_out_as_it_stood_when_it_was_circulated(
    minutes, members, secretary, mailoutbox, run_tasks
):
    minutes_circulate(minutes=minutes, by=secretary)
    item_minute = minutes.item_minutes.get()
    item_minute_save(
        agenda_item=item_minute.agenda_item,
        text="Written after circulating.",
        expected_revision=item_minute.revision,
        by=secretary,
    )
    run_tasks()

    _, text = pdf_text(mailoutbox[0])
    assert "Glyn enquired." in text
    assert "Written after circulating." not in text


def test_a_circulation_run_twice_queues_each_email_once(minutes, members, secretary, run_tasks):
    # A worker killed after queuing: its task is run again by recovery.
    minutes_circulate(minutes=minutes, by=secretary)
    event = MinutesEvent.objects.get(kind=MinutesEvent.Kind.CIRCULATED)

    assert circulation_complete(event_id=event.pk) == 3
    assert circulation_complete(event_id=event.pk) == 0
    run_tasks()
    assert event.emails.status_counts() == {"sent": 3}


def test_the_circulation_is_recorded_with_how_many_were_sent_it(
    minutes, members, secretary, run_tasks
):
    minutes_circulate(minutes=minutes, by=secretary)
    run_tasks()

    event = MinutesEvent.objects.get(minutes=minutes, kind=MinutesEvent.Kind.CIRCULATED)
    assert event.by == secretary
    assert event.note == "The draft was queued for emailing to 3 members; 1 had no email address"
    assert event.emails.status_counts() == {"sent": 3}


def test_published_minutes_go_out_as_the_stored_pdf_with_a_link(
    minutes, members, secretary, mailoutbox, run_tasks, settings
):
    minutes_approve(minutes=minutes, by=secretary, on=minutes.meeting.date)
    minutes_publish(minutes=minutes, by=secretary)
    version = published_version(minutes)
    stored = version.pdf.open("rb").read()

    minutes_circulate(minutes=minutes, by=secretary)
    run_tasks()

    assert len(mailoutbox) == 3
    ((filename, content, _),) = mailoutbox[0].attachments
    assert content == stored
    assert filename == "socitm-futures-minutes-2009-11-16.pdf"
    assert mailoutbox[0].subject == "Minutes: Socitm Futures, Monday 16 November 2009"
    assert settings.SITE_URL + minutes.meeting.get_absolute_url() in mailoutbox[0].body
    assert "DRAFT" not in pdf_text(mailoutbox[0])[1]
    assert MinutesEvent.objects.get(kind=MinutesEvent.Kind.CIRCULATED).version == version


def test_a_draft_email_has_no_link_members_could_not_open(
    minutes, members, secretary, mailoutbox, run_tasks
):
    minutes_circulate(minutes=minutes, by=secretary)
    run_tasks()

    assert "http" not in mailoutbox[0].body


def test_each_member_is_told_of_their_own_actions(
    minutes, members, secretary, mailoutbox, run_tasks
):
    item = minutes.item_minutes.get().agenda_item
    ActionFactory(minutes=minutes, agenda_item=item, text="Thank Jim.", owners=[members["suzanne"]])

    minutes_circulate(minutes=minutes, by=secretary)
    run_tasks()

    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert "Thank Jim." in bodies["Suzanne Horner <sh@example.org>"]
    assert "Thank Jim." not in bodies["Glyn Evans <ge@example.org>"]


def test_circulating_to_nobody_is_refused(minutes, secretary, mailoutbox):
    MembershipFactory(committee=minutes.meeting.committee, person=PersonFactory(email=""))

    with pytest.raises(WorkflowError, match="has an email address"):
        minutes_circulate(minutes=minutes, by=secretary)

    assert not MinutesEvent.objects.exists()


# -- The circulate step on the workflow page --------------------------------------------


def circulate_url(minutes):
    return reverse("minutes:workflow_step", args=[minutes.meeting.pk, "circulate"])


def test_the_confirmation_lists_who_will_and_will_not_be_sent_the_minutes(
    client_for, secretary, minutes, members
):
    response = client_for(secretary).get(circulate_url(minutes))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Suzanne Horner &lt;sh@example.org&gt;" in page
    assert "Not to be emailed: no email address" in page
    assert "Neil Moore" in page
    assert "Jim Haslem" not in page


def test_circulating_from_the_page_sends_and_reports_who_was_missed(
    client_for, secretary, minutes, members, mailoutbox, run_tasks
):
    response = client_for(secretary).post(circulate_url(minutes), follow=True)

    page = response.content.decode()
    assert mailoutbox == []
    assert (
        "The minutes are being emailed to 3 members: the history shows when each email is sent."
        " Not sent to Neil Moore: no email address." in page
    )
    assert "Email: being prepared." in page
    assert 'role="status"' in page
    run_tasks()
    assert len(mailoutbox) == 3
    history = client_for(secretary).get(reverse("minutes:workflow", args=[minutes.meeting.pk]))
    assert "Email: 3 sent." in history.content.decode()


def test_circulating_to_nobody_from_the_page_says_why(client_for, secretary, minutes, mailoutbox):
    response = client_for(secretary).post(circulate_url(minutes))

    assert response.status_code == 200
    assert "No current member of Socitm Futures has an email address." in response.content.decode()
    assert mailoutbox == []


def test_the_history_costs_the_same_queries_for_one_circulation_or_five(
    client_for,
    secretary,
    minutes,
    members,
    run_tasks,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    client = client_for(secretary)
    url = reverse("minutes:workflow", args=[minutes.meeting.pk])
    minutes_circulate(minutes=minutes, by=secretary)
    run_tasks()
    client.get(url)  # warm: session, permissions
    with django_assert_max_num_queries(30) as one:
        assert client.get(url).content.decode().count("Email: 3 sent.") == 1

    for _ in range(4):
        minutes_circulate(minutes=minutes, by=secretary)
    run_tasks()
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("Email: 3 sent.") == 5


def test_a_circulation_whose_pdf_cannot_be_made_says_so_and_sends_nothing(
    client_for, minutes, members, secretary, mailoutbox, run_tasks, settings, tmp_path
):
    version = publish(minutes, by=secretary)
    # The stored PDF is lost, and storage cannot take the one rendered again.
    (tmp_path / "a-file").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"
    assert not version.pdf.storage.exists(version.pdf.name)

    minutes_circulate(minutes=minutes, by=secretary)
    run_tasks()

    assert mailoutbox == []
    assert not OutgoingEmail.objects.exists()
    history = client_for(secretary).get(reverse("minutes:workflow", args=[minutes.meeting.pk]))
    page = history.content.decode()
    assert "Email: being prepared." not in page
    assert "Email: not sent. The PDF could not be made (" in page
    assert "No email was sent. Circulate them again" in page
