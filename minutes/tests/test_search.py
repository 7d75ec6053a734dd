"""Searching the published record: words in any form, phrases, OR and -word, accents,
snippets, filters, pages, and only what the reader may read.

Runs on SQLite (FTS5) and on PostgreSQL (tsvector); readers must not be able to
tell which.
"""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from members.models import Committee
from members.tests.factories import CommitteeFactory
from minutes import search
from minutes.services import minutes_publish_correction, minutes_start_correction
from minutes.tests.factories import (
    DecisionFactory,
    ItemMinuteFactory,
    MinutesFactory,
    publish,
    published_version,
)

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2009, 11, 16)
JANUARY = datetime.date(2010, 1, 18)


def published_minutes(committee, date, secretary, *items):
    """Publish minutes whose items are ``(title, text, [decisions])``."""
    minutes = MinutesFactory(meeting=MeetingFactory(committee=committee, date=date))
    for position, (title, text, decisions) in enumerate(items, start=1):
        item = AgendaItemFactory(
            meeting=minutes.meeting, position=position, number=str(position), title=title
        )
        ItemMinuteFactory(agenda_item=item, minutes=minutes, text=text)
        for decision in decisions:
            DecisionFactory(minutes=minutes, agenda_item=item, text=decision)
    publish(minutes, by=secretary)
    return minutes


def results(client, **params):
    page = client.get(reverse("minutes:search"), params)
    assert page.status_code == 200
    return page.content.decode()


def marked(page):
    """The words the snippets mark as matches."""
    return " ".join(re.findall(r"<mark>(.*?)</mark>", page)).casefold().split()


def titles(page):
    """The result links' texts, in order."""
    return [
        " ".join(re.sub(r"<[^>]+>", "", text).split())
        for text in re.findall(r'<li class="mb-3">\s*<a href="[^"]*">(.*?)</a>', page, re.S)
    ]


@pytest.fixture
def committee(committee):
    committee.minutes_visibility = Committee.Visibility.PUBLIC
    committee.save()
    return committee


@pytest.fixture
def record(committee, secretary):
    november = published_minutes(
        committee,
        NOVEMBER,
        secretary,
        ("Proposed meeting dates", "Dates for 2010 were put to the group.", ["Dates agreed."]),
        ("Shared services", "The group discussed shared services in the café.", []),
        ("Cloud", "Services would be shared with the cloud team.", []),
    )
    january = published_minutes(
        committee,
        JANUARY,
        secretary,
        ("Digital Britain", "R&D costs < £5m were welcomed. <script>alert(1)</script>", []),
    )
    return november, january


def test_a_word_finds_its_other_forms_and_the_snippet_marks_the_match(client_for, record):
    page = results(client_for(None), q="agree")
    assert "Dates <mark>agreed</mark>" in page
    assert any("Proposed meeting dates" in title for title in titles(page))


def test_a_phrase_finds_only_those_words_together(client_for, record):
    page = results(client_for(None), q='"shared services"')
    found = titles(page)
    assert any("Shared services" in title for title in found)
    assert not any(title.endswith("Cloud") for title in found)


def test_a_minus_sign_leaves_a_word_out_and_or_finds_either(client_for, record):
    without_cloud = titles(results(client_for(None), q="shared -cloud", kind="item"))
    assert [t.split(": ", 1)[1] for t in without_cloud] == ["2 Shared services"]
    either = titles(results(client_for(None), q="cloud OR digital", kind="item"))
    assert sorted(t.split(": ", 1)[1] for t in either) == ["1 Digital Britain", "3 Cloud"]


def test_accents_do_not_matter(client_for, record):
    assert "<mark>café</mark>" in results(client_for(None), q="cafe")


def test_typed_html_in_minutes_is_shown_as_text_in_snippets(client_for, record):
    page = results(client_for(None), q="welcomed")
    assert "costs &lt; £5m were <mark>welcomed</mark>" in page
    assert "&amp;lt;" not in page
    assert "alert(1)" not in page


def test_results_are_grouped_by_kind_and_link_to_the_item(client_for, record):
    november, _ = record
    page = results(client_for(None), q="dates")
    headings = re.findall(r'<h3 class="h6 mt-3">([^<]+)</h3>', page)
    assert headings == ["Agenda items", "Decisions"]
    assert f'href="{november.meeting.get_absolute_url()}#item-1"' in page
    assert "Decisions (1)" in page


def test_filters_narrow_by_kind_committee_and_date(client_for, record, secretary):
    other = CommitteeFactory(name="Scrutiny Panel", minutes_visibility=Committee.Visibility.PUBLIC)
    published_minutes(other, JANUARY, secretary, ("Budget", "Shared services budget.", []))
    client = client_for(None)
    assert len(titles(results(client, q="shared", kind="item"))) == 3
    only_other = titles(results(client, q="shared", kind="item", committee=other.slug))
    assert only_other == ["Scrutiny Panel, Monday 18 January 2010: 1 Budget"]
    in_2009 = titles(results(client, q="shared", kind="item", date_to="2009-12-31"))
    assert [t.split(",")[0] for t in in_2009] == ["Socitm Futures", "Socitm Futures"]


def test_a_period_that_ends_before_it_starts_is_refused_beside_the_field(client_for, record):
    page = results(client_for(None), q="shared", date_from="2010-01-01", date_to="2009-01-01")
    assert "The end of the period cannot be before its start." in page
    assert 'value="shared"' in page
    assert 'aria-invalid="true"' in page


