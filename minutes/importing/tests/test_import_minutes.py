"""python manage.py import_minutes: dry runs, imports, re-imports, folders and zips."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from meetings.models import AgendaItem, Attendance, Meeting
from members.models import Organisation, Person
from members.tests.factories import OrganisationFactory, PersonFactory
from minutes.importing.models import ImportedDocument
from minutes.importing.tests.files import blank_pdf_bytes, docx_bytes, pdf_bytes
from minutes.models import Action, Decision
from minutes.tests.reference import SEED

KEYS = ["date", "present", "in_attendance", "apologies", "absent", "items", "next_meeting",
        "warnings"]  # fmt: skip


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_minutes", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_prints_one_json_object_per_file_with_exactly_the_documented_keys(
    committee, tmp_path
):
    (tmp_path / "a.docx").write_bytes(docx_bytes())
    out, _ = run(SEED, tmp_path / "a.docx", "--committee", committee.slug, "--dry-run",
                 "--format", "json")  # fmt: skip
    reference, word = [json.loads(line) for line in out.splitlines()]
    assert list(reference) == KEYS and list(word) == KEYS
    assert reference["date"] == "2009-11-16"
    assert reference["items"][5]["actions"][0]["owners"] == ["SH"]
    assert word["date"] == "2023-03-06"
    assert not Meeting.objects.exists() and not Person.objects.exists()


def test_a_dry_run_reports_an_unreadable_file_in_the_same_shape(committee, tmp_path):
    (tmp_path / "scan.pdf").write_bytes(blank_pdf_bytes())
    (tmp_path / "ok.txt").write_text(SEED.read_text())
    out, err = run(tmp_path, "--committee", committee.slug, "--dry-run", "--format", "json")
    ok, scan = [json.loads(line) for line in out.splitlines()]
    assert ok["date"] == "2009-11-16"
    assert list(scan) == KEYS and scan["date"] is None
    assert "this PDF has no text layer" in scan["warnings"][0]
    assert "Read 1 of 2 files" in err


def test_importing_the_reference_records_the_meeting_people_items_decisions_and_actions(
    committee,
):
    horner = PersonFactory(given_name="Suzanne", family_name="Horner", initials="SZH")
    OrganisationFactory(name="Socitm")
    out, _ = run(SEED, "--committee", committee.slug)
    assert "imported as the draft minutes of Monday 16 November 2009" in out
    meeting = Meeting.objects.get(committee=committee)
    assert meeting.date.isoformat() == "2009-11-16"
    assert meeting.status == Meeting.Status.HELD
    assert meeting.minutes.status == "draft"
    assert "SIEMENS" in meeting.venue.name
    # Suzanne Horner is matched by name; the others are new, their organisations too.
    assert Person.objects.count() == 23
    assert meeting.attendances.get(person=horner).status == Attendance.Status.PRESENT
    assert meeting.attendances.filter(status=Attendance.Status.APOLOGIES).count() == 8
    assert Organisation.objects.filter(name="Socitm").count() == 1
    wood = meeting.attendances.get(person__family_name="Wood")
    assert wood.organisation.name == "Wolverhampton City Council"
    items = list(meeting.agenda_items.order_by("position"))
    assert [(i.number, i.title) for i in items][:2] == [
        ("1", "Update on Strategy for Policy and Policy Briefings (Digital Britain and OEP)"),
        ("2", "Update from Local CIO Council Meetings in September and October"),
    ]
    assert items[4].kind == AgendaItem.Kind.PREVIOUS_MINUTES
    assert items[5].kind == AgendaItem.Kind.ANY_OTHER_BUSINESS
    assert items[0].minute.text.startswith("The 4 key areas that Futures has suggested")
    assert list(Decision.objects.values_list("text", flat=True)) == [
        "Proposed meeting dates were agreed.",
        "Minutes of the meeting held on 13 July were agreed.",
    ]
    (action,) = Action.objects.all()
    assert list(action.owners.all()) == [horner]
    assert action.text.startswith("Glyn asked Suzanne to draft a letter of thanks")
    document = ImportedDocument.objects.get(meeting=meeting)
    assert document.file.read() == SEED.read_bytes()


def test_importing_the_same_file_again_is_refused_unless_asked(committee):
    run(SEED, "--committee", committee.slug)
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(SEED, "--committee", committee.slug)
    assert Meeting.objects.count() == 1
    first = Meeting.objects.get()
    out, _ = run(SEED, "--committee", committee.slug, "--replace")
    assert "imported" in out
    assert Meeting.objects.count() == 1 and Meeting.objects.get().pk != first.pk
    assert ImportedDocument.objects.count() == 1


def test_a_folder_of_word_pdf_and_text_files_and_a_zip_import_with_a_summary(committee, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "2023-03.docx").write_bytes(docx_bytes())
    (folder / "2009-11.txt").write_text(SEED.read_text())
    (folder / "scan.pdf").write_bytes(blank_pdf_bytes())
    out, err = run(folder, "--committee", committee.slug)
    assert "Imported 2 of 3 files. Not imported: scan.pdf." in out
    assert "this PDF has no text layer" in err
    assert sorted(m.date.isoformat() for m in Meeting.objects.all()) == ["2009-11-16", "2023-03-06"]
    # The same minutes as a PDF in a zip: its date is taken, so nothing is overwritten.
    archive = tmp_path / "more.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("minutes/2023-03.pdf", pdf_bytes())
    with pytest.raises(CommandError):
        run(archive, "--committee", committee.slug)
    assert Meeting.objects.count() == 2


def test_an_import_that_fails_halfway_leaves_nothing_behind(committee, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"  # storing the original file will fail
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(SEED, "--committee", committee.slug)
    assert not Meeting.objects.exists()
    assert not Person.objects.exists() and not Organisation.objects.exists()
    assert not ImportedDocument.objects.exists()


def test_an_unknown_committee_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No committee with the slug 'nope'"):
        run(SEED, "--committee", "nope")


def test_publishing_as_historic_makes_the_record_with_its_own_approval_wording(
    committee, secretary, client_for, member, run_tasks
):
    wording = "Signed by the Chair as a correct record"
    run(SEED, "--committee", committee.slug, "--user", secretary.username,
        "--publish-as-historic", "--approval-wording", wording)  # fmt: skip
    run_tasks()  # the published version and its PDF are made by a background task
    meeting = Meeting.objects.get(committee=committee)
    assert meeting.minutes.is_published
    page = client_for(member).get(meeting.get_absolute_url())
    assert page.status_code == 200
    assert "Signed by the Chair as a correct record" in page.content.decode()
    assert (
        f'href="{meeting.get_absolute_url()}original/">Original document' in page.content.decode()
    )
    original = client_for(member).get(f"{meeting.get_absolute_url()}original/")
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == SEED.read_bytes()
    assert original["Content-Disposition"].startswith('attachment; filename="socitm-futures')


def test_publishing_as_historic_needs_a_publisher_and_the_approval_wording(committee):
    with pytest.raises(CommandError, match="--approval-wording"):
        run(SEED, "--committee", committee.slug, "--publish-as-historic")
    assert not Meeting.objects.exists()


def test_the_original_of_a_draft_is_for_the_secretariat_only(
    committee, secretary, member, client_for
):
    run(SEED, "--committee", committee.slug)
    url = f"{Meeting.objects.get().get_absolute_url()}original/"
    assert client_for(member).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404  # nobody learns a draft exists
    response = client_for(secretary).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert client_for(secretary).post(url).status_code == 405


def test_minutes_of_the_last_meeting_point_at_the_imported_meeting_before_in_either_order(
    committee, tmp_path
):
    later = tmp_path / "later.txt"
    later.write_text(
        "Minutes of the meeting held on 18 January 2010\n\nPresent: Ann Lee\n\n"
        "1. Minutes of the last meeting\n\nThe minutes were agreed.\n"
    )
    run(later, "--committee", committee.slug)  # the later meeting first
    run(SEED, "--committee", committee.slug)
    item = AgendaItem.objects.get(meeting__date="2010-01-18", number="1")
    assert item.kind == AgendaItem.Kind.PREVIOUS_MINUTES
    assert item.previous_meeting.date.isoformat() == "2009-11-16"
