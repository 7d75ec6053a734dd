"""Every workspace URL: the secretariat only (anonymous visitors log in; anyone else gets 403),
and each refuses the wrong HTTP method, so the per-view test files need not repeat these checks."""

import datetime

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import get_resolver, reverse
from django.utils import timezone

from meetings.tests.conftest import h1_count
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
ROLES = ["anonymous", "member", "outsider", "secretary", "superuser"]


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
    return {
        name: reverse(f"meetings:{name}", args=[values[arg] for arg in args])
        for name, (args, _) in PAGES.items()
    }


def test_every_workspace_url_is_in_this_matrix():
    included = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "meetings"
    )
    names = {p.name for p in included.url_patterns if str(p.pattern).startswith("workspace/")}
    assert names == set(PAGES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_only_the_secretariat_may_use_a_workspace_url(client_for, cast, urls, name, role):
    url, method = urls[name], PAGES[name][1]
    response = getattr(client_for(cast[role]), method)(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url == redirect_to_login(url).url
    elif role in ("member", "outsider"):
        assert response.status_code == 403
    elif method == "get":
        assert response.status_code == 200
        assert h1_count(response) == 1
    elif name == "guest_new":
        # An empty guest form is shown again with its errors.
        assert response.status_code == 200
        assert "Enter the guest’s given name." in response.content.decode()
    else:
        assert response.status_code == 302


@pytest.mark.parametrize("name", PAGES)
def test_every_workspace_url_refuses_the_wrong_method(client_for, secretary, urls, name):
    wrong = "delete" if PAGES[name][1] == "get" else "get"
    assert getattr(client_for(secretary), wrong)(urls[name]).status_code == 405
