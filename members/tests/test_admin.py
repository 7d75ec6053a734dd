import datetime

import pytest
from django.urls import reverse

from config.tests.admin_pages import (
    admin_url,
    assert_only_the_secretariat_gets_in,
    inline_rows,
    save_admin_form,
)
from members.models import Committee, Membership, Organisation, Person
from members.tests.factories import (
    CommitteeFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "make",
    [OrganisationFactory, PersonFactory, CommitteeFactory, MembershipFactory],
    ids=["organisation", "person", "committee", "membership"],
)
def test_only_the_secretariat_can_open_the_list_add_and_change_pages(
    make, client_for, secretary, member
):
    assert_only_the_secretariat_gets_in(
        make(), client_for=client_for, secretary=secretary, member=member
    )


def test_organisations_are_listed_with_their_number_of_people(client_for, secretary):
    socitm = OrganisationFactory(name="Socitm")
    PersonFactory.create_batch(3, organisation=socitm)

    page = client_for(secretary).get(admin_url(Organisation, "changelist"), {"q": "socitm"})

    [listed] = page.context["cl"].result_list
    assert listed == socitm
    assert '<td class="field-number_of_people">3</td>' in page.content.decode()


def test_people_are_found_by_initials_and_filtered_by_organisation(client_for, secretary):
    socitm = OrganisationFactory(name="Socitm")
    suzanne = PersonFactory(given_name="Suzanne", initials="SH", organisation=socitm)
    # A fixed name: a random one ("Joshua", "Natasha") could itself match "sh".
    PersonFactory(given_name="Ian", family_name="Cooper", initials="IC")
    client = client_for(secretary)
    changelist = admin_url(Person, "changelist")

    assert list(client.get(changelist, {"q": "sh"}).context["cl"].result_list) == [suzanne]
    by_organisation = client.get(changelist, {"organisation__id__exact": socitm.pk})
    assert list(by_organisation.context["cl"].result_list) == [suzanne]


def test_secretary_can_find_a_login_to_link_to_a_person(client_for, secretary):
    login = UserFactory(username="shorner")

    response = client_for(secretary).get(
        reverse("admin:autocomplete"),
        {"app_label": "members", "model_name": "person", "field_name": "user", "term": "shor"},
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(login.pk), "text": "shorner"}]


def test_secretary_cannot_change_logins(client_for, secretary):
    login = UserFactory(username="shorner")
    client = client_for(secretary)

    response = client.post(admin_url(login, "change"), {"username": "renamed"})

    assert response.status_code == 403
    login.refresh_from_db()
    assert login.username == "shorner"


def test_secretary_can_add_a_committee_with_its_members(client_for, secretary):
    chair, member = PersonFactory(), PersonFactory()

    response = save_admin_form(
        client_for(secretary),
        admin_url(Committee, "add"),
        name="Socitm Futures",
        slug="socitm-futures",
        minutes_visibility=Committee.Visibility.PUBLIC,
        **inline_rows(
            "memberships",
            [
                {"person": chair.pk, "role": "chair", "start_date": "2009-01-01"},
                {"person": member.pk, "role": "member"},
            ],
        ),
    )

    assert response.status_code == 302, response.context["errors"]
    committee = Committee.objects.get(slug="socitm-futures")
    assert {(m.person, m.role, m.start_date) for m in committee.memberships.all()} == {
        (chair, "chair", datetime.date(2009, 1, 1)),
        (member, "member", None),
    }


def test_the_same_person_cannot_be_given_the_same_open_role_twice(client_for, secretary):
    committee = CommitteeFactory()
    seat = MembershipFactory(committee=committee, role=Membership.Role.MEMBER)

    response = save_admin_form(
        client_for(secretary),
        admin_url(committee, "change"),
        **inline_rows("memberships", [{"person": seat.person_id, "role": "member"}], start=1),
    )

    assert response.status_code == 200
    assert "This person already holds this role on the committee." in response.content.decode()
    assert committee.memberships.count() == 1


def test_memberships_are_filtered_by_committee_and_role_and_found_by_name(client_for, secretary):
    futures = CommitteeFactory(name="Socitm Futures")
    chair = MembershipFactory(
        committee=futures,
        role=Membership.Role.CHAIR,
        person=PersonFactory(given_name="Glyn", family_name="Evans"),
    )
    MembershipFactory(committee=futures)
    MembershipFactory(role=Membership.Role.CHAIR)
    client = client_for(secretary)
    changelist = admin_url(Membership, "changelist")

    filtered = client.get(changelist, {"committee__id__exact": futures.pk, "role__exact": "chair"})
    assert list(filtered.context["cl"].result_list) == [chair]
    assert list(client.get(changelist, {"q": "evans"}).context["cl"].result_list) == [chair]


def test_committees_are_filtered_by_who_may_read_their_minutes(client_for, secretary):
    public = CommitteeFactory(minutes_visibility=Committee.Visibility.PUBLIC)
    CommitteeFactory(minutes_visibility=Committee.Visibility.MEMBERS)

    page = client_for(secretary).get(
        admin_url(Committee, "changelist"), {"minutes_visibility__exact": "public"}
    )

    assert list(page.context["cl"].result_list) == [public]


SINGLE_LINE = "Use a single line of text: no line breaks, tabs or other control characters."


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (PersonFactory, "given_name"),
        (PersonFactory, "family_name"),
        (CommitteeFactory, "name"),
        (OrganisationFactory, "short_name"),
    ],
)
def test_a_line_break_in_a_name_is_refused_at_the_field(make, field, client_for, secretary):
    # Names go into email headers ("To: Suzanne Horner <…>"), where a line break is refused.
    obj = make()
    before = getattr(obj, field)

    response = save_admin_form(
        client_for(secretary), admin_url(obj, "change"), **{field: "Suzanne\r\nBcc: x@y.z"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [SINGLE_LINE]
    assert "Bcc: x@y.z" in response.content.decode(), "what was typed is kept"
    obj.refresh_from_db()
    assert getattr(obj, field) == before
