"""The members' site: who sees what, on every page, PDF, list, feed and search result."""

import datetime
import hashlib
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory
from members.models import Committee
from members.tests.factories import CommitteeFactory, MembershipFactory, PersonFactory
from minutes.services import minutes_start_correction
from minutes.tests.factories import (
    ActionFactory,
    DecisionFactory,
    ItemMinuteFactory,
    publish,
    published_version,
)

pytestmark = pytest.mark.django_db

PUBLISHED_WORD = "Pomegranate"
DRAFT_WORD = "Quartermaster"
ROLES = ["anonymous", "outsider", "member", "secretary", "superuser"]


@pytest.fixture
def cast(member, outsider, secretary, superuser):
    return {
        "anonymous": None,
        "outsider": outsider,
        "member": member,
        "secretary": secretary,
        "superuser": superuser,
    }


def minutes_with(committee, date, word, **extra):
    meeting = MeetingFactory(committee=committee, date=date)
    return ItemMinuteFactory(
        minutes__meeting=meeting, text=f"{word} was discussed.", **extra
    ).minutes


@pytest.fixture
def published(committee, secretary):
    minutes = minutes_with(committee, datetime.date(2009, 11, 16), PUBLISHED_WORD)
    publish(minutes, by=secretary)
    return minutes


@pytest.fixture
def draft(committee):
    return minutes_with(committee, datetime.date(2010, 1, 18), DRAFT_WORD)


def url(name, minutes, **kwargs):
    return reverse(name, kwargs={**minutes.meeting.url_kwargs(), **kwargs})


# -- The permission matrix --------------------------------------------------------

LOGIN = "login"
# For each URL of a members-only committee: what each role gets.
MATRIX = {
    "published page": (
        lambda p, d: url("minutes:meeting", p),
        {"anonymous": 200, "outsider": 200, "member": 200, "secretary": 200, "superuser": 200},
    ),
    "published pdf": (
        lambda p, d: url("minutes:pdf", p),
        {"anonymous": LOGIN, "outsider": 404, "member": 200, "secretary": 200, "superuser": 200},
    ),
    "published version page": (
        lambda p, d: url("minutes:version", p, number=1),
        {"anonymous": LOGIN, "outsider": 404, "member": 200, "secretary": 200, "superuser": 200},
    ),
    "published version pdf": (
        lambda p, d: url("minutes:version_pdf", p, number=1),
        {"anonymous": LOGIN, "outsider": 404, "member": 200, "secretary": 200, "superuser": 200},
    ),
    "draft meeting page": (
        lambda p, d: url("minutes:meeting", d),
        {"anonymous": 200, "outsider": 200, "member": 200, "secretary": 200, "superuser": 200},
    ),
    "draft pdf of a draft": (
        lambda p, d: url("minutes:pdf", d),
        {"anonymous": 404, "outsider": 404, "member": 404, "secretary": 404, "superuser": 404},
    ),
    "draft version pdf guessed": (
        lambda p, d: url("minutes:version_pdf", d, number=1),
        {"anonymous": 404, "outsider": 404, "member": 404, "secretary": 404, "superuser": 404},
    ),
    "working copy page": (
        lambda p, d: url("minutes:draft", d),
        {"anonymous": LOGIN, "outsider": 404, "member": 404, "secretary": 200, "superuser": 200},
    ),
    "working copy pdf": (
        lambda p, d: url("minutes:draft_pdf", d),
        {"anonymous": LOGIN, "outsider": 404, "member": 404, "secretary": 200, "superuser": 200},
    ),
    "committee page": (
        lambda p, d: p.meeting.committee.get_absolute_url(),
        {"anonymous": 200, "outsider": 200, "member": 200, "secretary": 200, "superuser": 200},
    ),
    "members-only feed": (
        lambda p, d: reverse("minutes:feed", kwargs={"slug": p.meeting.committee.slug}),
        {"anonymous": 404, "outsider": 404, "member": 404, "secretary": 404, "superuser": 404},
    ),
    "my actions": (
        lambda p, d: reverse("minutes:my_actions"),
        {"anonymous": LOGIN, "outsider": 200, "member": 200, "secretary": 200, "superuser": 200},
    ),
    "unpublished agenda": (
        lambda p, d: url("meetings:agenda", d),
        {"anonymous": 404, "outsider": 404, "member": 404, "secretary": 200, "superuser": 200},
    ),
    "committee statistics": (
        lambda p, d: reverse("minutes:committee_statistics", args=[p.meeting.committee.slug]),
        {"anonymous": LOGIN, "outsider": 404, "member": 200, "secretary": 200, "superuser": 200},
    ),
}

