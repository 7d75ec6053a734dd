"""A secretary sets up a committee in the workspace, not the admin: its name, who reads its
minutes, its usual venue and time; and a venue can be added from the form that needs it without
losing what was typed."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from meetings.models import Venue
from meetings.tests.factories import VenueFactory
from members.models import Committee

pytestmark = pytest.mark.django_db

NEW = reverse("members:committee_new")


def committee_form(**changes):
    return {
        "name": "Data Steering Group",
        "parent_body": "",
        "minutes_visibility": "members",
        "default_venue": "",
        "usual_start_time": "14:00",
        "usual_end_time": "16:00",
        "description": "",
        **changes,
    }


def test_an_empty_workspace_says_how_to_set_up_the_first_committee(client_for, secretary):
    page = client_for(secretary).get(reverse("meetings:workspace")).content.decode()
    assert "No committees yet." in page
    assert f'<a href="{NEW}">Set up your first committee</a>' in page


def test_a_secretary_who_is_not_a_superuser_sets_up_a_committee(client_for, secretary):
    assert not secretary.is_superuser
    venue = VenueFactory(name="Town Hall", building="")
    response = client_for(secretary).post(NEW, committee_form(default_venue=venue.pk))
    committee = Committee.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("members:committee_members", args=["data-steering-group"])
    assert (committee.slug, committee.minutes_visibility, committee.default_venue) == (
        "data-steering-group",
        "members",
        venue,
    )
    assert (committee.usual_start_time, committee.usual_end_time) == (
        datetime.time(14),
        datetime.time(16),
    )


def test_a_clash_of_names_and_times_shows_at_the_fields_and_keeps_what_was_typed(
    client_for, secretary, committee
):
    response = client_for(secretary).post(
        NEW, committee_form(name="Socitm Futures", usual_end_time="13:00", parent_body="Socitm")
    )
    form = response.context["form"]
    assert form.errors == {
        "name": ["A committee with this name already exists."],
        "usual_end_time": ["Meetings must end after they start."],
    }
    assert 'value="Socitm"' in response.content.decode()
    assert Committee.objects.count() == 1


def test_a_committee_called_new_gets_an_address_that_is_not_a_workspace_page(client_for, secretary):
    client_for(secretary).post(NEW, committee_form(name="New"))
    assert Committee.objects.get().slug == "new-2"


def test_editing_a_committee_keeps_its_address(client_for, secretary, committee):
    url = reverse("members:committee_edit", args=[committee.slug])
    response = client_for(secretary).post(
        url, committee_form(name="Socitm Futures Group", minutes_visibility="public")
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert (committee.name, committee.slug, committee.minutes_visibility) == (
        "Socitm Futures Group",
        "socitm-futures",
        "public",
    )


def _follow_detour(client, response):
    """The venue page the detour went to, and the address it will come back to."""
    assert response.status_code == 302
    target = urlsplit(response.url)
    assert target.path == reverse("meetings:venue_new")
    return parse_qs(target.query)["next"][0]


def test_a_venue_added_from_the_committee_form_comes_back_chosen_with_the_rest_as_typed(
    client_for, secretary
):
    client = client_for(secretary)
    typed = committee_form(name="Parish Council", parent_body="Ambridge")
    back = _follow_detour(client, client.post(NEW, {**typed, "detour": "venue"}))
    assert Committee.objects.count() == 0

    venue_page = client.get(reverse("meetings:venue_new"), {"next": back})
    assert f'name="next" value="{back}"' in venue_page.content.decode()
    added = client.post(
        reverse("meetings:venue_new"),
        {"name": "Village Hall", "building": "", "address": "Ambridge", "next": back},
    )
    venue = Venue.objects.get()
    assert added.url == f"{back}&made={venue.pk}"

    form = client.get(added.url).context["form"]
    assert form["name"].value() == "Parish Council"
    assert form["parent_body"].value() == "Ambridge"
    assert form["usual_start_time"].value() == "14:00"
    assert str(form["default_venue"].value()) == str(venue.pk)


def test_a_venue_added_while_scheduling_comes_back_chosen_with_the_date_kept(
    client_for, secretary, committee
):
    client = client_for(secretary)
    schedule = reverse("meetings:meeting_schedule", args=[committee.slug])
    typed = {"date": "2027-03-15", "start_time": "10:30", "end_time": "", "venue": ""}
    back = _follow_detour(client, client.post(schedule, {**typed, "detour": "venue"}))
    added = client.post(
        reverse("meetings:venue_new"), {"name": "Guildhall", "building": "", "next": back}
    )
    form = client.get(added.url).context["form"]
    assert form["date"].value() == "2027-03-15"
    assert form["start_time"].value() == "10:30"
    assert str(form["venue"].value()) == str(Venue.objects.get(name="Guildhall").pk)


def test_going_back_from_the_venue_page_restores_the_form_without_a_venue(
    client_for, secretary, committee
):
    client = client_for(secretary)
    schedule = reverse("meetings:meeting_schedule", args=[committee.slug])
    back = _follow_detour(client, client.post(schedule, {"date": "2027-03-15", "detour": "venue"}))
    page = client.get(reverse("meetings:venue_new"), {"next": back}).content.decode()
    assert f'href="{back}">Back without adding</a>' in page
    assert client.get(back).context["form"]["date"].value() == "2027-03-15"


def test_a_venue_page_never_returns_to_another_site(client_for, secretary):
    response = client_for(secretary).post(
        reverse("meetings:venue_new"), {"name": "Guildhall", "next": "https://evil.example/"}
    )
    assert response.url == reverse("meetings:venues")


def test_a_new_meeting_starts_from_the_committees_usual_time(client_for, secretary, committee):
    committee.usual_start_time, committee.usual_end_time = datetime.time(18), datetime.time(20)
    committee.save()
    form = (
        client_for(secretary)
        .get(reverse("meetings:meeting_schedule", args=[committee.slug]))
        .context["form"]
    )
    assert (form["start_time"].value(), form["end_time"].value()) == (
        datetime.time(18),
        datetime.time(20),
    )


def test_a_committee_without_members_or_meetings_says_what_to_do_next(
    client_for, secretary, committee
):
    page = client_for(secretary).get(reverse("meetings:committee_workspace", args=[committee.slug]))
    html = page.content.decode()
    members = reverse("members:committee_members", args=[committee.slug])
    assert f'has no members yet. <a href="{members}">Add its members</a>' in html
    schedule = reverse("meetings:meeting_schedule", args=[committee.slug])
    assert f'No meetings are scheduled. <a href="{schedule}">Schedule the first one</a>' in html
