import datetime

import pytest
from django.urls import reverse

from meetings.tests.conftest import h1_count, numbered

pytestmark = pytest.mark.django_db


def url(item):
    return reverse("meetings:agenda_item_edit", args=[item.meeting_id, item.pk])


def test_the_form_shows_the_item(client_for, secretary, meeting):
    item = meeting.agenda_items.get(kind="matters-arising")
    response = client_for(secretary).get(url(item))
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert response.context["form"]["title"].value() == "Matters arising"


def test_secretary_edits_title_description_presenter_and_kind(client_for, secretary, meeting):
    item = meeting.agenda_items.get(kind="future-meetings")
    response = client_for(secretary).post(
        url(item),
        {
            "title": "Suggested Meeting dates for 2010",
            "kind": "ordinary",
            "presenter": "Suzanne Horner",
            "description": "- Monday 18th January\n- Monday 15th March",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.kind, item.presenter, item.number) == (
        "Suggested Meeting dates for 2010",
        "ordinary",
        "Suzanne Horner",
        "5",
    )
    assert item.description == "- Monday 18th January\n- Monday 15th March"


def test_making_an_item_a_sub_item_moves_it_under_its_main_item(client_for, secretary, meeting):
    matters = meeting.agenda_items.get(kind="matters-arising")
    aob = meeting.agenda_items.get(kind="aob")
    client_for(secretary).post(
        url(aob), {"title": "Any other business", "kind": "aob", "parent": matters.pk}
    )
    assert numbered(meeting) == [
        ("1", "Apologies"),
        ("2", "Minutes of the last meeting"),
        ("3", "Matters arising"),
        ("3.1", "Any other business"),
        ("4", "Dates of future meetings"),
    ]


def test_changing_the_kind_away_from_minutes_forgets_the_earlier_meeting(
    client_for, secretary, scheduled
):
    scheduled(datetime.date(2009, 11, 16))
    meeting = scheduled(datetime.date(2010, 1, 18))
    item = meeting.agenda_items.get(kind="previous-minutes")
    assert item.previous_meeting is not None
    client_for(secretary).post(url(item), {"title": "Minutes", "kind": "ordinary"})
    item.refresh_from_db()
    assert item.previous_meeting is None


def test_an_item_with_sub_items_cannot_become_a_sub_item(client_for, secretary, meeting):
    matters, aob = (
        meeting.agenda_items.get(kind="matters-arising"),
        meeting.agenda_items.get(kind="aob"),
    )
    client = client_for(secretary)
    client.post(url(aob), {"title": "AOB", "kind": "aob", "parent": matters.pk})
    apologies = meeting.agenda_items.get(kind="apologies")
    response = client.post(
        url(matters),
        {"title": "Matters arising", "kind": "matters-arising", "parent": apologies.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"] == [
        "This item has sub-items of its own, so it must stay a main item."
    ]


def test_an_item_is_found_only_under_its_own_meeting(client_for, secretary, meeting, scheduled):
    other = scheduled(datetime.date(2010, 3, 15))
    item = meeting.agenda_items.first()
    wrong = reverse("meetings:agenda_item_edit", args=[other.pk, item.pk])
    assert client_for(secretary).get(wrong).status_code == 404


def test_editing_refuses_put(client_for, secretary, meeting):
    assert client_for(secretary).put(url(meeting.agenda_items.first())).status_code == 405
