import datetime

import pytest
from django.urls import reverse

from meetings.models import Attendance
from meetings.tests.conftest import h1_count
from meetings.tests.factories import AttendanceFactory
from members.models import Membership
from members.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(meeting):
    return reverse("meetings:attendance", args=[meeting.pk])


def row_url(meeting, person):
    return reverse("meetings:attendance_person", args=[meeting.pk, person.pk])


def field(person):
    return f"person-{person.pk}"


@pytest.fixture
def people(committee):
    """Three current members of ``committee``, with their organisations."""
    return [
        MembershipFactory(
            committee=committee,
            person=PersonFactory(
                given_name=given,
                family_name=family,
                organisation=OrganisationFactory(name=organisation),
            ),
            role=role,
        ).person
        for given, family, organisation, role in [
            ("Ian", "Cooper", "Hampshire CC", Membership.Role.MEMBER),
            ("Glyn", "Evans", "Birmingham City Council", Membership.Role.CHAIR),
            ("Sal", "Khan", "East Staffs BC", Membership.Role.MEMBER),
        ]
    ]


def statuses(meeting):
    return {
        a.person.family_name: (a.status, a.organisation.name)
        for a in meeting.attendances.select_related("person", "organisation")
    }


def test_the_committees_current_members_are_listed_with_their_organisations(
    client_for, secretary, committee, meeting, people
):
    MembershipFactory(
        committee=committee,
        person=PersonFactory(family_name="Gone"),
        end_date=datetime.date(2009, 1, 1),
    )
    response = client_for(secretary).get(url(meeting))
    assert response.status_code == 200
    assert h1_count(response) == 1
    html = response.content.decode()
    names = ["Ian Cooper", "Glyn Evans", "Sal Khan"]
    assert [html.index(name) for name in names] == sorted(html.index(name) for name in names)
    assert "Birmingham City Council" in html
    assert "(Chair)" in html
    assert "Attendance of" in html
    assert "Gone</legend>" not in html


def test_each_person_has_a_labelled_radio_group(client_for, secretary, meeting, people):
    html = client_for(secretary).get(url(meeting)).content.decode()
    assert html.count("<fieldset") >= len(people)
    assert '<legend class="visually-hidden">Attendance of Ian Cooper</legend>' in html
    ian = people[0]
    for index, label in enumerate(["Present", "Apologies", "Absent"]):
        assert f'<label class="form-check-label" for="id_{field(ian)}_{index}">{label}</label>' in (
            html
        )


def test_one_post_marks_many_and_records_each_organisation(client_for, secretary, meeting, people):
    ian, glyn, sal = people
    response = client_for(secretary).post(
        url(meeting),
        {field(ian): "present", field(glyn): "apologies", field(sal): "absent"},
    )
    assert response.status_code == 302
    assert response.url == url(meeting)
    assert statuses(meeting) == {
        "Cooper": ("present", "Hampshire CC"),
        "Evans": ("apologies", "Birmingham City Council"),
        "Khan": ("absent", "East Staffs BC"),
    }


def test_a_second_post_changes_marks_without_a_second_row_and_leaves_unmarked_people_alone(
    client_for, secretary, meeting, people
):
    ian, glyn, _ = people
    client = client_for(secretary)
    client.post(url(meeting), {field(ian): "apologies", field(glyn): "present"})
    client.post(url(meeting), {field(ian): "present"})
    assert statuses(meeting) == {
        "Cooper": ("present", "Hampshire CC"),
        "Evans": ("present", "Birmingham City Council"),
    }
    assert Attendance.objects.filter(meeting=meeting, person=ian).count() == 1


def test_an_unknown_mark_is_refused_next_to_the_person_keeping_the_others(
    client_for, secretary, meeting, people
):
    ian, glyn, _ = people
    response = client_for(secretary).post(
        url(meeting), {field(ian): "asleep", field(glyn): "apologies"}
    )
    assert response.status_code == 200
    assert "asleep is not one of the available choices" in response.content.decode()
    assert f'id="id_{field(ian)}_error"' in response.content.decode()
    assert f'value="apologies" id="id_{field(glyn)}_1" checked' in (response.content.decode())
    assert not meeting.attendances.exists()


def test_the_organisation_recorded_survives_a_later_change_of_the_persons_organisation(
    client_for, secretary, meeting, people
):
    ian = people[0]
    client = client_for(secretary)
    client.post(url(meeting), {field(ian): "present"})
    ian.organisation = OrganisationFactory(name="Socitm")
    ian.save()
    client.post(url(meeting), {field(ian): "apologies"})

    attendance = meeting.attendances.select_related("organisation").get(person=ian)
    assert (attendance.status, attendance.organisation.name) == ("apologies", "Hampshire CC")
    html = client.get(url(meeting)).content.decode()
    row = html[html.index("Ian Cooper") :][:1500]
    assert "Hampshire CC" in row
    assert "Socitm" not in row


