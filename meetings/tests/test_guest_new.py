import pytest
from django.urls import reverse

from meetings.models import Attendance
from meetings.tests.factories import AttendanceFactory
from members.models import Organisation, Person
from members.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(meeting):
    return reverse("meetings:guest_new", args=[meeting.pk])


def guest(**changes):
    return {
        "given_name": "Jim",
        "family_name": "Haslem",
        "initials": "jh",
        "organisation_name": "Socitm Consulting",
        "role": "Guest presenter",
        **changes,
    }


def test_a_new_person_is_added_as_a_guest_present_with_a_new_organisation(
    client_for, secretary, meeting
):
    response = client_for(secretary).post(url(meeting), guest())
    assert response.status_code == 302
    assert response.url == reverse("meetings:attendance", args=[meeting.pk])
    attendance = meeting.attendances.select_related("person", "organisation").get()
    assert (attendance.person.full_name, attendance.person.initials) == ("Jim Haslem", "JH")
    assert (attendance.status, attendance.is_guest, attendance.role) == (
        Attendance.Status.PRESENT,
        True,
        "Guest presenter",
    )
    assert attendance.organisation.name == "Socitm Consulting"
    assert attendance.person.organisation == attendance.organisation


def test_a_new_organisation_name_that_already_exists_is_not_made_twice(
    client_for, secretary, meeting
):
    existing = OrganisationFactory(name="Socitm Consulting")
    client_for(secretary).post(url(meeting), guest(organisation_name="socitm consulting"))
    assert Organisation.objects.filter(name__iexact="socitm consulting").count() == 1
    assert meeting.attendances.get().organisation == existing


def test_an_organisation_can_be_picked_from_those_known(client_for, secretary, meeting):
    hytec = OrganisationFactory(name="Hytec")
    client_for(secretary).post(url(meeting), guest(organisation=hytec.pk, organisation_name=""))
    assert meeting.attendances.get().organisation == hytec


def test_initials_someone_else_uses_are_refused_at_the_field_keeping_what_was_typed(
    client_for, secretary, meeting
):
    PersonFactory(given_name="John", family_name="Hopkins", initials="JH")
    response = client_for(secretary).post(url(meeting), guest())
    assert response.status_code == 200
    form = response.context["guest_form"]
    assert form.errors == {
        "initials": ["John Hopkins already uses the initials JH: choose others."]
    }
    html = response.content.decode()
    assert 'id="id_initials_error"' in html
    assert 'value="Haslem"' in html
    assert 'value="Socitm Consulting"' in html
    assert not meeting.attendances.exists()
    assert Person.objects.count() == 1


def test_someone_already_known_can_come_as_a_guest(client_for, secretary, meeting):
    known = PersonFactory(given_name="Jim", family_name="Haslem")
    client_for(secretary).post(url(meeting), {"person": known.pk, "role": "Former Vice Chair"})
    attendance = meeting.attendances.get()
    assert (attendance.person, attendance.is_guest, attendance.organisation) == (
        known,
        True,
        known.organisation,
    )


def test_someone_already_recorded_cannot_be_added_again_and_is_told_so_without_an_error_page(
    client_for, secretary, meeting
):
    recorded = AttendanceFactory(meeting=meeting, status="apologies").person
    response = client_for(secretary).post(url(meeting), {"person": recorded.pk})
    assert response.status_code == 200
    assert response.context["guest_form"].errors["person"] == [
        f"{recorded.full_name} is already recorded at this meeting (apologies). "
        "Change their mark in the list."
    ]
    assert meeting.attendances.get().status == "apologies"


def test_a_guest_needs_a_name_or_a_known_person(client_for, secretary, meeting):
    response = client_for(secretary).post(url(meeting), {"role": "Guest"})
    errors = response.context["guest_form"].errors
    assert errors["given_name"] == ["Enter the guest’s given name."]
    assert errors["initials"] == ["Enter the guest’s initials."]
    assert not meeting.attendances.exists()


def test_with_htmx_the_attendance_section_comes_back_with_the_guest_in_it(
    client_for, secretary, meeting
):
    response = client_for(secretary).post(url(meeting), guest(), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Added Jim Haslem as a guest, present." in html
    assert "Attendance of Jim Haslem" in html
    assert "Guest: Guest presenter" in html


def test_a_line_break_in_a_name_is_refused_at_the_field_keeping_what_was_typed(
    client_for, secretary, meeting
):
    response = client_for(secretary).post(url(meeting), guest(family_name="Haslem\nBcc: x@y.z"))

    assert response.status_code == 200
    assert response.context["guest_form"].errors == {
        "family_name": [
            "Use a single line of text: no line breaks, tabs or other control characters."
        ]
    }
    assert 'id="id_family_name_error"' in response.content.decode()
    assert 'value="Socitm Consulting"' in response.content.decode()
    assert not Person.objects.exists()


def test_the_guest_list_offers_no_one_who_is_already_a_member(client_for, secretary, meeting):
    member = MembershipFactory(committee=meeting.committee).person
    outsider = PersonFactory(given_name="Jim", family_name="Haslem")

    response = client_for(secretary).get(reverse("meetings:attendance", args=[meeting.pk]))
    choices = list(response.context["guest_form"].fields["person"].queryset)
    assert outsider in choices
    assert member not in choices

    posted = client_for(secretary).post(url(meeting), {"person": member.pk})
    assert posted.context["guest_form"].errors["person"] == [
        "Members of the committee are marked in the list above, not added as guests."
    ]
    assert not meeting.attendances.exists()
