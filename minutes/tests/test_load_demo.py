import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pypdf import PdfReader

from meetings.models import AgendaItem, Attendance, Meeting
from members.models import Committee, Organisation, Person
from minutes.models import Action, Decision, Minutes, MinutesVersion
from minutes.tests import reference

pytestmark = pytest.mark.django_db

# Figures the issue states about the reference meeting.
PRESENT, APOLOGIES, ITEMS = 15, 8, 6


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def meeting(demo):
    return Meeting.objects.select_related("venue", "committee").get(
        date=datetime.date(2009, 11, 16)
    )


def attendees(meeting, status):
    return [
        (a.person.full_name, a.organisation.display_name)
        for a in meeting.attendances.filter(status=status).select_related("person", "organisation")
    ]


def test_everyone_in_attendance_is_listed_with_their_organisation_in_the_reference_order(meeting):
    present = attendees(meeting, Attendance.Status.PRESENT)
    assert len(present) == PRESENT
    assert reference.in_order(
        reference.attendance_section(), [f"{name} {organisation}" for name, organisation in present]
    )


def test_apologies_are_listed_with_their_organisations_in_the_reference_order(meeting):
    apologies = attendees(meeting, Attendance.Status.APOLOGIES)
    assert len(apologies) == APOLOGIES
    assert reference.in_order(
        reference.apologies_section(),
        [f"{name} {organisation}" for name, organisation in apologies],
    )


def test_the_demo_holds_exactly_the_reference_people_and_organisations(meeting):
    assert Person.objects.count() == PRESENT + APOLOGIES
    recorded = set(meeting.attendances.values_list("organisation__name", flat=True))
    assert set(Organisation.objects.values_list("name", flat=True)) == recorded


def test_martin_f_and_glyn_e_are_known_by_the_short_forms_the_minutes_use(meeting):
    text = reference.reference_text()
    for person in Person.objects.exclude(known_as=""):
        assert person.known_as in text
        assert person.known_as.split()[0] == person.given_name


def test_the_meeting_is_at_the_reference_venue(meeting):
    header = reference.section(
        "MEETING HELD ON MONDAY 16 NOVEMBER 2009 AT PREMISES OF", "In Attendance"
    )
    assert meeting.venue.full_description.upper() == header.strip()
    assert meeting.committee.name == "Socitm Futures"
    assert meeting.committee.name.upper() in reference.reference_text()


def test_the_six_numbered_items_have_the_reference_titles_in_order(meeting):
    items = list(meeting.agenda_items.all())
    assert [item.number for item in items] == [str(n) for n in range(1, ITEMS + 1)]
    assert reference.in_order(
        reference.reference_text(), [f"{item.number}. {item.title}" for item in items]
    )


def test_every_paragraph_and_bullet_of_the_minute_text_is_in_the_reference(meeting):
    text = reference.reference_text()
    for item in meeting.agenda_items.select_related("minute"):
        for line in item.minute.text.splitlines():
            line = line.removeprefix("- ").strip()
            if line:
                assert reference.normalise(line) in text, line


def test_the_bullet_points_of_items_2_and_3_are_bullets(meeting):
    items = {item.number: item for item in meeting.agenda_items.select_related("minute")}
    source = reference.SEED.read_text(encoding="utf-8")
    assert source.count("·") == 9
    bullets = sum(
        line.startswith("- ") for n in ("2", "3") for line in items[n].minute.text.splitlines()
    )
    assert bullets == 9


def test_the_decisions_and_the_action_are_those_of_the_reference(meeting):
    text = reference.reference_text()
    decisions = list(
        Decision.objects.filter(minutes__meeting=meeting).select_related("agenda_item")
    )
    assert [d.agenda_item.number for d in decisions] == ["4", "5"]
    for decision in decisions:
        assert decision.text in text
    (action,) = Action.objects.filter(minutes__meeting=meeting)
    assert action.agenda_item.number == "6"
    assert f"{action.text} Action: {action.owner_initials}" in text
    assert action.owner_initials == "SH"
    assert action.owners.get().full_name == "Suzanne Horner"


def test_item_5_agrees_the_minutes_of_13_july_2009(meeting):
    item = meeting.agenda_items.get(number="5")
    assert item.kind == AgendaItem.Kind.PREVIOUS_MINUTES
    assert item.previous_meeting.date == datetime.date(2009, 7, 13)
    assert "13 July 2009" in item.title
    previous = Minutes.objects.get(meeting=item.previous_meeting)
    assert previous.approved_at_meeting == meeting


def test_the_six_meetings_of_2010_are_scheduled_at_the_same_venue(meeting):
    later = list(Meeting.objects.after(meeting))
    assert [m.date for m in later] == reference.suggested_meeting_dates()
    assert len(later) == 6
    assert {m.venue for m in later} == {meeting.venue}
    assert {m.status for m in later} == {Meeting.Status.SCHEDULED}


def test_the_demo_minutes_are_approved_and_published_with_a_stored_pdf(meeting):
    minutes = meeting.minutes
    assert minutes.status == Minutes.Status.PUBLISHED
    assert minutes.is_confirmed
    version = minutes.versions.get()
    reader = PdfReader(version.pdf.open("rb"))
    text = reference.normalise(" ".join(page.extract_text() for page in reader.pages))
    assert "Suzanne Horner" in text
    assert "Action: SH" in text


def test_the_command_prints_the_demo_logins(demo):
    assert "secretary / minutebook-demo" in demo
    assert "member / minutebook-demo" in demo
    assert "they are public, no login needed" in demo


def test_loading_the_demo_twice_changes_nothing(demo, settings):
    def snapshot():
        return {
            model._meta.label: sorted(map(repr, model.objects.values()))
            for model in apps.get_models()
            if model._meta.app_label in {"members", "meetings", "minutes", "auth"}
        }

    before = snapshot()
    files_before = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.pdf"))
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*.pdf")) == files_before
    assert MinutesVersion.objects.count() == 1
    assert Committee.objects.count() == 1


def test_the_bullets_of_item_3_show_as_a_list_in_the_published_minutes(meeting, client):
    client.force_login(get_user_model().objects.get(username="member"))
    page = client.get(meeting.get_absolute_url()).content.decode()
    item_3 = page[page.index('id="item-3"') : page.index('id="item-4"')]
    assert "<li>Social media</li>" in item_3


def test_a_newcomer_sees_the_demo_minutes_on_the_home_page_without_logging_in(meeting, client):
    home = client.get("/").content.decode()
    assert "Socitm Futures: minutes of Monday 16 November 2009" in home
    assert client.get(meeting.get_absolute_url()).status_code == 200
    pdf = client.get(meeting.get_absolute_url() + "minutes.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
