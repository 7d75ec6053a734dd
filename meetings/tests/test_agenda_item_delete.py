import pytest
from django.urls import reverse

from meetings.models import AgendaItem
from meetings.services import agenda_item_add
from meetings.tests.conftest import h1_count, numbered
from minutes.tests.factories import (
    ActionFactory,
    DecisionFactory,
    ItemMinuteFactory,
    MinutesFactory,
)

pytestmark = pytest.mark.django_db


def url(item):
    return reverse("meetings:agenda_item_delete", args=[item.meeting_id, item.pk])


def test_the_page_asks_before_deleting(client_for, secretary, meeting):
    item = meeting.agenda_items.get(kind="matters-arising")
    response = client_for(secretary).get(url(item))
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert "Delete the item" in response.content.decode()
    assert meeting.agenda_items.filter(pk=item.pk).exists()


def test_deleting_an_item_takes_its_sub_items_and_renumbers_the_rest(
    client_for, secretary, meeting
):
    strategy = agenda_item_add(meeting=meeting, title="Strategy")
    agenda_item_add(meeting=meeting, title="OEP", parent=strategy)
    matters = meeting.agenda_items.get(kind="matters-arising")
    client = client_for(secretary)
    response = client.post(url(matters))
    assert response.status_code == 302
    response = client.post(url(strategy))
    assert numbered(meeting) == [
        ("1", "Apologies"),
        ("2", "Minutes of the last meeting"),
        ("3", "Any other business"),
        ("4", "Dates of future meetings"),
    ]


@pytest.mark.parametrize(
    "minuted",
    [
        lambda item, minutes: ItemMinuteFactory(minutes=minutes, agenda_item=item),
        lambda item, minutes: DecisionFactory(minutes=minutes, agenda_item=item),
        lambda item, minutes: ActionFactory(minutes=minutes, agenda_item=item),
    ],
    ids=["minute text", "a decision", "an action"],
)
def test_an_item_with_minutes_is_not_deleted_and_the_secretary_is_told_why(
    client_for, secretary, meeting, minuted
):
    item = meeting.agenda_items.get(kind="aob")
    minuted(item, MinutesFactory(meeting=meeting))
    client = client_for(secretary)
    assert "cannot be deleted" in client.get(url(item)).content.decode()

    response = client.post(url(item), follow=True)

    assert "“Any other business” has minute text, decisions or actions" in (
        response.content.decode()
    )
    assert meeting.agenda_items.filter(pk=item.pk).exists()


def test_a_main_item_whose_sub_item_has_minutes_is_not_deleted(client_for, secretary, meeting):
    matters = meeting.agenda_items.get(kind="matters-arising")
    sub = agenda_item_add(meeting=meeting, title="Letter of thanks", parent=matters)
    DecisionFactory(minutes=MinutesFactory(meeting=meeting), agenda_item=sub)
    client_for(secretary).post(url(matters))
    assert AgendaItem.objects.filter(pk__in=[matters.pk, sub.pk]).count() == 2


def test_an_empty_minute_does_not_stop_deletion(client_for, secretary, meeting):
    item = meeting.agenda_items.get(kind="aob")
    ItemMinuteFactory(minutes=MinutesFactory(meeting=meeting), agenda_item=item, text="")
    client_for(secretary).post(url(item))
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_deleting_refuses_put(client_for, secretary, meeting):
    assert client_for(secretary).put(url(meeting.agenda_items.first())).status_code == 405
