"""Backups that restore: ``manage.py backup`` and ``manage.py restore``.

The round trip runs the real commands in their own processes against real databases of the
engine the suite runs on (a new SQLite file, or new PostgreSQL databases created and dropped
here), with stored files on disk or in a bucket on the local S3 server.
"""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from config.s3_testing import PREFIX, S3Store, new_bucket
from members.tests.factories import UserFactory
from minutes import backup
from minutes.backup import PARTIAL_SUFFIX

# Committed, as on a live site: SQLite's online backup copies through the app's own
# connection, which cannot copy while a test's open write transaction holds the lock (it
# would wait for ever). Serialized rollback brings back what migrations made (the
# Secretariat group) after each test empties the tables.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STORAGE_VARIABLES = ("STORAGE_URL", "AWS_STORAGE_BUCKET_NAME", "MEDIA_ROOT", "DATABASE_URL")


# -- Real sites in their own processes --------------------------------------------------------


class Databases:
    """New, empty databases of the suite's engine, dropped afterwards."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.created: list[str] = []
        self.server = connection.settings_dict if connection.vendor == "postgresql" else None

    def new(self, role: str) -> str:
        if self.server is None:
            return f"sqlite:///{self.folder / f'{role}.sqlite3'}"
        name = f"{self.server['NAME']}_{role}_{uuid.uuid4().hex[:8]}"
        self._admin(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        server = self.server
        password = f":{server['PASSWORD']}" if server.get("PASSWORD") else ""
        return (
            f"postgres://{server['USER']}{password}@{server['HOST'] or '127.0.0.1'}:"
            f"{server['PORT'] or 5432}/{name}"
        )

    def drop_all(self):
        for name in self.created:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, sql: str):
        server = self.server
        admin = psycopg2.connect(
            dbname="postgres",
            user=server["USER"],
            password=server.get("PASSWORD") or None,
            host=server["HOST"] or "127.0.0.1",
            port=server["PORT"] or 5432,
        )
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute(sql)
        finally:
            admin.close()


@pytest.fixture
def databases(tmp_path):
    made = Databases(tmp_path)
    yield made
    made.drop_all()


class Site:
    """One deployment: a database and a store, driven through manage.py."""

    def __init__(self, database_url: str, store: dict[str, str]):
        environment = {k: v for k, v in os.environ.items() if k not in STORAGE_VARIABLES}
        self.env = {
            **environment,
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "testserver",
            **store,
        }

    def run(self, *args, check=True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def manage(self, *args, check=True):
        return self.run("manage.py", *args, check=check)

    def snapshot(self) -> dict:
        code = "from minutes.tests.site_snapshot import main; main()"
        return json.loads(self.run("-c", code).stdout)


def disk_store(folder: Path) -> dict[str, str]:
    return {"MEDIA_ROOT": str(folder)}


@pytest.fixture(params=["disk", "bucket"])
def stores(request, tmp_path):
    """Two empty stores of one kind: the first site's, and the one it is restored into."""
    if request.param == "disk":
        return [disk_store(tmp_path / "media-1"), disk_store(tmp_path / "media-2")]
    server = request.getfixturevalue("s3_server")
    return [S3Store(server, new_bucket(server), PREFIX).env() for _ in range(2)]


def test_the_demo_is_restored_page_for_page_and_pdf_byte_for_byte(databases, stores, tmp_path):
    original = Site(databases.new("original"), stores[0])
    original.manage("migrate", "--no-input", "-v", "0")
    original.manage("load_demo")
    before = original.snapshot()

    archive = tmp_path / "backups" / "minutebook.tar.gz"
    archive.parent.mkdir()
    written = original.manage("backup", str(archive))
    assert f"to {archive}" in written.stdout

    restored = Site(databases.new("restored"), stores[1])
    result = restored.manage("restore", str(archive))
    assert "Restored the" in result.stdout
    after = restored.snapshot()

    assert after == before
    pdfs = [seen for seen in after["urls"].values() if seen["kind"] == "pdf"]
    assert pdfs and all(seen["status"] == 200 for seen in after["urls"].values())
    assert {seen["sha256"] for seen in pdfs} == set(after["recorded_pdf_sha256"])

    # Restoring again over what is now there is refused, and changes nothing...
    again = restored.manage("restore", str(archive), check=False)
    assert again.returncode != 0
    assert "The database is not empty" in again.stderr
    # ...unless told to replace it.
    restored.manage("restore", "--replace-existing", str(archive))
    assert restored.snapshot() == before


