"""Every workspace URL: the secretariat only (anonymous visitors log in; anyone else gets 403),
and each refuses the wrong HTTP method, so the per-view test files need not repeat these checks."""

import datetime

import pytest
from django.utils import timezone

from config.tests.url_matrix import (
    ROLES,
    ask_as,
    assert_refuses_the_wrong_method,
    matrix_urls,
    workspace_url_names,
)
from meetings.tests.factories import AttendanceFactory
from members.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

# name: (arguments, the method that does something)
PAGES = {
    "workspace": ([], "get"),
    "venues": ([], "get"),
    "venue_new": ([], "get"),
    "venue_edit": (["venue"], "get"),
    "committee_workspace": (["slug"], "get"),
    "meeting_schedule": (["slug"], "get"),
    "meeting_schedule_series": (["slug"], "get"),
    "meeting_workspace": (["meeting"], "get"),
    "meeting_edit": (["meeting"], "get"),
    "meeting_cancel": (["meeting"], "get"),
    "meeting_move": (["meeting"], "get"),
    "agenda_workspace": (["meeting"], "get"),
    "agenda_item_new": (["meeting"], "get"),
    "agenda_item_edit": (["meeting", "item"], "get"),
    "agenda_item_delete": (["meeting", "item"], "get"),
    "attendance": (["meeting"], "get"),
    "attendance_remove": (["meeting", "person"], "get"),
    "agenda_start": (["meeting"], "post"),
    "agenda_publish": (["meeting"], "post"),
    "agenda_withdraw": (["meeting"], "post"),
    "agenda_item_move": (["meeting", "item"], "post"),
    "attendance_person": (["meeting", "person"], "post"),
    "guest_new": (["meeting"], "post"),
}


@pytest.fixture
def urls(committee, meeting):
    # Still to come, so that it can be moved and cancelled.
    meeting.date = timezone.localdate() + datetime.timedelta(days=30)
    meeting.save()
    person = MembershipFactory(committee=committee).person
    AttendanceFactory(meeting=meeting, person=person)
    values = {
        "slug": committee.slug,
        "meeting": meeting.pk,
        "item": meeting.agenda_items.first().pk,
        "person": person.pk,
        "venue": meeting.venue_id,
    }
    return matrix_urls("meetings", PAGES, values)


def test_every_workspace_url_is_in_this_matrix():
    assert workspace_url_names("meetings") == set(PAGES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_only_the_secretariat_may_use_a_workspace_url(client_for, cast, urls, name, role):
    # An empty guest form is shown again with its errors.
    shown_again = name == "guest_new"
    response = ask_as(
        client_for(cast[role]),
        role,
        urls[name],
        PAGES[name][1],
        post_answers=200 if shown_again else 302,
    )
    if shown_again and role in ("secretary", "superuser"):
        assert "Enter the guest’s given name." in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_every_workspace_url_refuses_the_wrong_method(client_for, secretary, urls, name):
    assert_refuses_the_wrong_method(client_for(secretary), urls[name], PAGES[name][1])
