"""Every setting-up URL in the workspace: the secretariat only (anonymous visitors log in; anyone
else, members included, gets 403), and each refuses the wrong HTTP method."""

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import get_resolver, reverse

from members.services import invitation_send
from members.tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

# name: (arguments, the method that does something)
PAGES = {
    "committee_new": ([], "get"),
    "committee_edit": (["slug"], "get"),
    "committee_members": (["slug"], "get"),
    "committee_members_import": (["slug"], "get"),
    "invitation_send": (["slug", "person"], "post"),
    "invitation_revoke": (["slug", "person"], "post"),
    "membership_edit": (["membership"], "get"),
    "people": ([], "get"),
    "person_new": ([], "get"),
    "person_edit": (["person"], "get"),
    "organisations": ([], "get"),
    "organisation_new": ([], "get"),
    "organisation_edit": (["organisation"], "get"),
}
ROLES = ["anonymous", "member", "outsider", "secretary", "superuser"]


@pytest.fixture
def urls(committee, mailoutbox):
    membership = MembershipFactory(
        committee=committee, person=PersonFactory(email="lucy@example.org")
    )
    invitation_send(person=membership.person, by=None)
    mailoutbox.clear()
    values = {
        "slug": committee.slug,
        "person": membership.person.pk,
        "membership": membership.pk,
        "organisation": membership.person.organisation_id,
    }
    return {
        name: reverse(f"members:{name}", args=[values[arg] for arg in args])
        for name, (args, _) in PAGES.items()
    }


def test_every_setting_up_url_is_in_this_matrix():
    included = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "members"
    )
    names = {p.name for p in included.url_patterns if str(p.pattern).startswith("workspace/")}
    assert names == set(PAGES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_only_the_secretariat_may_set_up(client_for, cast, urls, name, role, mailoutbox):
    url, method = urls[name], PAGES[name][1]
    response = getattr(client_for(cast[role]), method)(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url == redirect_to_login(url).url
    elif role in ("member", "outsider"):
        assert response.status_code == 403
        assert mailoutbox == []
    elif method == "get":
        assert response.status_code == 200
        assert response.content.decode().count("<h1") == 1
    else:
        assert response.status_code == 302


@pytest.mark.parametrize("name", PAGES)
def test_every_setting_up_url_refuses_the_wrong_method(client_for, secretary, urls, name):
    wrong = "delete" if PAGES[name][1] == "get" else "get"
    assert getattr(client_for(secretary), wrong)(urls[name]).status_code == 405