# -- Failures ------------------------------------------------------------------------------


def test_a_backup_that_fails_halfway_leaves_no_archive(tmp_path):
    default_storage.save("minutes/readable.pdf", ContentFile(b"%PDF-1.7 readable"))
    # A stored file that is listed but cannot be read: the backup fails after the database
    # dump and the first file are already in the archive being written.
    broken = Path(settings.MEDIA_ROOT) / "minutes" / "unreadable.pdf"
    broken.symlink_to(tmp_path / "gone.pdf")
    folder = tmp_path / "backups"
    folder.mkdir()

    with pytest.raises(CommandError, match="Could not read the stored file minutes/unreadable"):
        call_command("backup", str(folder / "tonight.tar.gz"))
    assert list(folder.iterdir()) == []


def test_a_backup_never_overwrites_an_earlier_one(tmp_path):
    earlier = tmp_path / "tonight.tar.gz"
    earlier.write_bytes(b"last night's backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(earlier))
    assert earlier.read_bytes() == b"last night's backup"


def test_a_backup_into_a_folder_is_named_for_its_time_and_kept_private(tmp_path):
    default_storage.save("minutes/one.pdf", ContentFile(b"%PDF-1.7 one"))
    folder = tmp_path / "backups"
    folder.mkdir()
    out = io.StringIO()
    call_command("backup", str(folder), stdout=out)
    [archive] = folder.iterdir()
    assert archive.name.startswith("minutebook-") and archive.name.endswith(".tar.gz")
    assert "1 stored files" in out.getvalue()
    # It holds password hashes and members' details: only its owner may read it.
    assert archive.stat().st_mode & 0o077 == 0
    assert not archive.name.endswith(PARTIAL_SUFFIX)


def _damaged_copy(archive: Path, target: Path, member_name: str) -> None:
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == member_name:
                data = data.replace(b"signed", b"altered")
            copy.addfile(member, io.BytesIO(data))


def test_a_damaged_archive_is_refused_before_anything_is_restored(tmp_path):
    default_storage.save("minutes/record.pdf", ContentFile(b"%PDF-1.7 signed record"))
    archive = tmp_path / "good.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    default_storage.delete("minutes/record.pdf")
    damaged = tmp_path / "damaged.tar.gz"
    _damaged_copy(archive, damaged, "files/minutes/record.pdf")

    with pytest.raises(
        CommandError, match=r"files/minutes/record\.pdf does not match its checksum"
    ):
        call_command("restore", str(damaged), "--replace-existing")
    assert not default_storage.exists("minutes/record.pdf")


def test_an_archive_that_is_not_a_backup_is_refused(tmp_path):
    stray = tmp_path / "holiday.tar.gz"
    with tarfile.open(stray, "w:gz") as archive:
        archive.addfile(tarfile.TarInfo("photo.jpg"), io.BytesIO(b""))
    with pytest.raises(CommandError, match="not one of our backups"):
        call_command("restore", str(stray))


def test_a_published_pdf_missing_from_the_store_is_reported_and_recorded(
    tmp_path, committee, monkeypatch
):
    # Not the ``secretary`` fixture: its group, made by a migration, is gone once an
    # earlier committed test has emptied the tables.
    secretary = UserFactory(username="publisher", is_staff=True)
    from meetings.tests.factories import MeetingFactory
    from minutes.tests.factories import ItemMinuteFactory, publish

    monkeypatch.setattr(backup, "LATE_FILE_SECONDS", 1)  # how long it waits for a late file
    meeting = MeetingFactory(committee=committee)
    version = publish(ItemMinuteFactory(minutes__meeting=meeting).minutes, by=secretary)
    default_storage.delete(version.pdf.name)
    archive = tmp_path / "tonight.tar.gz"
    errors = io.StringIO()

    call_command("backup", str(archive), stdout=io.StringIO(), stderr=errors)

    assert version.pdf.name in errors.getvalue()
    with tarfile.open(archive, "r:gz") as written:
        manifest = json.load(written.extractfile("manifest.json"))
    assert manifest["missing_files"] == [version.pdf.name]
    assert manifest["files"] == []
