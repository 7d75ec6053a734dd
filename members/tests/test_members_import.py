"""Members from a list: paste or upload a CSV, see what each line would do — created, matched or
refused, and why — and only then save."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Membership, Organisation, Person
from members.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

LIST = """name,initials,organisation,email,role
Ian Cooper,IC,Hampshire CC,ian@example.org,Chair
"Hart, Shirley",,Socitm,shirley@example.org,vice chair
Glyn Evans,GE,Socitm,glyn@example.org,Treasurer
Jo Bloggs,SH,Socitm,jo@example.org,member
Martin Ferguson,MF,Socitm,,clerk
Ian Cooper,IC,Hampshire CC,ian@example.org,member
"""


def url(committee):
    return reverse("members:committee_members_import", args=[committee.slug])


@pytest.fixture
def known(committee):
    """Steve Hall (SH) is known already; Socitm exists."""
    socitm = OrganisationFactory(name="Socitm")
    return PersonFactory(given_name="Steve", family_name="Hall", initials="SH", organisation=socitm)


def outcomes(response):
    return [
        (row.line, row.name, row.outcome_label, " ".join(row.notes))
        for row in response.context["rows"]
    ]


def test_the_preview_says_what_each_line_would_do_and_saves_nothing(
    client_for, secretary, committee, known
):
    response = client_for(secretary).post(url(committee), {"csv": LIST, "action": "preview"})
    assert outcomes(response) == [
        (2, "Ian Cooper", "New person", "New organisation: Hampshire CC."),
        (3, "Hart, Shirley", "Refused", "Give initials: those made from the name are taken."),
        (
            4,
            "Glyn Evans",
            "Refused",
            "“Treasurer” is not a role here: use Chair, Vice-chair, Member, Officer or clerk, or "
            "Observer.",
        ),
        (5, "Jo Bloggs", "Refused", "Steve Hall already uses the initials SH."),
        (6, "Martin Ferguson", "New person", ""),
        (7, "Ian Cooper", "Refused", "Line 2 is the same person."),
    ]
    assert Person.objects.count() == 1
    assert not Membership.objects.exists()
    # What is saved is what the preview showed: the list is in the box, ready to correct.
    assert response.context["form"]["csv"].value() == LIST.strip()
    assert "Save the members shown above" in response.content.decode()


def test_saving_creates_the_people_and_seats_the_preview_showed(
    client_for, secretary, committee, known
):
    client = client_for(secretary)
    response = client.post(url(committee), {"csv": LIST, "action": "save"})
    assert response.status_code == 302
    seats = sorted(
        Membership.objects.filter(committee=committee).values_list(
            "person__initials", "role", "person__organisation__name", "person__email"
        )
    )
    assert seats == [
        ("IC", "chair", "Hampshire CC", "ian@example.org"),
        ("MF", "officer", "Socitm", ""),
    ]
    assert Organisation.objects.count() == 2
    page = client.get(response.url).content.decode()
    assert "Added 2 members; 4 refused lines not saved." in page


def test_someone_already_known_is_matched_by_email_and_not_created_again(
    client_for, secretary, committee, known
):
    known.email = "steve@example.org"
    known.save()
    text = "Steve Hall,SH,Socitm,STEVE@example.org,member\n"
    client = client_for(secretary)
    preview = client.post(url(committee), {"csv": text, "action": "preview"})
    assert outcomes(preview) == [
        (1, "Steve Hall", "Matched", "Already in Minutebook as Steve Hall (SH).")
    ]
    client.post(url(committee), {"csv": text, "action": "save"})
    assert Person.objects.count() == 1
    assert Membership.objects.get().person == known
    # Importing the same list again changes nothing.
    again = client.post(url(committee), {"csv": text, "action": "preview"})
    assert outcomes(again) == [(1, "Steve Hall", "Already a member", "")]


def test_a_list_can_be_uploaded_as_a_file_from_a_spreadsheet(client_for, secretary, committee):
    upload = SimpleUploadedFile(
        "members.csv", "Zoë Brontë,ZB,Haworth Parish,zoe@example.org,Observer\n".encode("cp1252")
    )
    response = client_for(secretary).post(url(committee), {"file": upload, "action": "preview"})
    assert outcomes(response) == [
        (1, "Zoë Brontë", "New person", "New organisation: Haworth Parish.")
    ]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"csv": "  "}, "Paste the list here, or upload a CSV file."),
        (
            {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04\x00\x00binary")},
            "This is not a CSV file: save the list as CSV and retry.",
        ),
    ],
)
def test_an_empty_list_or_a_file_that_is_not_csv_is_refused_at_the_field(
    client_for, secretary, committee, data, error
):
    response = client_for(secretary).post(url(committee), {**data, "action": "preview"})
    assert error in response.content.decode()
    assert response.context["rows"] is None


def test_a_committee_of_eight_is_set_up_from_a_list(client_for, secretary, committee):
    lines = [f"Person {n} Smith{n},P{n},Council {n % 3},p{n}@example.org,member" for n in range(8)]
    client_for(secretary).post(url(committee), {"csv": "\n".join(lines), "action": "save"})
    assert Membership.objects.current().filter(committee=committee).count() == 8
