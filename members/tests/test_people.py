"""People, organisations and venues, kept in the workspace: listed, added and corrected, with
an empty list that says what to do."""

import pytest
from django.urls import reverse

from meetings.models import Venue
from meetings.tests.factories import VenueFactory
from members.models import Organisation, Person
from members.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("list_page", "new", "words"),
    [
        ("members:people", "members:person_new", "Nobody is in Minutebook yet."),
        ("members:organisations", "members:organisation_new", "No organisations yet."),
        ("meetings:venues", "meetings:venue_new", "No venues yet."),
    ],
)
def test_an_empty_list_says_what_to_do_with_a_link(client_for, secretary, list_page, new, words):
    html = client_for(secretary).get(reverse(list_page)).content.decode()
    assert words in html
    assert f'<a href="{reverse(new)}">' in html


def test_a_person_is_added_with_a_new_organisation(client_for, secretary):
    response = client_for(secretary).post(
        reverse("members:person_new"),
        {
            "given_name": "Martin",
            "family_name": "Ferguson",
            "initials": "mf",
            "known_as": "Martin F",
            "email": "martin@example.org",
            "organisation": "",
            "organisation_name": "Socitm",
        },
    )
    assert response.status_code == 302
    person = Person.objects.select_related("organisation").get()
    assert (person.initials, person.known_as, person.organisation.name) == (
        "MF",
        "Martin F",
        "Socitm",
    )


def test_initials_someone_else_uses_are_refused_at_the_field(client_for, secretary):
    PersonFactory(given_name="Steve", family_name="Hall", initials="SH")
    other = PersonFactory(given_name="Sue", family_name="Hill", initials="SUH")
    response = client_for(secretary).post(
        reverse("members:person_edit", args=[other.pk]),
        {"given_name": "Sue", "family_name": "Hill", "initials": "sh"},
    )
    assert response.context["form"].errors == {
        "initials": ["Steve Hall already uses the initials SH: choose others."]
    }
    # Keeping one's own initials is fine.
    kept = client_for(secretary).post(
        reverse("members:person_edit", args=[other.pk]),
        {"given_name": "Susan", "family_name": "Hill", "initials": "SUH"},
    )
    assert kept.status_code == 302


def test_an_organisation_name_is_unique_whatever_its_case(client_for, secretary):
    OrganisationFactory(name="Hampshire County Council")
    response = client_for(secretary).post(
        reverse("members:organisation_new"), {"name": "hampshire  county council"}
    )
    assert "An organisation with this name already exists." in response.content.decode()
    assert Organisation.objects.count() == 1


def test_a_venue_is_corrected(client_for, secretary):
    venue = VenueFactory(name="Siemens")
    client_for(secretary).post(
        reverse("meetings:venue_edit", args=[venue.pk]),
        {"name": "Siemens", "building": "Hillgate House", "address": "26 Old Bailey"},
    )
    assert Venue.objects.get().full_description == "Siemens, Hillgate House, 26 Old Bailey"


# Not "page": that name is the browser tests' Playwright page.
@pytest.mark.parametrize(
    "list_page", ["members:people", "members:organisations", "meetings:venues"]
)
@pytest.mark.parametrize("size", [2, 20])
def test_the_lists_take_a_fixed_number_of_queries(
    client_for, secretary, list_page, size, django_assert_num_queries
):
    for _ in range(size):
        PersonFactory(user=None)
        VenueFactory()
    client = client_for(secretary)
    with django_assert_num_queries(6):  # with the record's mark (config/page_cache.py)
        client.get(reverse(list_page))
