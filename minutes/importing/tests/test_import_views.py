"""The workspace's import screens: upload, reading as a task, review, save."""

import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Meeting
from minutes.importing.models import ImportedDocument, ImportUpload
from minutes.importing.tests.files import blank_pdf_bytes, docx_bytes, locked_pdf_bytes
from minutes.models import Action


def upload(client, committee, *files, pasted=""):
    return client.post(
        reverse("minutes:import_start", args=[committee.slug]),
        {"files": list(files), "pasted": pasted},
    )


def test_only_the_secretariat_may_import(committee, member, client_for):
    url = reverse("minutes:import_start", args=[committee.slug])
    assert client_for(None).get(url).status_code == 302
    assert client_for(member).get(url).status_code == 403
    assert client_for(member).post(url, {"pasted": "x"}).status_code == 403
    assert not ImportUpload.objects.exists()


def nothing_is_left(settings):
    """No upload row, nothing of it in storage, no temporary file of the upload."""
    assert not ImportUpload.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    assert not any(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir())


@pytest.fixture
def upload_temp_dir(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploading"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("minutes.exe", b"MZ junk", "minutes.exe: files of this type cannot be imported"),
        ("locked.pdf", locked_pdf_bytes(), "locked.pdf is protected by a password"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
         "locked.docx is encrypted or an old Word file"),
        ("junk.txt", bytes(range(256)) * 40, "junk.txt is not a text file"),
        ("junk.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40, "junk.pdf could not be read as a PDF"),
        ("junk.docx", bytes(range(256)) * 40, "junk.docx is not a Word document"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_next_to_the_field_and_nothing_is_kept(
    committee, secretary, client_for, upload_temp_dir, settings, name, data, message
):
    response = upload(
        client_for(secretary), committee,
        SimpleUploadedFile(name, data), SimpleUploadedFile("parks.docx", docx_bytes()),
    )  # fmt: skip
    assert response.status_code == 200
    assert_field_error(response, message)
    nothing_is_left(settings)  # not even the good file chosen with it


def test_a_50_mb_file_is_refused_next_to_the_field_and_nothing_is_kept(
    committee, secretary, client_for, upload_temp_dir, settings, tmp_path
):
    big = tmp_path / "scanned-archive.pdf"
    with big.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        out.truncate(50 * 1024 * 1024)
    with big.open("rb") as chosen:
        response = upload(client_for(secretary), committee, chosen)
    assert response.status_code == 200
    assert_field_error(response, "scanned-archive.pdf is 50 MB; files of minutes up to 20 MB")
    nothing_is_left(settings)


def assert_field_error(response, message):
    """The message is shown by the files field, which is marked invalid and points to it."""
    page = html.unescape(response.content.decode())
    assert 'aria-invalid="true"' in page
    field = page[page.index('id="id_files"') :]
    assert message in field[: field.index("id_pasted")]


def test_uploaded_files_are_read_by_a_task_then_reviewed_and_saved(
    committee, secretary, client_for, run_tasks
):
    client = client_for(secretary)
    parks_bytes = docx_bytes()
    response = upload(
        client, committee,
        SimpleUploadedFile("parks.docx", parks_bytes),
        SimpleUploadedFile("scan.pdf", blank_pdf_bytes()),
    )  # fmt: skip
    assert response.status_code == 302
    listing = client.get(response["Location"]).content.decode()
    assert "Reading 2 files" in listing  # read by the worker, not in the request
    assert run_tasks() == 2
    listing = client.get(response["Location"]).content.decode()
    assert "this PDF has no text layer" in listing
    scan = ImportUpload.objects.get(filename="scan.pdf")
    assert scan.status == "failed" and not scan.file  # its bytes are not kept
    parks = ImportUpload.objects.get(filename="parks.docx")
    review_url = reverse("minutes:import_review", args=[parks.pk])
    page = client.get(review_url).content.decode()
    assert 'class="line-person"' in page and "Play area" in page
    assert not Meeting.objects.exists(), "nothing is saved before the secretary saves"

    form = client.get(review_url).context["form"]
    items = client.get(review_url).context["items"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["present"] += "\nEd Poe"  # a correction
    data.update({f"items-{k}": v for k, v in items.management_form.initial.items()})
    for index, initial in enumerate(items.initial):
        data.update({f"items-{index}-{k}": v for k, v in initial.items()})
    response = client.post(review_url, data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.date.isoformat() == "2023-03-06"
    assert meeting.attendances.filter(person__family_name="Poe").exists()
    assert list(meeting.agenda_items.values_list("number", "title")) == [
        ("1", "Play area"), ("2", "Any other business")
    ]  # fmt: skip
    assert Action.objects.filter(agenda_item__meeting=meeting).count() == 2
    assert ImportedDocument.objects.get(meeting=meeting).file.read() == parks_bytes
    parks.refresh_from_db()
    assert parks.status == "saved" and parks.meeting == meeting


def test_a_review_without_a_date_keeps_what_was_typed(committee, secretary, client_for, run_tasks):
    client = client_for(secretary)
    upload(client, committee, pasted="Minutes of 6 March 2023\n\nPresent: Ann Lee\n\n1. Parks\n")
    run_tasks()
    review_url = reverse("minutes:import_review", args=[ImportUpload.objects.get().pk])
    typed = {"date": "", "present": "Ann Lee\nBob Roe", "items-TOTAL_FORMS": "0",
             "items-INITIAL_FORMS": "0"}  # fmt: skip
    response = client.post(review_url, typed)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert "Bob Roe" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_file_the_reader_breaks_on_ends_failed_so_the_list_stops_waiting(
    committee,
    secretary,
    client_for,
    run_tasks,
    monkeypatch,
    settings,
    django_capture_on_commit_callbacks,
):
    def broken(text):
        raise RuntimeError("a fault in the parser")

    monkeypatch.setattr("minutes.importing.tasks.parse_minutes", broken)
    client = client_for(secretary)
    response = upload(client, committee, SimpleUploadedFile("parks.docx", docx_bytes()))
    listing_url = response["Location"]
    assert "Waiting to be read" in client.get(listing_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert run_tasks() == 1
    listing = client.get(listing_url).content.decode()
    assert "All files have been read." in listing
    assert "parks.docx could not be read: something went wrong in Minutebook" in listing
    parks = ImportUpload.objects.get()
    assert parks.status == "failed" and not parks.file
    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))