def test_results_come_a_page_at_a_time(client_for, committee, secretary):
    items = [(f"Topic {n}", f"Pomegranate note {n}.", []) for n in range(1, 26)]
    published_minutes(committee, NOVEMBER, secretary, *items)
    client = client_for(None)
    first = results(client, q="pomegranate", kind="item")
    assert "25 results" in first
    assert len(titles(first)) == 20
    assert 'rel="next"' in first
    second = results(client, q="pomegranate", kind="item", page=2)
    assert len(titles(second)) == 5
    assert not set(titles(first)) & set(titles(second))
    assert 'rel="prev"' in second


def test_past_the_limit_results_are_the_best_of_the_most_recent_and_counts_say_more(
    client_for, committee, secretary, monkeypatch
):
    monkeypatch.setattr(search, "RESULTS_LIMIT", 3)
    for day in (1, 2, 3, 4):
        published_minutes(
            committee,
            datetime.date(2009, 11, day),
            secretary,
            ("Orchard", "Pomegranate." if day > 1 else "Pomegranate pomegranate pomegranate.", []),
        )
    page = results(client_for(None), q="pomegranate")
    assert "More than 3 results for “pomegranate”" in page
    assert "Agenda items (3+)" in page
    # The oldest matches best, but only the three most recent were ranked.
    assert titles(page) == [
        f"Socitm Futures, {day} November 2009: 1 Orchard"
        for day in ("Wednesday 4", "Tuesday 3", "Monday 2")
    ]
    assert 'rel="next"' not in page
    assert "Download CSV" in page


def test_nothing_found_suggests_a_looser_search(client_for, record):
    page = results(client_for(None), q='"dates welcomed"')
    assert "Nothing you can read matches" in page
    assert 'href="?q=dates%20OR%20welcomed"' in page
    assert "<mark>" in results(client_for(None), q="dates OR welcomed")


def test_members_only_minutes_are_found_by_members_alone(client_for, member, outsider, secretary):
    private = CommitteeFactory(name="Private Board")
    published_minutes(private, NOVEMBER, secretary, ("Pay", "Salaries were reviewed.", []))
    assert "Nothing you can read matches" in results(client_for(None), q="salaries")
    assert "Nothing you can read matches" in results(client_for(outsider), q="salaries")
    # ``member`` sits on another committee only.
    assert "Nothing you can read matches" in results(client_for(member), q="salaries")
    assert "<mark>Salaries</mark>" in results(client_for(secretary), q="salaries")


def test_a_correction_is_found_only_once_published(client_for, record, secretary):
    november, _ = record
    minutes_start_correction(minutes=november, by=secretary)
    row = november.item_minutes.get(agenda_item__title="Cloud")
    row.text = "Services would be shared with the tangerine team."
    row.save()
    client = client_for(None)
    assert "Nothing you can read matches" in results(client, q="tangerine")
    assert "team" in marked(results(client, q='"cloud team"'))
    minutes_publish_correction(minutes=november, by=secretary, reason="Team named wrongly.")
    published_version(november)
    assert "tangerine" in marked(results(client, q="tangerine"))
    assert "Nothing you can read matches" in results(client, q='"cloud team"')


def test_a_search_costs_the_same_queries_whatever_it_finds(
    client_for, record, django_assert_num_queries
):
    client = client_for(None)
    # Counting the matches of each kind and ranking the page (one query on PostgreSQL, where
    # each kind's newest matches give both; two on SQLite), and the page's entries with their
    # snippets, however many match; and the committees to filter by.
    finding = 1 if connection.vendor == "postgresql" else 2
    with django_assert_num_queries(finding + 2):
        results(client, q="shared")
    with django_assert_num_queries(finding + 1):  # no page of entries to fetch
        results(client, q="nothing-like-this")
    with django_assert_num_queries(finding + 1):
        search.search(
            user=AnonymousUser(), query="shared", kind="item", committee=record[0].meeting.committee
        )


def test_the_decision_about_meeting_dates_in_2010_is_found_from_the_search_box(client_for):
    call_command("load_demo", stdout=io.StringIO())
    page = results(client_for(None), q="meeting dates 2010")
    decisions = page.split('<h3 class="h6 mt-3">Decisions</h3>')[1].split("</ol>")[0]
    assert "Socitm Futures, Monday 16 November 2009: 4 Suggested Meeting dates for 2010" in (
        " ".join(re.sub(r"<[^>]+>", "", decisions).split())
    )
    assert "Proposed" in re.sub(r"</?mark>", "", decisions)


def test_rebuilding_the_index_finds_what_publishing_found(client_for, record):
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue() == "Indexed 2 published minutes.\n"
    assert "Dates <mark>agreed</mark>" in results(client_for(None), q="agree")


def test_a_name_finds_the_minutes_and_the_person(client_for):
    call_command("load_demo", stdout=io.StringIO())
    page = results(client_for(None), q="Horner")
    headings = re.findall(r'<h3 class="h6 mt-3">([^<]+)</h3>', page)
    assert headings[0] == "Minutes"
    assert "People" in headings
    assert "Socitm Futures, Monday 16 November 2009: Suzanne Horner" in titles(page)
