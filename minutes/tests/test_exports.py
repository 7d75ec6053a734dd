"""CSV downloads: the action log, attendance statistics and search results, read back with
the csv module as a spreadsheet would read them."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone

from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from members.models import Committee
from members.tests.factories import CommitteeFactory, PersonFactory
from minutes.tests.factories import (
    ActionFactory,
    DecisionFactory,
    ItemMinuteFactory,
    MinutesFactory,
    publish,
    published_meeting,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def read_csv(response) -> list[list[str]]:
    """The rows of a CSV download; it must start with the UTF-8 byte order mark."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    body = response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# -- The action log (secretariat) ----------------------------------------------------------


@pytest.fixture
def actions(committee):
    minutes = MinutesFactory(meeting__committee=committee, meeting__date=TODAY - 30 * DAY)
    item = AgendaItemFactory(meeting=minutes.meeting, number="6")
    sue = PersonFactory(given_name="Suzanne", family_name="Horner", initials="SH")
    zoe = PersonFactory(given_name="Zoë", family_name="Brontë", initials="ZB")
    ActionFactory(
        minutes=minutes,
        agenda_item=item,
        text='=HYPERLINK("http://evil.example","Click")',
        owners=[sue],
        due_date=TODAY - DAY,
    )
    ActionFactory(minutes=minutes, agenda_item=item, text="Thank Zoë for the café.", owners=[zoe])
    ActionFactory(
        minutes=minutes,
        agenda_item=item,
        text="-1 is not a formula either",
        owners=[sue],
        status="done",
        closed_on=TODAY,
    )
    return minutes


def test_the_action_log_downloads_as_csv_with_the_pages_filters(
    client_for, secretary, committee, actions
):
    client = client_for(secretary)
    page = client.get(reverse("minutes:action_log", args=[committee.slug]), {"status": "open"})
    csv_url = reverse("minutes:action_log_csv", args=[committee.slug]) + "?status=open"
    assert f'href="{csv_url}"' in page.content.decode()

    header, *rows = read_csv(client.get(csv_url))

    assert header == [
        "Meeting", "Item", "Reference", "Action", "Owners", "Owner names", "Due", "Status",
        "Overdue", "Closed on", "Note",
    ]  # fmt: skip
    meeting = (TODAY - 30 * DAY).isoformat()
    assert rows == [
        [
            meeting, "6", "", "'=HYPERLINK(\"http://evil.example\",\"Click\")", "SH",
            "Suzanne Horner", (TODAY - DAY).isoformat(), "Open", "yes", "", "",
        ],
        [meeting, "6", "", "Thank Zoë for the café.", "ZB", "Zoë Brontë", "", "Open", "no", "", ""],
    ]  # fmt: skip

    (done,) = read_csv(client.get(csv_url.replace("open", "done")))[1:]
    assert done[3] == "'-1 is not a formula either"
    assert done[9] == TODAY.isoformat()
    overdue = read_csv(client.get(csv_url.replace("open", "overdue")))[1:]
    assert [row[4] for row in overdue] == ["SH"]


@pytest.mark.parametrize("role", ["anonymous", "member", "outsider"])
def test_only_the_secretariat_downloads_the_action_log(client_for, cast, committee, role):
    url = reverse("minutes:action_log_csv", args=[committee.slug])
    response = client_for(cast[role]).get(url)
    if role == "anonymous":
        assert response.url == redirect_to_login(url).url
    else:
        assert response.status_code == 403


def test_the_action_log_download_refuses_to_change_anything(client_for, secretary, committee):
    url = reverse("minutes:action_log_csv", args=[committee.slug])
    assert client_for(secretary).post(url).status_code == 405


# -- Attendance ---------------------------------------------------------------------------


