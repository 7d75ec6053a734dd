"""Stored files no row refers to are removed once older than the grace period, and only those.

Real files throughout: on disk under MEDIA_ROOT, and in a bucket on the suite's local S3
server. A file's age on disk is set with os.utime, as if it had been written days ago.
"""

import datetime
import io
import os
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models

from meetings.agenda_pdf import agenda_pdf_html, stored_name
from meetings.services import agenda_item_add, agenda_publish, meeting_schedule
from meetings.tests.factories import MeetingFactory
from minutes.importing.models import ImportedDocument, ImportUpload
from minutes.models import MinutesVersion
from minutes.tests.factories import ItemMinuteFactory, MinutesFactory, publish
from upkeep.stored_files import FOLDERS, stored_files_prune

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
NOVEMBER = datetime.date(2009, 11, 16)


def store(name: str, *, days_old: float = 0) -> str:
    saved = default_storage.save(name, ContentFile(b"%PDF-1.7 " + name.encode()))
    if days_old:
        then = time.time() - days_old * 86400
        os.utime(Path(settings.MEDIA_ROOT) / saved, (then, then))
    return saved


def on_disk() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def prune(**kwargs):
    return stored_files_prune(older_than=kwargs.pop("older_than", DAY), **kwargs)


@pytest.fixture
def published(committee, secretary):
    """Minutes published for real: their PDF is stored and a version names it."""
    minutes = ItemMinuteFactory(
        minutes__meeting__committee=committee, minutes__meeting__date=NOVEMBER
    ).minutes
    version = publish(minutes, by=secretary)
    os.utime(Path(settings.MEDIA_ROOT) / version.pdf.name, (0, 0))  # long ago
    return version


def test_an_old_file_no_row_names_is_removed_and_every_named_one_kept(published):
    orphan = store("minutes/socitm-futures/2009/left-by-a-killed-worker.pdf", days_old=3)
    duplicate = store(published.pdf.name, days_old=3)  # a racing writer's renamed copy
    assert duplicate != published.pdf.name

    report = prune()

    assert sorted(report.orphaned) == sorted([orphan, duplicate])
    assert on_disk() == {published.pdf.name}
    with default_storage.open(published.pdf.name, "rb") as kept:
        assert kept.read().startswith(b"%PDF")


def test_a_file_younger_than_the_grace_period_is_kept_whoever_names_it(db):
    being_written = store("imports/socitm-futures/0123456789abcdef/minutes.docx")
    report = prune()
    assert report.orphaned == []
    assert report.recent == [being_written]
    assert on_disk() == {being_written}


def test_files_outside_the_apps_folders_are_never_touched(db):
    others = {
        store("backups/someone-elses.tar", days_old=30),
        store("minutes.pdf", days_old=30),
        store("minutes-archive/2001.pdf", days_old=30),
    }
    assert prune().orphaned == []
    assert on_disk() == others


def test_an_import_upload_keeps_its_file_until_its_row_is_gone(committee):
    upload = ImportUpload(committee=committee, filename="minutes.txt", sha256="f" * 64)
    upload.file.save("minutes.txt", ContentFile(b"Minutes of the meeting"), save=True)
    path = Path(settings.MEDIA_ROOT) / upload.file.name
    os.utime(path, (0, 0))
    assert prune().orphaned == []
    name = upload.file.name
    upload.delete()  # the row goes; Django leaves the file
    assert prune().orphaned == [name]
    assert not path.exists()


def test_only_the_current_revision_of_a_published_agenda_pdf_is_kept(committee, secretary):
    meeting = meeting_schedule(committee=committee, date=NOVEMBER)
    unpublished = meeting_schedule(committee=committee, date=NOVEMBER + DAY * 7)
    agenda_publish(meeting=meeting, by=secretary)
    first, _ = stored_name(meeting, agenda_pdf_html(meeting))
    store(first, days_old=2)
    agenda_item_add(meeting=meeting, title="Digital inclusion")
    current, _ = stored_name(meeting, agenda_pdf_html(meeting))
    store(current, days_old=2)
    never_published, _ = stored_name(unpublished, agenda_pdf_html(unpublished))
    store(never_published, days_old=2)
    assert len({first, current, never_published}) == 3

    assert sorted(prune().orphaned) == sorted([first, never_published])
    assert on_disk() == {current}


def test_a_dry_run_reports_what_it_would_remove_and_removes_nothing(db):
    orphan = store("minutes/socitm-futures/2009/orphan.pdf", days_old=2)
    out = io.StringIO()
    call_command("prune_stored_files", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        f"Would remove {orphan}",
        "Would remove 1 orphaned stored file(s) of 1; 0 unreferenced but too recent, kept.",
    ]
    assert on_disk() == {orphan}
    out = io.StringIO()
    call_command("prune_stored_files", stdout=out)
    assert out.getvalue().splitlines()[0] == f"Removed {orphan}"
    assert on_disk() == set()


def test_the_grace_period_can_be_given_to_the_command(db):
    week_old = store("agendas/socitm-futures/2009/week-old.pdf", days_old=7)
    call_command("prune_stored_files", "--older-than=864000", stdout=io.StringIO())
    assert on_disk() == {week_old}
    call_command("prune_stored_files", "--older-than=86400", stdout=io.StringIO())
    assert on_disk() == set()


def test_in_a_bucket_only_orphans_under_the_apps_prefix_are_removed(s3_store, committee):
    upload = ImportUpload(committee=committee, filename="minutes.txt", sha256="f" * 64)
    upload.file.save("minutes.txt", ContentFile(b"Minutes of the meeting"), save=True)
    orphan = default_storage.save("minutes/socitm-futures/2009/gone.pdf", ContentFile(b"x"))
    # Beside the app's prefix in the same bucket: someone else's.
    s3_store.server.client().put_object(
        Bucket=s3_store.bucket, Key="minutes/not-ours.pdf", Body=b"x"
    )

    assert prune().orphaned == []  # everything is younger than a day
    report = prune(older_than=datetime.timedelta(0), dry_run=True)
    assert report.orphaned == [orphan]
    assert len(s3_store.keys()) == 3

    prune(older_than=datetime.timedelta(0))
    assert s3_store.keys() == sorted(
        ["minutes/not-ours.pdf", f"{s3_store.prefix}/{upload.file.name}"]
    )


# -- Every kind of stored file has its folder ---------------------------------------------


def test_every_file_field_stores_under_a_folder_that_pruning_knows(committee):
    fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert fields <= set(FOLDERS.values()), "add the new file field's folder to FOLDERS"
    meeting = MeetingFactory(committee=committee)
    instances = {
        "minutes.MinutesVersion.pdf": MinutesVersion(minutes=MinutesFactory(meeting=meeting)),
        "minutes.ImportedDocument.file": ImportedDocument(committee=committee, sha256="0" * 64),
        "minutes.ImportUpload.file": ImportUpload(committee=committee, sha256="0" * 64),
    }
    for folder, what in FOLDERS.items():
        if instance := instances.get(what):
            field = instance._meta.get_field(what.rsplit(".", 1)[1])
            name = field.generate_filename(instance, "a.pdf")
        else:
            assert what == "meetings.agenda_pdf.stored_name"
            name, _ = stored_name(meeting, "<p>Agenda</p>")
        assert name.startswith(f"{folder}/"), what
