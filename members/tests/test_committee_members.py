"""A committee's members page: who sits on it, in what role and term, and whether they can log
in; adding a member (someone known, or a new person with a new organisation) from the page."""

import datetime

import pytest
from django.urls import reverse

from meetings.tests.factories import MeetingFactory
from members.models import Membership, Organisation, Person
from members.services import invitation_send
from members.tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def url(committee):
    return reverse("members:committee_members", args=[committee.slug])


def new_member(**changes):
    return {
        "person": "",
        "given_name": "Alison",
        "family_name": "Hopper",
        "initials": "ah",
        "email": "alison@example.org",
        "organisation": "",
        "organisation_name": "Ambridge Parish Council",
        "role": "vice-chair",
        "start_date": "2026-05-01",
        "end_date": "",
        **changes,
    }


def test_a_new_person_with_a_new_organisation_is_added_as_a_member(
    client_for, secretary, committee
):
    response = client_for(secretary).post(url(committee), new_member())
    assert response.status_code == 302
    assert response.url == url(committee)
    membership = Membership.objects.select_related("person__organisation").get()
    person = membership.person
    assert (person.full_name, person.initials, person.email) == (
        "Alison Hopper",
        "AH",
        "alison@example.org",
    )
    assert person.organisation.name == "Ambridge Parish Council"
    assert (membership.committee, membership.role, membership.start_date) == (
        committee,
        Membership.Role.VICE_CHAIR,
        datetime.date(2026, 5, 1),
    )


def test_someone_already_known_is_added_with_their_own_details(client_for, secretary, committee):
    known = PersonFactory(given_name="Shirley", family_name="Hart")
    client_for(secretary).post(
        url(committee),
        new_member(person=known.pk, given_name="", family_name="", initials="", email=""),
    )
    assert Membership.objects.get().person == known
    assert Person.objects.count() == 1


def test_mistakes_show_at_the_fields_and_nothing_typed_is_lost(client_for, secretary, committee):
    PersonFactory(given_name="Ian", family_name="Cooper", initials="AH")
    response = client_for(secretary).post(
        url(committee), new_member(family_name="", email="not an address")
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "initials": ["Ian Cooper already uses the initials AH: choose others."],
        "email": ["Enter a valid email address."],
        "family_name": ["Enter the member’s family name."],
    }
    html = response.content.decode()
    assert 'value="Alison"' in html and 'value="Ambridge Parish Council"' in html
    assert not Membership.objects.exists()


def test_the_same_role_twice_is_refused_in_words(client_for, secretary, committee):
    membership = MembershipFactory(committee=committee, role=Membership.Role.CHAIR)
    response = client_for(secretary).post(
        url(committee),
        new_member(
            person=membership.person.pk,
            given_name="",
            family_name="",
            initials="",
            email="",
            role="chair",
        ),
    )
    assert "This person already holds this role on the committee." in response.content.decode()
    assert Membership.objects.count() == 1


def test_ending_a_membership_moves_it_to_former_members(client_for, secretary, committee):
    membership = MembershipFactory(committee=committee)
    client = client_for(secretary)
    response = client.post(
        reverse("members:membership_edit", args=[membership.pk]),
        {"role": "member", "start_date": "", "end_date": "2020-01-31"},
    )
    assert response.status_code == 302
    page = client.get(url(committee))
    assert page.context["current"] == []
    assert page.context["former"] == [membership]
    assert "to 31 January 2020" in page.content.decode()


def test_a_membership_cannot_end_before_it_starts(client_for, secretary, committee):
    membership = MembershipFactory(committee=committee)
    response = client_for(secretary).post(
        reverse("members:membership_edit", args=[membership.pk]),
        {"role": "member", "start_date": "2020-02-01", "end_date": "2020-01-31"},
    )
    assert response.context["form"].errors == {
        "end_date": ["A membership cannot end before it starts."]
    }


def test_from_the_attendance_page_a_member_is_added_and_the_page_comes_back(
    client_for, secretary, committee
):
    meeting = MeetingFactory(committee=committee)
    attendance = reverse("meetings:attendance", args=[meeting.pk])
    client = client_for(secretary)
    detour = client.post(attendance, {"detour": "member"})
    assert detour.status_code == 302
    assert (
        detour.url == f"{url(committee)}?next={attendance.replace('/', '%2F')}#add-member-heading"
    )
    page = client.get(detour.url.split("#")[0])
    assert f'name="next" value="{attendance}"' in page.content.decode()
    added = client.post(url(committee), {**new_member(), "next": attendance})
    assert added.url == attendance
    sheet = client.get(attendance).content.decode()
    assert "Alison Hopper" in sheet


def test_the_page_shows_each_members_role_login_and_invitation(
    client_for, secretary, committee, mailoutbox
):
    MembershipFactory(
        committee=committee,
        role=Membership.Role.CHAIR,
        person=PersonFactory(given_name="Ian", family_name="Cooper", email="ian@example.org"),
    )
    invited = MembershipFactory(
        committee=committee,
        person=PersonFactory(given_name="Glyn", family_name="Evans", email="glyn@example.org"),
    ).person
    MembershipFactory(committee=committee, person=PersonFactory(given_name="Nomail"))
    invitation_send(person=invited, by=secretary)
    html = client_for(secretary).get(url(committee)).content.decode()
    assert "Chair" in html
    assert "Invite Ian Cooper" in html
    assert "Invited, not yet accepted" in html
    assert "Send Glyn Evans’s invitation again" in html
    assert "Add an email address to invite" in html


@pytest.mark.parametrize("size", [2, 20])
def test_the_members_page_takes_a_fixed_number_of_queries(
    client_for, secretary, committee, size, django_assert_num_queries
):
    for n in range(size):
        person = PersonFactory(email=f"p{n}@example.org", organisation=Organisation.objects.first())
        MembershipFactory(committee=committee, person=person)
        if n % 2:
            invitation_send(person=person, by=secretary)
    client = client_for(secretary)
    with django_assert_num_queries(10):
        response = client.get(url(committee))
    assert len(response.context["current"]) == size
