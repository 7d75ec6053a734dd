"""Every setting-up URL in the workspace: the secretariat only (anonymous visitors log in; anyone
else, members included, gets 403), and each refuses the wrong HTTP method."""

import pytest

from config.tests.url_matrix import (
    ROLES,
    ask_as,
    assert_refuses_the_wrong_method,
    matrix_urls,
    workspace_url_names,
)
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
    return matrix_urls("members", PAGES, values)


def test_every_setting_up_url_is_in_this_matrix():
    assert workspace_url_names("members") == set(PAGES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_only_the_secretariat_may_set_up(client_for, cast, urls, name, role, mailoutbox):
    ask_as(client_for(cast[role]), role, urls[name], PAGES[name][1])
    if role in ("member", "outsider"):
        assert mailoutbox == [], "nothing was done for them"


@pytest.mark.parametrize("name", PAGES)
def test_every_setting_up_url_refuses_the_wrong_method(client_for, secretary, urls, name):
    assert_refuses_the_wrong_method(client_for(secretary), urls[name], PAGES[name][1])
