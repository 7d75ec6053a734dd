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
    # with the count of items and their order (pk, parent) for Up and Down, and the
    # record's mark (config/page_cache.py)
    with django_assert_num_queries(10):
        response = client.get(url(meeting))
    assert (
        response.content.decode().count('Edit<span class="visually-hidden"> item ') == 5 + 2 * size
    )


def test_a_long_agenda_is_shown_a_page_at_a_time_and_a_move_returns_to_the_item(
    client_for, secretary, meeting, monkeypatch
):
    from meetings import views

    monkeypatch.setattr(views, "AGENDA_PAGE_SIZE", 3)
    client = client_for(secretary)
    items = list(meeting.agenda_items.order_by("position"))  # the five standard items

    first = client.get(url(meeting)).text
    assert "5 items; 1 to 3 shown." in first
    assert items[3].title not in first
    second = client.get(url(meeting), {"page": 2}).text
    assert items[3].title in second and items[0].title not in second
    # Up is offered for the first item of the second page: it is not the first of the agenda.
    up = f'action="{reverse("meetings:agenda_item_move", args=[meeting.pk, items[3].pk])}"'
    assert " disabled" not in second.split(up)[1].split("</form>")[0]

    moved = client.post(
        reverse("meetings:agenda_item_move", args=[meeting.pk, items[4].pk]),
        {"direction": "up"},
    )
    assert moved.url == url(meeting) + f"?page=2#item-{items[4].pk}"