def test_someone_recorded_who_has_left_the_committee_still_shows(
    client_for, secretary, meeting, committee
):
    former = AttendanceFactory(
        meeting=meeting, person__family_name="Haslem", status="apologies"
    ).person
    response = client_for(secretary).get(url(meeting))
    html = response.content.decode()
    assert former.full_name in html
    assert "No longer a member" in html
    assert f'value="apologies" id="id_{field(former)}_1" checked' in html


def test_one_click_saves_one_row_through_htmx(client_for, secretary, meeting, people):
    ian, glyn, _ = people
    response = client_for(secretary).post(
        row_url(meeting, ian), {field(ian): "apologies", field(glyn): "present"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="attendance-row-{ian.pk}">')
    assert "Saved: Ian Cooper, apologies." in html
    assert statuses(meeting) == {"Cooper": ("apologies", "Hampshire CC")}


def test_the_row_endpoint_without_htmx_goes_back_to_the_page(
    client_for, secretary, meeting, people
):
    ian = people[0]
    response = client_for(secretary).post(row_url(meeting, ian), {field(ian): "absent"})
    assert response.status_code == 302
    assert response.url == url(meeting)
    assert statuses(meeting) == {"Cooper": ("absent", "Hampshire CC")}


def test_someone_neither_a_member_nor_recorded_cannot_be_marked(client_for, secretary, meeting):
    stranger = PersonFactory()
    response = client_for(secretary).post(
        row_url(meeting, stranger), {field(stranger): "present"}, **HTMX
    )
    assert response.status_code == 404
    assert not meeting.attendances.exists()


def remove_url(meeting, person):
    return reverse("meetings:attendance_remove", args=[meeting.pk, person.pk])


def test_a_guest_recorded_by_mistake_is_removed_after_a_confirmation_page(
    client_for, secretary, meeting, people
):
    guest = AttendanceFactory(meeting=meeting, is_guest=True, role="Presenter").person
    client = client_for(secretary)
    sheet = client.get(url(meeting)).content.decode()
    assert f'href="{remove_url(meeting, guest)}"' in sheet
    # Nobody unmarked has anything to remove.
    assert remove_url(meeting, people[0]) not in sheet

    asked = client.get(remove_url(meeting, guest))
    assert h1_count(asked) == 1
    assert f"Remove {guest.full_name} from the record" in asked.content.decode()
    assert meeting.attendances.filter(person=guest).exists()

    done = client.post(remove_url(meeting, guest), follow=True)
    assert not meeting.attendances.filter(person=guest).exists()
    page = done.content.decode()
    assert f"Removed {guest.full_name} from the record of this meeting." in page
    assert f"Attendance of {guest.full_name}" not in page


def test_a_member_marked_by_mistake_goes_back_to_unmarked(client_for, secretary, meeting, people):
    ian = people[0]
    client = client_for(secretary)
    client.post(url(meeting), {field(ian): "apologies"})
    response = client.post(remove_url(meeting, ian), **HTMX)
    assert response.status_code == 200
    assert not meeting.attendances.filter(person=ian).exists()
    # The sheet comes back with Ian still on it, now with no mark.
    html = response.content.decode()
    assert f"Attendance of {ian.full_name}" in html
    assert f'id="id_{field(ian)}_1" checked' not in html


def test_someone_not_recorded_cannot_be_removed(client_for, secretary, meeting, people):
    client = client_for(secretary)
    assert client.get(remove_url(meeting, people[0])).status_code == 404
    assert client.post(remove_url(meeting, people[0])).status_code == 404


def test_the_page_refuses_put(client_for, secretary, meeting):
    assert client_for(secretary).put(url(meeting)).status_code == 405


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_costs_the_same_queries_however_many_people(
    client_for, secretary, committee, meeting, size, django_assert_num_queries
):
    for n in range(size):
        person = MembershipFactory(committee=committee).person
        if n % 2:
            AttendanceFactory(meeting=meeting, person=person, status="apologies")
    AttendanceFactory(meeting=meeting, is_guest=True)
    client = client_for(secretary)
    with django_assert_num_queries(9):
        response = client.get(url(meeting))
    assert response.content.decode().count('<fieldset class="attendance-choice"') == size + 1
