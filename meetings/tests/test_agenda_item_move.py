import pytest
from django.urls import reverse

from meetings.services import agenda_item_add
from meetings.tests.conftest import numbered

pytestmark = pytest.mark.django_db


def url(item):
    return reverse("meetings:agenda_item_move", args=[item.meeting_id, item.pk])


@pytest.fixture
def agenda(meeting):
    """The standard items plus a main item "Strategy" with two sub-items."""
    strategy = agenda_item_add(meeting=meeting, title="Strategy")
    agenda_item_add(meeting=meeting, title="Digital Britain", parent=strategy)
    agenda_item_add(meeting=meeting, title="OEP", parent=strategy)
    return meeting


def test_a_main_item_moves_up_with_its_sub_items(client_for, secretary, agenda):
    strategy = agenda.agenda_items.get(title="Strategy")
    response = client_for(secretary).post(url(strategy), {"direction": "up"})
    assert response.status_code == 302
    assert response.url == (
        reverse("meetings:agenda_workspace", args=[agenda.pk]) + f"#item-{strategy.pk}"
    )
    assert numbered(agenda) == [
        ("1", "Apologies"),
        ("2", "Minutes of the last meeting"),
        ("3", "Strategy"),
        ("3.1", "Digital Britain"),
        ("3.2", "OEP"),
        ("4", "Matters arising"),
        ("5", "Any other business"),
        ("6", "Dates of future meetings"),
    ]


def test_a_main_item_moves_down_past_another_with_sub_items(client_for, secretary, agenda):
    matters = agenda.agenda_items.get(kind="matters-arising")
    client_for(secretary).post(url(matters), {"direction": "down"})
    assert numbered(agenda)[2:6] == [
        ("3", "Strategy"),
        ("3.1", "Digital Britain"),
        ("3.2", "OEP"),
        ("4", "Matters arising"),
    ]


def test_a_sub_item_moves_among_its_siblings_only(client_for, secretary, agenda):
    client = client_for(secretary)
    oep = agenda.agenda_items.get(title="OEP")
    client.post(url(oep), {"direction": "up"})
    assert numbered(agenda)[3:6] == [("4", "Strategy"), ("4.1", "OEP"), ("4.2", "Digital Britain")]
    response = client.post(url(oep), {"direction": "up"}, follow=True)
    assert "“OEP” is already first." in response.content.decode()
    assert numbered(agenda)[4] == ("4.1", "OEP")


def test_the_last_item_cannot_move_down(client_for, secretary, agenda):
    last = agenda.agenda_items.get(kind="future-meetings")
    before = numbered(agenda)
    response = client_for(secretary).post(url(last), {"direction": "down"}, follow=True)
    assert "is already last" in response.content.decode()
    assert numbered(agenda) == before


def test_a_direction_other_than_up_or_down_changes_nothing(client_for, secretary, agenda):
    before = numbered(agenda)
    item = agenda.agenda_items.get(title="Strategy")
    response = client_for(secretary).post(url(item), {"direction": "sideways"}, follow=True)
    assert "Say whether to move the item up or down." in response.content.decode()
    assert numbered(agenda) == before