def test_attendance_downloads_as_csv_for_the_period_shown(client_for, cast, committee):
    plus = PersonFactory(given_name="+44 Ltd", family_name="Agent")
    lucy = PersonFactory(given_name="Lucy", family_name="Ames")
    published_meeting(committee, datetime.date(2010, 1, 18), present=[lucy, plus])
    published_meeting(committee, datetime.date(2010, 3, 15), apologies=[lucy], present=[plus])
    published_meeting(committee, datetime.date(2011, 3, 15), absent=[lucy])
    client = client_for(cast["member"])
    period = {"date_from": "2010-01-01", "date_to": "2010-12-31"}
    page = client.get(reverse("minutes:committee_statistics", args=[committee.slug]), period)
    csv_url = reverse("minutes:committee_statistics_csv", args=[committee.slug])
    assert f'href="{csv_url}?date_from=2010-01-01&amp;date_to=2010-12-31"' in page.content.decode()

    response = client.get(csv_url, period)
    header, *rows = read_csv(response)

    assert (
        f"{committee.slug}-attendance-2010-01-01-to-2010-12-31.csv"
        in (response["Content-Disposition"])
    )
    assert header == [
        "Member", "Recorded at", "Present", "Apologies", "Absent", "Attendance rate (%)",
        "Actions set", "Done on time", "Done late", "Open", "Overdue",
    ]  # fmt: skip
    assert rows == [
        ["'+44 Ltd Agent", "2", "2", "0", "0", "100", "0", "0", "0", "0", "0"],
        ["Lucy Ames", "2", "1", "1", "0", "50", "0", "0", "0", "0", "0"],
    ]


def test_attendance_downloads_only_for_those_who_may_read_the_committee(
    client_for, cast, committee
):
    lucy = PersonFactory()
    published_meeting(committee, TODAY - 10 * DAY, present=[lucy])
    url = reverse("minutes:committee_statistics_csv", args=[committee.slug])
    assert client_for(None).get(url).url == redirect_to_login(url).url
    assert client_for(cast["outsider"]).get(url).status_code == 404
    person_url = reverse("minutes:person_csv", args=[lucy.pk])
    assert client_for(cast["outsider"]).get(person_url).status_code == 404

    header, row = read_csv(client_for(cast["member"]).get(person_url))
    assert header[0] == "Committee"
    assert row[:6] == ["Socitm Futures", "1", "1", "0", "0", "100"]


def test_an_attendance_download_for_a_wrong_period_shows_the_mistake_instead(
    client_for, cast, committee
):
    url = reverse("minutes:committee_statistics_csv", args=[committee.slug])
    response = client_for(cast["member"]).get(url, {"date_from": "2010-05-01", "date_to": "2010"})
    assert response["Content-Type"].startswith("text/html")
    assert "Enter a valid date." in response.content.decode()


# -- Search results -----------------------------------------------------------------------


def test_search_results_download_as_csv_with_the_same_filters_and_visibility(
    client_for, cast, secretary
):
    public = CommitteeFactory(name="@Open Forum", minutes_visibility=Committee.Visibility.PUBLIC)
    private = CommitteeFactory(name="Private Board")
    for committee, date, text in (
        (public, datetime.date(2009, 11, 16), "The shared services were agreed."),
        (public, datetime.date(2010, 1, 18), "Shared services in 2010."),
        (private, datetime.date(2009, 11, 16), "Shared services pay review."),
    ):
        minutes = MinutesFactory(meeting=MeetingFactory(committee=committee, date=date))
        item = AgendaItemFactory(meeting=minutes.meeting, number="1", title="Shared services")
        ItemMinuteFactory(agenda_item=item, minutes=minutes, text=text)
        DecisionFactory(minutes=minutes, agenda_item=item, text="Agreed.")
        publish(minutes, by=secretary)
    query = {"q": "shared services", "kind": "item", "date_to": "2009-12-31"}
    client = client_for(None)
    page = client.get(reverse("minutes:search"), query).content.decode()
    assert "Download CSV" in page

    header, *rows = read_csv(client.get(reverse("minutes:search_csv"), query))

    assert header == ["Kind", "Committee", "Meeting", "Title", "Snippet", "Link"]
    (row,) = rows  # the private board's item is not readable; January is out of the period
    # A leading @ disarmed; the snippet as text, without its <mark> tags.
    assert row[:4] == ["Item", "'@Open Forum", "2009-11-16", "1 Shared services"]
    assert "shared services were agreed" in row[4]
    assert "<mark>" not in row[4]
    assert row[5] == "http://testserver/committees/{}/2009-11-16/#{}".format(
        public.slug, row[5].rsplit("#", 1)[1]
    )

    secretary_rows = read_csv(client_for(secretary).get(reverse("minutes:search_csv"), query))
    assert sorted(row[1] for row in secretary_rows[1:]) == ["'@Open Forum", "Private Board"]