# The same URLs of a public committee: the published record is everyone's, drafts still nobody's.
PUBLIC_MATRIX = {
    "published page": MATRIX["published page"][0],
    "published pdf": MATRIX["published pdf"][0],
    "published version page": MATRIX["published version page"][0],
    "published version pdf": MATRIX["published version pdf"][0],
    "feed": MATRIX["members-only feed"][0],
    "committee statistics": MATRIX["committee statistics"][0],
}

# Which roles may read the content of the published and of the draft minutes.
READS_PUBLISHED = {"member", "secretary", "superuser"}
READS_DRAFT = {"secretary", "superuser"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_case", MATRIX)
def test_every_url_answers_each_role_as_it_should(
    client_for, cast, published, draft, url_case, role
):
    make_url, expected = MATRIX[url_case]
    target = make_url(published, draft)
    response = client_for(cast[role]).get(target)
    if expected[role] == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected[role]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if role not in READS_DRAFT:
        assert DRAFT_WORD.encode() not in body


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_case", PUBLIC_MATRIX)
def test_a_public_committees_published_record_answers_everyone_and_its_drafts_no_one(
    client_for, cast, secretary, url_case, role
):
    committee = CommitteeFactory(minutes_visibility=Committee.Visibility.PUBLIC)
    published = minutes_with(committee, datetime.date(2009, 11, 16), PUBLISHED_WORD)
    publish(published, by=secretary)
    draft = minutes_with(committee, datetime.date(2010, 1, 18), DRAFT_WORD)
    response = client_for(cast[role]).get(PUBLIC_MATRIX[url_case](published, draft))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if role not in READS_DRAFT:
        assert DRAFT_WORD.encode() not in body
    assert client_for(cast[role]).get(url("minutes:pdf", draft)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_published_minutes_page_shows_the_minutes_only_to_readers(
    client_for, cast, published, role
):
    response = client_for(cast[role]).get(url("minutes:meeting", published))
    assert (PUBLISHED_WORD in response.text) is (role in READS_PUBLISHED)
    if role == "anonymous":
        assert "Log in" in response.text


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_meeting_page_shows_the_draft_only_to_the_secretariat(
    client_for, cast, draft, role
):
    response = client_for(cast[role]).get(url("minutes:meeting", draft))
    assert (DRAFT_WORD in response.text) is (role in READS_DRAFT)
    if role in READS_DRAFT:
        assert "Working copy" in response.text


@pytest.mark.parametrize("role", ROLES)
def test_the_committee_page_lists_published_minutes_to_readers_and_drafts_to_the_secretariat(
    client_for, cast, published, draft, role
):
    response = client_for(cast[role]).get(published.meeting.committee.get_absolute_url())
    assert ("Monday 16 November 2009" in response.text) is (role in READS_PUBLISHED)
    assert (url("minutes:draft", draft) in response.text) is (role in READS_DRAFT)


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_published_minutes_for_readers_and_never_drafts(
    client_for, cast, published, draft, role
):
    client = client_for(cast[role])
    found = client.get(reverse("minutes:search"), {"q": PUBLISHED_WORD.lower()})
    assert (url("minutes:meeting", published) in found.text) is (role in READS_PUBLISHED)
    hidden = client.get(reverse("minutes:search"), {"q": DRAFT_WORD})
    assert url("minutes:meeting", draft) not in hidden.text
    assert "Nothing you can read matches" in hidden.text


@pytest.mark.parametrize("role", ROLES)
def test_the_home_page_lists_recent_published_minutes_only_to_readers_and_never_drafts(
    client_for, cast, published, draft, role
):
    response = client_for(cast[role]).get(reverse("home"))
    assert (url("minutes:meeting", published) in response.text) is (role in READS_PUBLISHED)
    assert url("minutes:meeting", draft) not in response.text


def test_an_action_from_draft_minutes_is_not_in_my_actions_until_published(
    client_for, member, draft, secretary
):
    person = member.person
    ActionFactory(minutes=draft, text="Write to the Treasury", owners=[person])
    assert "Write to the Treasury" not in client_for(member).get(reverse("minutes:my_actions")).text
    publish(draft, by=secretary)
    page = client_for(member).get(reverse("minutes:my_actions")).text
    assert "Write to the Treasury" in page


def test_my_actions_say_in_words_which_are_overdue(client_for, member, committee, secretary):
    minutes = minutes_with(committee, datetime.date(2009, 11, 16), PUBLISHED_WORD)
    late = minutes.meeting.date + datetime.timedelta(days=30)
    for text, status, closed_on in [
        ("Write to the Treasury", "open", None),
        ("Thank Jim", "done", late),
    ]:
        ActionFactory(
            minutes=minutes,
            text=text,
            owners=[member.person],
            due_date=late,
            status=status,
            closed_on=closed_on,
        )
    publish(minutes, by=secretary)
    client = client_for(member)
    page = client.get(reverse("minutes:my_actions")).text
    page += client.get(reverse("minutes:my_actions") + "?show=closed").text
    rows = {row.split("</td>")[0].rsplit(">", 1)[-1]: row for row in page.split("<tr>")[1:]}
    assert ">Overdue</span>" in rows["Write to the Treasury"]
    assert ">Overdue</span>" not in rows["Thank Jim"]
    assert "<td>Done<br>" in rows["Thank Jim"]


# -- Public committees --------------------------------------------------------------


@pytest.fixture
def public_committee(secretary):
    return CommitteeFactory(
        name="Scrutiny Panel", slug="scrutiny", minutes_visibility=Committee.Visibility.PUBLIC
    )


def test_anyone_reads_and_downloads_a_public_committees_published_minutes(
    client, public_committee, secretary
):
    minutes = minutes_with(public_committee, datetime.date(2010, 3, 15), PUBLISHED_WORD)
    publish(minutes, by=secretary)
    assert PUBLISHED_WORD in client.get(url("minutes:meeting", minutes)).text
    download = client.get(url("minutes:pdf", minutes))
    assert download.status_code == 200
    assert download["Cache-Control"] == "public, max-age=60"


def test_a_public_committees_feed_lists_published_minutes_and_not_drafts(
    client, public_committee, secretary
):
    published_minutes = minutes_with(public_committee, datetime.date(2010, 3, 15), "x")
    publish(published_minutes, by=secretary)
    draft_minutes = minutes_with(public_committee, datetime.date(2010, 5, 17), DRAFT_WORD)
    feed = client.get(reverse("minutes:feed", kwargs={"slug": "scrutiny"}))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/rss+xml")
    assert url("minutes:version", published_minutes, number=1) in feed.text
    assert draft_minutes.meeting.date.isoformat() not in feed.text


def test_a_draft_of_a_public_committee_stays_hidden(client, public_committee):
    draft_minutes = minutes_with(public_committee, datetime.date(2010, 5, 17), DRAFT_WORD)
    assert DRAFT_WORD not in client.get(url("minutes:meeting", draft_minutes)).text
    assert client.get(url("minutes:pdf", draft_minutes)).status_code == 404


# -- Downloads ----------------------------------------------------------------------


def test_the_pdf_downloads_from_storage_with_a_filename_and_validators(
    client_for, member, published
):
    response = client_for(member).get(url("minutes:pdf", published))
    data = b"".join(response.streaming_content)
    version = published.versions.get()
    assert hashlib.sha256(data).hexdigest() == version.pdf_sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{published.meeting.committee.slug}-minutes-2009-11-16.pdf"'
    )
    assert response["ETag"] == f'"{version.pdf_sha256}"'
    assert "Last-Modified" in response
    assert int(response["Content-Length"]) == len(data)
    # Members-only minutes: a shared cache (a proxy) must not keep a copy for others.
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_pdf_the_browser_already_has_is_not_sent_again(client_for, member, published):
    client = client_for(member)
    first = client.get(url("minutes:pdf", published))
    again = client.get(url("minutes:pdf", published), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_downloading_never_re_renders_even_while_a_correction_is_in_progress(
    client_for, member, published, secretary
):
    stored = published.versions.get().pdf_sha256
    minutes_start_correction(minutes=published, by=secretary)
    item_minute = published.item_minutes.get()
    item_minute.text = "Changed in the working copy."
    item_minute.save()
    response = client_for(member).get(url("minutes:pdf", published))
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == stored
    page = client_for(member).get(url("minutes:meeting", published)).text
    assert PUBLISHED_WORD in page
    assert "Changed in the working copy." not in page


def test_after_a_correction_the_page_says_so_and_both_versions_can_be_downloaded(
    client_for, member, published, secretary
):
    from minutes.services import minutes_publish_correction

    minutes_start_correction(minutes=published, by=secretary)
    minutes_publish_correction(minutes=published, by=secretary, reason="Spelling of a name.")
    published_version(published)
    client = client_for(member)
    page = client.get(url("minutes:meeting", published)).text
    assert "Spelling of a name." in page
    assert "Corrected on" in page
    old = client.get(url("minutes:version_pdf", published, number=1))
    assert old["Content-Disposition"].endswith('-minutes-2009-11-16-version-1.pdf"')
    assert client.get(url("minutes:version", published, number=1)).status_code == 200
    assert client.get(url("minutes:version", published, number=3)).status_code == 404


def test_the_secretariat_can_preview_a_watermarked_draft_pdf(client_for, secretary, draft):
    response = client_for(secretary).get(url("minutes:draft_pdf", draft))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "DRAFT" in text
    assert "Draft — subject to approval" in text
    assert f"{DRAFT_WORD} was discussed." in " ".join(text.split())
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "name", ["minutes:meeting", "minutes:pdf", "minutes:draft", "minutes:draft_pdf"]
)
def test_pages_refuse_to_be_posted_to(client_for, secretary, published, name):
    response = client_for(secretary).post(url(name, published))
    assert response.status_code == 405


# -- Queries ------------------------------------------------------------------------


def grow(minutes, *, people, items):
    """Add attendees, items with text, decisions and actions to a meeting's minutes."""
    meeting = minutes.meeting
    for _ in range(people):
        AttendanceFactory(meeting=meeting)
    owner = PersonFactory()
    start = max(meeting.agenda_items.values_list("position", flat=True), default=0) + 1
    for position in range(start, start + items):
        item = AgendaItemFactory(meeting=meeting, position=position, number=str(position))
        ItemMinuteFactory(minutes=minutes, agenda_item=item)
        DecisionFactory(minutes=minutes, agenda_item=item)
        ActionFactory(minutes=minutes, agenda_item=item, owners=[owner, PersonFactory()])


@pytest.mark.parametrize(("people", "items"), [(2, 1), (30, 12)])
def test_the_published_minutes_page_runs_a_fixed_number_of_queries(
    client_for, member, committee, secretary, django_assert_num_queries, people, items
):
    minutes = minutes_with(committee, datetime.date(2009, 11, 16), PUBLISHED_WORD)
    grow(minutes, people=people, items=items)
    publish(minutes, by=secretary)
    client = client_for(member)
    # session, user, the record's mark, meeting with its minutes and whether the member
    # may read them, versions, and the version's content: read once, then its rendered
    # HTML is kept
    with django_assert_num_queries(6):
        first = client.get(url("minutes:meeting", minutes))
    with django_assert_num_queries(5):
        again = client.get(url("minutes:meeting", minutes))
    for response in (first, again):
        assert PUBLISHED_WORD in response.text
        assert response.text.count("Action:") == items


@pytest.mark.parametrize(("people", "items"), [(2, 1), (30, 12)])
def test_the_working_copy_runs_a_fixed_number_of_queries(
    client_for, secretary, committee, django_assert_num_queries, people, items
):
    minutes = minutes_with(committee, datetime.date(2009, 11, 16), DRAFT_WORD)
    grow(minutes, people=people, items=items)
    client = client_for(secretary)
    # session, user, permissions (2), meeting, minutes, attendance, items, decisions,
    # actions, their owners, carried-forward actions, future meetings
    with django_assert_num_queries(13):
        response = client.get(url("minutes:draft", minutes))
    assert response.status_code == 200
    assert response.text.count("Action:") == items


@pytest.mark.parametrize("meetings", [1, 8])
def test_the_committee_page_runs_a_fixed_number_of_queries(
    client_for, member, committee, secretary, django_assert_num_queries, meetings
):
    for n in range(meetings):
        minutes = minutes_with(
            committee, datetime.date(2009, 1, 5) + datetime.timedelta(weeks=n), "x"
        )
        publish(minutes, by=secretary)
        MeetingFactory(
            committee=committee, date=datetime.date(2100, 1, 4) + datetime.timedelta(weeks=n)
        )
    client = client_for(member)
    # session, user, the record's mark, committee with whether the member may read it,
    # future meetings, years with minutes, the latest years' minutes
    with django_assert_num_queries(7):
        response = client.get(committee.get_absolute_url())
    assert response.text.count("/committees/socitm-futures/2009-") >= meetings


def test_a_member_of_a_committee_whose_membership_ended_no_longer_reads_its_minutes(
    client_for, committee, published
):
    from members.tests.factories import UserFactory

    former = UserFactory(username="former")
    MembershipFactory(
        committee=committee,
        person=PersonFactory(user=former),
        end_date=datetime.date(2010, 1, 1),
    )
    assert client_for(former).get(url("minutes:pdf", published)).status_code == 404


# -- Public reads ---------------------------------------------------------------------


def test_anonymous_readers_of_a_public_committee_get_a_reusable_page_and_pdf(
    client, public_committee, secretary, django_assert_num_queries, settings
):
    settings.PUBLIC_RECHECK_SECONDS = 0
    minutes = minutes_with(public_committee, datetime.date(2010, 3, 15), PUBLISHED_WORD)
    publish(minutes, by=secretary)
    first = client.get(url("minutes:meeting", minutes))
    assert "public" in first["Cache-Control"]
    client.get(url("minutes:pdf", minutes))
    # One query each: are these minutes still public, and which version is current?
    with django_assert_num_queries(2):
        again = client.get(url("minutes:meeting", minutes))
        pdf = client.get(url("minutes:pdf", minutes))
    assert again.content == first.content
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == (
        minutes.versions.get().pdf_sha256
    )


def test_signed_in_readers_and_members_only_committees_are_never_served_a_kept_page(
    client_for, member, committee, public_committee, secretary
):
    public = minutes_with(public_committee, datetime.date(2010, 3, 15), PUBLISHED_WORD)
    publish(public, by=secretary)
    client_for(None).get(url("minutes:meeting", public))
    page = client_for(member).get(url("minutes:meeting", public))
    assert "Signed in as" in page.text

    members_only = minutes_with(committee, datetime.date(2010, 5, 17), "Aubergine")
    publish(members_only, by=secretary)
    assert "Aubergine" in client_for(member).get(url("minutes:meeting", members_only)).text
    assert "Aubergine" not in client_for(None).get(url("minutes:meeting", members_only)).text
    response = client_for(member).get(url("minutes:meeting", members_only))
    assert "public" not in response.get("Cache-Control", "")


def test_the_meeting_page_links_the_agenda_once_it_is_published(client_for, member, secretary):
    from meetings.services import agenda_publish

    meeting = MeetingFactory(date=datetime.date(2010, 1, 18))
    AgendaItemFactory(meeting=meeting, title="Apologies")
    MembershipFactory(committee=meeting.committee, person=member.person)
    agenda = reverse("meetings:agenda", kwargs=meeting.url_kwargs())
    assert agenda not in client_for(member).get(meeting.get_absolute_url()).text
    assert agenda in client_for(secretary).get(meeting.get_absolute_url()).text
    agenda_publish(meeting=meeting, by=secretary)
    assert agenda in client_for(member).get(meeting.get_absolute_url()).text


def test_a_public_page_stops_being_served_once_the_committee_goes_members_only(
    client, public_committee, secretary, settings
):
    settings.PUBLIC_RECHECK_SECONDS = 0  # as if the second had passed
    minutes = minutes_with(public_committee, datetime.date(2010, 3, 15), PUBLISHED_WORD)
    publish(minutes, by=secretary)
    assert PUBLISHED_WORD in client.get(url("minutes:meeting", minutes)).text
    assert client.get(url("minutes:pdf", minutes)).status_code == 200

    public_committee.minutes_visibility = Committee.Visibility.MEMBERS
    public_committee.save()

    assert PUBLISHED_WORD not in client.get(url("minutes:meeting", minutes)).text
    assert client.get(url("minutes:pdf", minutes)).status_code == 302


def test_a_published_correction_replaces_the_kept_public_page(
    client, public_committee, secretary, settings
):
    settings.PUBLIC_RECHECK_SECONDS = 0  # as if the second had passed
    from minutes.services import minutes_publish_correction

    minutes = minutes_with(public_committee, datetime.date(2010, 3, 15), PUBLISHED_WORD)
    publish(minutes, by=secretary)
    client.get(url("minutes:meeting", minutes))
    minutes_start_correction(minutes=minutes, by=secretary)
    item_minute = minutes.item_minutes.get()
    item_minute.text = "Corrected wording."
    item_minute.save()
    minutes_publish_correction(minutes=minutes, by=secretary, reason="Wording.")
    published_version(minutes)
    assert "Corrected wording." in client.get(url("minutes:meeting", minutes)).text


def test_an_anonymous_public_pdf_download_needs_one_query_and_no_session(
    client, public_committee, secretary, django_assert_num_queries, settings
):
    settings.PUBLIC_RECHECK_SECONDS = 0
    minutes = minutes_with(public_committee, datetime.date(2010, 3, 15), PUBLISHED_WORD)
    publish(minutes, by=secretary)
    client.get(url("minutes:pdf", minutes))
    with django_assert_num_queries(1):
        response = client.get(url("minutes:pdf", minutes))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-minutes-2010-03-15.pdf"')
    assert "Set-Cookie" not in response.headers


def test_within_the_recheck_window_a_public_page_and_pdf_need_no_query(
    client, public_committee, secretary, django_assert_num_queries, settings
):
    settings.PUBLIC_RECHECK_SECONDS = 3600  # a window no test run can outlast
    minutes = minutes_with(public_committee, datetime.date(2010, 3, 15), PUBLISHED_WORD)
    publish(minutes, by=secretary)
    client.get(url("minutes:meeting", minutes))
    client.get(url("minutes:pdf", minutes))
    with django_assert_num_queries(0):
        page = client.get(url("minutes:meeting", minutes))
        pdf = client.get(url("minutes:pdf", minutes))
    assert PUBLISHED_WORD in page.text
    assert pdf.status_code == 200


# -- Lists that grow with the archive ---------------------------------------------------


def test_the_committee_page_lists_the_latest_two_years_and_links_to_the_others(
    client_for, member, committee, secretary
):
    for year in (2007, 2008, 2009):
        publish(minutes_with(committee, datetime.date(year, 3, 2), "x"), by=secretary)
    client = client_for(member)

    page = client.get(committee.get_absolute_url()).text
    assert "/committees/socitm-futures/2009-03-02/" in page
    assert "/committees/socitm-futures/2008-03-02/" in page
    assert "/committees/socitm-futures/2007-03-02/" not in page
    assert '<a href="?year=2007">2007</a>' in page

    older = client.get(committee.get_absolute_url(), {"year": 2007}).text
    assert "/committees/socitm-futures/2007-03-02/" in older
    assert "/committees/socitm-futures/2009-03-02/" not in older
    assert '<a href="?year=2009">2009</a>' in older
    # A year with no minutes, or no year at all, shows the latest.
    assert "2009-03-02" in client.get(committee.get_absolute_url(), {"year": 1999}).text


def test_my_actions_list_the_open_ones_and_the_closed_ones_apart_a_page_at_a_time(
    client_for, member, committee, secretary, monkeypatch
):
    from minutes import views

    monkeypatch.setattr(views, "MY_ACTIONS_PAGE_SIZE", 2)
    minutes = minutes_with(committee, datetime.date(2009, 11, 16), PUBLISHED_WORD)
    for n, due in enumerate((3, 1, 2)):
        ActionFactory(
            minutes=minutes,
            text=f"Open {n}",
            owners=[member.person],
            due_date=datetime.date(2010, 1, due),
        )
    ActionFactory(
        minutes=minutes,
        text="Finished",
        owners=[member.person],
        status="done",
        closed_on=datetime.date(2009, 12, 1),
    )
    publish(minutes, by=secretary)
    client = client_for(member)

    first = client.get(reverse("minutes:my_actions")).text
    assert first.index("Open 1") < first.index("Open 2")  # soonest due first
    assert "Open 0" not in first and "Finished" not in first
    assert "3 open actions recorded against" in first
    second = client.get(reverse("minutes:my_actions"), {"page": 2}).text
    assert "Open 0" in second and "Open 1" not in second
    closed = client.get(reverse("minutes:my_actions"), {"show": "closed"}).text
    assert "Finished" in closed and "Open" not in closed.split("<tbody>")[1]


@pytest.mark.parametrize("actions", [1, 6])
def test_my_actions_run_a_fixed_number_of_queries(
    client_for, member, committee, secretary, django_assert_num_queries, actions
):
    minutes = minutes_with(committee, datetime.date(2009, 11, 16), PUBLISHED_WORD)
    for n in range(actions):
        ActionFactory(minutes=minutes, text=f"Do {n}", owners=[member.person])
    publish(minutes, by=secretary)
    client = client_for(member)
    # session, user, the record's mark, person, count, the page's actions, their owners
    with django_assert_num_queries(7):
        response = client.get(reverse("minutes:my_actions"))
    assert response.text.count("<tr>") == actions + 1
