import re

import pytest
from django.urls import reverse

from meetings.services import agenda_item_add
from meetings.tests.conftest import h1_count
from meetings.tests.factories import MeetingFactory
from minutes.tests.factories import DecisionFactory, MinutesFactory

pytestmark = pytest.mark.django_db


def url(meeting):
    return reverse("meetings:agenda_workspace", args=[meeting.pk])


def test_the_items_are_listed_in_order_with_what_can_be_done_to_each(
    client_for, secretary, meeting
):
    response = client_for(secretary).get(url(meeting))
    assert response.status_code == 200
    assert h1_count(response) == 1
    html = response.content.decode()
    titles = ["Apologies", "Minutes of the last meeting", "Matters arising", "Any other business"]
    assert [html.index(t) for t in titles] == sorted(html.index(t) for t in titles)
    for item in meeting.agenda_items.all():
        assert reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk]) in html
        assert reverse("meetings:agenda_item_delete", args=[meeting.pk, item.pk]) in html
    assert "Not published: only the secretariat can see it." in html
    assert reverse("meetings:agenda_publish", args=[meeting.pk]) in html
    assert reverse("meetings:agenda", kwargs=meeting.url_kwargs()) in html


def disabled_moves(html) -> list[str]:
    """The move buttons that cannot be pressed, by what they say to a screen reader."""
    return re.findall(r'disabled>(?:Up|Down)<span class="visually-hidden">: ([^<]+)</span>', html)


def test_the_first_item_cannot_move_up_nor_the_last_down(client_for, secretary, meeting):
    html = client_for(secretary).get(url(meeting)).content.decode()
    assert disabled_moves(html) == ["move item 1 up", "move item 5 down"]
    assert html.count('<span class="visually-hidden">: move item ') == 2 * 5


def test_an_item_with_minutes_says_so(client_for, secretary, meeting):
    item = meeting.agenda_items.get(kind="aob")
    DecisionFactory(minutes=MinutesFactory(meeting=meeting), agenda_item=item)
    html = client_for(secretary).get(url(meeting)).content.decode()
    assert html.count("has minutes") == 1
    aob = html.index(">Any other business</span>")
    assert aob < html.index("has minutes") < html.index(">Dates of future meetings</span>")


def test_an_empty_agenda_offers_the_standard_items(client_for, secretary, committee):
    empty = MeetingFactory(committee=committee)
    html = client_for(secretary).get(url(empty)).content.decode()
    assert "Start from the standard items" in html
    assert reverse("meetings:agenda_publish", args=[empty.pk]) not in html


@pytest.mark.parametrize("size", [0, 10])
def test_the_page_costs_the_same_queries_however_long_the_agenda(
    client_for, secretary, meeting, size, django_assert_num_queries
):
    for n in range(size):
        main = agenda_item_add(meeting=meeting, title=f"Topic {n}")
        agenda_item_add(meeting=meeting, title=f"Topic {n}, part one", parent=main)
    client = client_for(secretary)
    with django_assert_num_queries(7):
        response = client.get(url(meeting))
    assert (
        response.content.decode().count('Edit<span class="visually-hidden"> item ') == 5 + 2 * size
    )
