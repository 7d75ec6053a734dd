import datetime

import pytest
from django.urls import reverse

from meetings.tests.conftest import STANDARD_AGENDA, h1_count, numbered

pytestmark = pytest.mark.django_db


def url(meeting, parent=None):
    base = reverse("meetings:agenda_item_new", args=[meeting.pk])
    return f"{base}?parent={parent.pk}" if parent else base


def test_the_form_has_a_label_for_every_field(client_for, secretary, meeting):
    response = client_for(secretary).get(url(meeting))
    assert response.status_code == 200
    assert h1_count(response) == 1
    html = response.content.decode()
    for name in ("title", "kind", "parent", "presenter", "description", "previous_meeting"):
        assert f'for="id_{name}"' in html


def test_the_secretarys_own_items_go_before_any_other_business(client_for, secretary, meeting):
    client = client_for(secretary)
    for title in ("Update on Strategy for Policy", "Future Topics"):
        response = client.post(url(meeting), {"title": title, "kind": "ordinary"})
        assert response.status_code == 302
    assert numbered(meeting) == [
        ("1", "Apologies"),
        ("2", "Minutes of the last meeting"),
        ("3", "Matters arising"),
        ("4", "Update on Strategy for Policy"),
        ("5", "Future Topics"),
        ("6", "Any other business"),
        ("7", "Dates of future meetings"),
    ]


def test_sub_items_are_numbered_under_their_main_item(client_for, secretary, meeting):
    client = client_for(secretary)
    client.post(url(meeting), {"title": "Update from Local CIO Council", "kind": "ordinary"})
    main = meeting.agenda_items.get(title="Update from Local CIO Council")
    for title in ("PSN Conference", "Green ICT strategy"):
        response = client.post(
            url(meeting, main), {"title": title, "kind": "ordinary", "parent": main.pk}
        )
        assert response.status_code == 302
    assert numbered(meeting)[3:7] == [
        ("4", "Update from Local CIO Council"),
        ("4.1", "PSN Conference"),
        ("4.2", "Green ICT strategy"),
        ("5", "Any other business"),
    ]


def test_the_add_a_sub_item_link_chooses_the_main_item(client_for, secretary, meeting):
    main = meeting.agenda_items.get(kind="matters-arising")
    response = client_for(secretary).get(url(meeting, main))
    assert response.context["form"]["parent"].value() == main.pk
    assert "Add a sub-item to the agenda" in response.content.decode()


def test_a_minutes_of_the_last_meeting_item_points_at_the_last_meeting_unless_told(
    client_for, secretary, scheduled
):
    november = scheduled(datetime.date(2009, 11, 16))
    meeting = scheduled(datetime.date(2010, 1, 18))
    client_for(secretary).post(
        url(meeting), {"title": "Minutes of the special meeting", "kind": "previous-minutes"}
    )
    item = meeting.agenda_items.get(title="Minutes of the special meeting")
    assert item.previous_meeting == november


def test_only_a_minutes_item_keeps_an_earlier_meeting(client_for, secretary, scheduled):
    november = scheduled(datetime.date(2009, 11, 16))
    meeting = scheduled(datetime.date(2010, 1, 18))
    client_for(secretary).post(
        url(meeting), {"title": "Strategy", "kind": "ordinary", "previous_meeting": november.pk}
    )
    assert meeting.agenda_items.get(title="Strategy").previous_meeting is None


def test_an_item_needs_a_title_and_keeps_what_was_typed(client_for, secretary, meeting):
    response = client_for(secretary).post(
        url(meeting), {"title": "", "kind": "ordinary", "presenter": "Glyn Evans"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["This field is required."]
    assert 'value="Glyn Evans"' in response.content.decode()
    assert numbered(meeting) == STANDARD_AGENDA


def test_a_sub_item_cannot_have_sub_items(client_for, secretary, meeting):
    main = meeting.agenda_items.get(kind="matters-arising")
    client = client_for(secretary)
    client.post(
        url(meeting, main), {"title": "Letter of thanks", "kind": "ordinary", "parent": main.pk}
    )
    sub = meeting.agenda_items.get(title="Letter of thanks")
    response = client.post(url(meeting), {"title": "Deeper", "kind": "ordinary", "parent": sub.pk})
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors


def test_an_item_of_another_meeting_cannot_be_the_main_item(
    client_for, secretary, meeting, scheduled
):
    other = scheduled(datetime.date(2010, 3, 15)).agenda_items.first()
    response = client_for(secretary).get(url(meeting, other))
    assert response.status_code == 404


def test_adding_an_item_refuses_put(client_for, secretary, meeting):
    assert client_for(secretary).put(url(meeting)).status_code == 405
