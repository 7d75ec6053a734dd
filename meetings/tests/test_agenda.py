"""The published agenda, online and as PDF: who sees it, and what it says."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from config.tests.tasks import run_tasks
from meetings.models import Meeting
from meetings.services import agenda_item_add, agenda_publish
from meetings.tests.conftest import h1_count, pdf_text, reader_pdf
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from members.models import Committee
from members.tests.factories import PersonFactory
from minutes.services import minutes_publish_correction, minutes_start_correction
from minutes.tests.factories import ActionFactory, MinutesFactory, publish, published_version

pytestmark = pytest.mark.django_db

NOVEMBER, JANUARY, MARCH, MAY = (
    datetime.date(2009, 11, 16),
    datetime.date(2010, 1, 18),
    datetime.date(2010, 3, 15),
    datetime.date(2010, 5, 17),
)


def page(meeting):
    return reverse("meetings:agenda", kwargs=meeting.url_kwargs())


def pdf(meeting):
    return reverse("meetings:agenda_pdf", kwargs=meeting.url_kwargs())


@pytest.fixture
def january(scheduled):
    """The meeting of 18 January 2010, after November's (published, with an open action)
    and before March's; May's is cancelled."""
    november = scheduled(NOVEMBER)
    november.status = Meeting.Status.HELD
    november.save()
    action = ActionFactory(
        minutes=MinutesFactory(meeting=november),
        agenda_item=november.agenda_items.get(kind="aob"),
        text="Draft a letter of thanks to Jim Haslem",
        owners=[PersonFactory(initials="SH")],
    )
    publish(action.minutes, by=None)
    january = scheduled(JANUARY)
    scheduled(MARCH)
    may = scheduled(MAY)
    may.status = Meeting.Status.CANCELLED
    may.save()
    agenda_item_add(
        meeting=january,
        title="Update on Strategy for Policy",
        presenter="Martin Ferguson",
        description="The **four** priority areas.\n\n<script>alert(1)</script>",
    )
    return january


@pytest.fixture
def published(january, secretary):
    return agenda_publish(meeting=january, by=secretary)


# -- Who sees it --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "member", "outsider"])
@pytest.mark.parametrize("where", [page, pdf], ids=["page", "pdf"])
def test_an_unpublished_agenda_is_not_found_except_by_the_secretariat(
    client_for, member, outsider, january, role, where
):
    user = {"anonymous": None, "member": member, "outsider": outsider}[role]
    assert client_for(user).get(where(january)).status_code == 404


@pytest.mark.parametrize("role", ["secretary", "superuser"])
def test_the_secretariat_previews_an_unpublished_agenda(
    client_for, secretary, superuser, january, role
):
    response = client_for({"secretary": secretary, "superuser": superuser}[role]).get(page(january))
    assert response.status_code == 200
    assert "This agenda is not published" in response.content.decode()


HEADING = "Agenda for the meeting on Monday 18 January 2010"


def test_a_published_agenda_of_a_members_only_committee_is_for_its_members(
    client_for, member, outsider, published
):
    assert HEADING in client_for(member).get(page(published)).content.decode()
    assert "Update on Strategy for Policy" in pdf_text(reader_pdf(client_for(member), published))
    assert client_for(outsider).get(page(published)).status_code == 404
    assert reader_pdf(client_for(outsider), published).status_code == 404
    response = client_for(None).get(page(published))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_published_agenda_of_a_public_committee_is_for_everyone(
    client_for, committee, outsider, published
):
    committee.minutes_visibility = Committee.Visibility.PUBLIC
    committee.save()
    assert HEADING in client_for(None).get(page(published)).content.decode()
    assert "Update on Strategy for Policy" in pdf_text(reader_pdf(client_for(outsider), published))


@pytest.mark.parametrize(
    "who, visibility, sees",
    [
        ("member", Committee.Visibility.MEMBERS, "link"),
        ("anonymous", Committee.Visibility.MEMBERS, "The agenda is published for members."),
        ("outsider", Committee.Visibility.MEMBERS, "The agenda is for members of"),
        ("anonymous", Committee.Visibility.PUBLIC, "link"),
    ],
)
def test_the_meeting_page_links_the_agenda_only_for_those_who_may_read_it(
    client_for, committee, member, outsider, published, who, visibility, sees
):
    committee.minutes_visibility = visibility
    committee.save()
    user = {"member": member, "outsider": outsider, "anonymous": None}[who]

    meeting_page = client_for(user).get(published.get_absolute_url()).text

    links = page(published) in meeting_page, pdf(published) in meeting_page
    if sees == "link":
        assert links == (True, True)
    else:
        assert links == (False, False), "no link that would only refuse them"
        assert sees in meeting_page


def test_the_agenda_of_a_meeting_that_does_not_exist_is_not_found(client_for, secretary, committee):
    url = reverse("meetings:agenda", args=[committee.slug, "2010-02-01"])
    assert client_for(secretary).get(url).status_code == 404


# -- What it says -------------------------------------------------------------------


def test_the_agenda_lists_the_items_numbered_with_the_standard_items_filled_in(
    client_for, member, published
):
    response = client_for(member).get(page(published))
    assert h1_count(response) == 1
    html = response.content.decode()
    titles = [
        "1.</span> Apologies",
        "2.</span> Minutes of the last meeting",
        "3.</span> Matters arising",
        "4.</span> Update on Strategy for Policy",
        "5.</span> Any other business",
        "6.</span> Dates of future meetings",
    ]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Agenda for the meeting on Monday 18 January 2010" in html
    assert "at 10:30, Siemens, Hillgate House" in html
    # Minutes of the last meeting: linked to that meeting's minutes page.
    november_page = reverse("minutes:meeting", args=["socitm-futures", "2009-11-16"])
    assert f'<a href="{november_page}">Monday 16 November 2009</a>' in html
    # Matters arising: the committee's open actions.
    assert "Draft a letter of thanks to Jim Haslem" in html
    assert "<td>SH</td>" in html
    # Dates of future meetings: the scheduled ones, not the cancelled one.
    assert "Monday 15 March 2010 at 10:30" in html
    assert "Monday 17 May 2010" not in html
    # The description, as sanitised Markdown.
    assert "Introduced by Martin Ferguson" in html
    assert "<strong>four</strong>" in html
    assert "<script>alert" not in html


def test_actions_in_draft_minutes_are_listed_for_the_secretariat_but_never_for_readers(
    client_for, member, secretary, committee, published
):
    committee.minutes_visibility = Committee.Visibility.PUBLIC
    committee.save()
    december = MeetingFactory(committee=committee, date=datetime.date(2009, 12, 14))
    ActionFactory(
        minutes=MinutesFactory(meeting=december),
        agenda_item=AgendaItemFactory(meeting=december),
        text="Commission the Haslem portrait",
    )
    for reader in (None, member):
        assert "Haslem portrait" not in client_for(reader).get(page(published)).content.decode()
        assert "Haslem portrait" not in pdf_text(reader_pdf(client_for(reader), published))
    assert "Haslem portrait" in client_for(secretary).get(page(published)).content.decode()


def test_the_pdf_holds_every_item_title_and_the_running_footer(client_for, member, published):
    response = reader_pdf(client_for(member), published)
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="socitm-futures-agenda-2010-01-18.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    for title in (
        "Apologies",
        "Minutes of the last meeting",
        "Matters arising",
        "Update on Strategy for Policy",
        "Any other business",
        "Dates of future meetings",
        "Draft a letter of thanks to Jim Haslem",
    ):
        assert title in text
    assert "Socitm Futures · Agenda for 18 January 2010 · Page 1 of 1" in text
    assert "DRAFT" not in text


def test_the_preview_pdf_is_marked_draft_and_not_stored_by_browsers(client_for, secretary, january):
    response = client_for(secretary).get(pdf(january))
    assert "no-store" in response["Cache-Control"]
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Draft agenda" in text
    assert "Page 1 of" in text


@pytest.mark.parametrize("where", [page, pdf], ids=["page", "pdf"])
def test_the_agenda_refuses_post(client_for, secretary, january, where):
    assert client_for(secretary).post(where(january)).status_code == 405


# -- Cost ---------------------------------------------------------------------------


def grow(meeting, size):
    """Add ``size`` items with two sub-items each, and ``size`` more open actions."""
    earlier = Meeting.objects.before(meeting).first()
    minutes_start_correction(minutes=earlier.minutes, by=None)
    for n in range(size):
        main = agenda_item_add(meeting=meeting, title=f"Topic {n}", presenter="Glyn Evans")
        agenda_item_add(meeting=meeting, title=f"Topic {n}, part one", parent=main)
        agenda_item_add(meeting=meeting, title=f"Topic {n}, part two", parent=main)
        ActionFactory(
            minutes=earlier.minutes,
            agenda_item=earlier.agenda_items.get(kind="aob"),
            text=f"Action {n}",
            owners=[PersonFactory(), PersonFactory()],
        )
    minutes_publish_correction(minutes=earlier.minutes, by=None, reason="Actions were missed.")
    published_version(earlier.minutes)


@pytest.mark.parametrize("size", [0, 8])
def test_the_agenda_page_costs_the_same_queries_however_long_it_is(
    client_for, member, published, size, django_assert_num_queries
):
    grow(published, size)
    client = client_for(member)
    # Whether the member may read the agenda is asked in the query that loads the meeting.
    with django_assert_num_queries(8):
        response = client.get(page(published))
    assert response.content.decode().count('class="minutes-item ') == 6 + 3 * size


# -- The PDF, from storage ----------------------------------------------------------


def test_readers_get_the_agenda_pdf_rendered_once_per_revision_from_storage(
    client_for, member, published, secretary, monkeypatch
):
    from meetings import agenda_pdf

    renders = []
    render = agenda_pdf.html_to_pdf
    monkeypatch.setattr(agenda_pdf, "html_to_pdf", lambda html: renders.append(1) or render(html))
    client = client_for(member)

    first = client.get(pdf(published))
    assert first.status_code == 503, "not made yet: the worker makes it"
    assert first["Retry-After"] == "10"
    assert "being prepared" in first.content.decode()
    run_tasks(after=datetime.timedelta(seconds=10))
    for _ in range(3):
        response = client.get(pdf(published))
        assert response.status_code == 200
        assert "Update on Strategy for Policy" in pdf_text(response)
    assert len(renders) == 1

    agenda_item_add(meeting=published, title="Budget for 2010/11")
    assert "Budget for 2010/11" in pdf_text(reader_pdf(client, published))
    assert len(renders) == 2
