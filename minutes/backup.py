"""Backups that restore: the database and every stored file in one archive, with checksums.

An archive (``.tar.gz``) holds:

- ``database.sqlite3`` (SQLite's online-backup API) or ``database.pgdump`` (``pg_dump``'s
  custom format): one consistent snapshot, taken while the site keeps running;
- ``files/<name>``: every file in the default storage (disk or bucket), under its stored name;
- ``manifest.json``, last: the size and SHA-256 of every other member, the database engine,
  and the migrations applied when the snapshot was taken.

Consistency: the database is dumped first, the files listed after. Stored files are only ever
added, never changed, so every file the snapshot refers to that was stored by then is in the
listing (a file added since is carried along, harmless). A file whose row was committed just
before it was written (a published PDF is stored after its version commits) is waited for a
few seconds; one still missing is reported and recorded in the manifest as missing.

Failure: the archive is written under a hidden ``.partial`` name beside the destination and
linked to its final name only once complete and flushed to disk; anything that fails before
removes the partial file, so no half archive ever carries a final name. A killed run can leave
the hidden partial file behind; the next backup into the same folder removes those a day old.

Restore checks every checksum before it touches anything, refuses a database that already has
tables and stored files that differ from the archive's (unless told to replace them), writes
the files, then the database in one step (``pg_restore --single-transaction``; SQLite's backup
API), and finally checks that every file the database names is in the store.
"""

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "minutebook-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES = "files/"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
PARTIAL_PREFIX = ".minutebook-backup-"
PARTIAL_SUFFIX = ".partial"
STALE_PARTIAL_SECONDS = 24 * 3600
LATE_FILE_SECONDS = 10
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class BackupSummary:
    path: Path
    database: str
    files: int
    size: int
    missing: list[str] = field(default_factory=list)


@dataclass
class RestoreSummary:
    database: str
    files_written: int
    files_already_there: int
    created_at: str
    unapplied_migrations: list[str] = field(default_factory=list)
    # Named by the database, in neither the store nor the archive: a fault of the archive...
    missing: list[str] = field(default_factory=list)
    # ...or already missing when the backup was made, as its manifest says.
    known_missing: list[str] = field(default_factory=list)


# -- Backup -----------------------------------------------------------------------------------


def backup_write(*, destination: Path) -> BackupSummary:
    """Write one archive of the database and the stored files; return what it holds.

    ``destination`` is the archive's path, or an existing folder to put a dated archive in.
    An existing archive is never overwritten.
    """
    destination = Path(destination)
    if destination.is_dir():
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        destination = destination / f"minutebook-{stamp}.tar.gz"
    if destination.exists():
        raise BackupError(f"{destination} already exists; a backup never overwrites one.")
    folder = destination.parent
    if not folder.is_dir():
        raise BackupError(f"No folder {folder} to write the backup in.")
    _remove_stale_partials(folder)

    vendor = _vendor()
    handle, partial_name = tempfile.mkstemp(
        prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX, dir=folder
    )
    partial = Path(partial_name)
    try:
        with os.fdopen(handle, "wb") as raw, tempfile.TemporaryDirectory() as scratch:
            with tarfile.open(fileobj=raw, mode="w:gz") as archive:
                dump = Path(scratch) / DATABASE_MEMBER[vendor]
                _dump_database(vendor, dump)
                migrations = _applied_migrations()
                database = _add_path(archive, DATABASE_MEMBER[vendor], dump)
                dump.unlink()
                added = (_add_stored_file(archive, name) for name in sorted(stored_names()))
                files = [entry for entry in added if entry is not None]
                missing = sorted(_late_files(archive, files))
                manifest = {
                    "format": FORMAT,
                    "version": FORMAT_VERSION,
                    "created_at": timezone.now().isoformat(),
                    "database": {"vendor": vendor, **database},
                    "migrations": migrations,
                    "files": files,
                    "missing_files": missing,
                }
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
            raw.flush()
            os.fsync(raw.fileno())
        # A hard link never replaces an existing file: two backups cannot clobber each other.
        os.link(partial, destination)
        partial.unlink()
        _fsync_folder(folder)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupSummary(
        path=destination,
        database=vendor,
        files=len(files),
        size=destination.stat().st_size,
        missing=missing,
    )


def _late_files(archive: tarfile.TarFile, files: list[dict]) -> set[str]:
    """Wait briefly for files the database names that were not yet stored; add them.

    Returns the names still missing.
    """
    missing = referenced_names() - {entry["name"] for entry in files}
    deadline = time.monotonic() + LATE_FILE_SECONDS
    while missing and time.monotonic() < deadline:
        time.sleep(0.5)
        for name in sorted(missing):
            if default_storage.exists(name) and (entry := _add_stored_file(archive, name)):
                files.append(entry)
                missing.discard(name)
    return missing


def _remove_stale_partials(folder: Path) -> None:
    cutoff = time.time() - STALE_PARTIAL_SECONDS
    for stale in folder.glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            if stale.stat().st_mtime < cutoff:
                stale.unlink()


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _vendor() -> str:
    if connection.vendor not in DATABASE_MEMBER:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _dump_database(vendor: str, path: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            # One consistent copy of every page, while others may go on writing.
            connection.connection.backup(target)
        finally:
            target.close()
        return
    _run_postgres_tool(
        "pg_dump",
        ["--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
        "dump the database",
    )


def _postgres_arguments() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    arguments = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            arguments.append(f"{flag}={settings[key]}")
    environment = {**os.environ}
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = settings["PASSWORD"]
    if sslmode := settings.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = sslmode
    return [*arguments, f"--dbname={settings['NAME']}"], environment


def _run_postgres_tool(tool: str, arguments: list[str], doing: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed; it is needed to {doing}. "
            "Install PostgreSQL's client programs (Debian: apt-get install postgresql-client)."
        )
    connection_arguments, environment = _postgres_arguments()
    result = subprocess.run(  # noqa: S603 (a PostgreSQL tool with our own arguments)
        [tool, *arguments, *connection_arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} could not {doing}: {result.stderr.strip()}")


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def stored_names(storage=default_storage, folder: str = ""):
    """Every file in ``storage``, by its stored name."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing has been stored yet
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def referenced_names() -> set[str]:
    """The stored names that the database's file fields point to."""
    names = set()
    for model in apps.get_models():
        for file_field in model._meta.get_fields():
            if isinstance(file_field, models.FileField):
                names.update(
                    model._default_manager.exclude(**{file_field.name: ""})
                    .values_list(file_field.name, flat=True)
                    .iterator()
                )
    return names


class _Hashing:
    """Reads through to ``source``, keeping a running SHA-256 and size."""

    def __init__(self, source):
        self.source = source
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.source.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _entry(name: str, size: int, sha256: str) -> dict:
    return {"name": name, "size": size, "sha256": sha256}


def _add_path(archive: tarfile.TarFile, name: str, path: Path) -> dict:
    with path.open("rb") as source:
        return _add_stream(archive, name, source, path.stat().st_size)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> dict:
    return _add_stream(archive, name, io.BytesIO(data), len(data))


def _add_stored_file(archive: tarfile.TarFile, name: str) -> dict | None:
    """Copy a stored file into the archive; None if it was deleted since it was listed.

    Files a row names are never deleted, but others come and go (``/readyz`` writes and
    deletes a probe file): one that has gone is no loss. The file is read whole before it
    goes into the archive, so a read that fails never leaves half an entry behind.
    """
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as copy:
        try:
            with default_storage.open(name, "rb") as source:
                shutil.copyfileobj(source, copy, CHUNK)
        except Exception as error:  # any storage backend's failure to read
            if not _still_stored(name):
                return None
            raise BackupError(f"Could not read the stored file {name}: {error}") from error
        size = copy.tell()
        copy.seek(0)
        entry = _add_stream(archive, FILES + name, copy, size)
    return {**entry, "name": name}


def _still_stored(name: str) -> bool:
    try:
        return default_storage.exists(name)
    except Exception:  # cannot tell: treat the failed read as the error it may be
        return True


def _add_stream(archive: tarfile.TarFile, name: str, source, size: int) -> dict:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    reader = _Hashing(source)
    archive.addfile(info, reader)
    return _entry(name, reader.size, reader.sha256.hexdigest())


# -- Restore ----------------------------------------------------------------------------------


def backup_restore(*, archive: Path, replace_existing: bool = False) -> RestoreSummary:
    """Restore an archive into this site's database and storage, after checking all of it."""
    archive = Path(archive)
    manifest = verify_archive(archive)
    vendor = _vendor()
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"This archive holds a {manifest['database']['vendor']} database; "
            f"this site uses {vendor}. Restore it into a {manifest['database']['vendor']} site."
        )
    tables = connection.introspection.table_names()
    if tables and not replace_existing:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables). Restore into a new, empty "
            "database, or add --replace-existing to replace everything in this one."
        )
    files = manifest["files"]
    to_write, already_there = _plan_files(files, replace_existing=replace_existing)

    database_member = manifest["database"]["name"]
    with tarfile.open(archive, "r:gz") as tar, tempfile.TemporaryDirectory() as scratch:
        by_member = {FILES + entry["name"]: entry["name"] for entry in to_write}
        dump = Path(scratch) / database_member
        for member in tar:
            if member.name == database_member:
                with tar.extractfile(member) as source, dump.open("wb") as target:
                    shutil.copyfileobj(source, target, CHUNK)
            elif member.name in by_member:
                with tar.extractfile(member) as source:
                    _write_stored_file(by_member[member.name], source, replace=replace_existing)
        _restore_database(vendor, dump, replace_existing=bool(tables))

    unapplied = _unapplied_migrations()
    known_missing = set(manifest.get("missing_files", []))
    missing = []
    if not unapplied:  # an older schema is checked once it is migrated
        restored = {entry["name"] for entry in files}
        missing = sorted(
            name for name in referenced_names() - restored if not default_storage.exists(name)
        )
    return RestoreSummary(
        database=vendor,
        files_written=len(to_write),
        files_already_there=len(already_there),
        created_at=manifest["created_at"],
        unapplied_migrations=unapplied,
        missing=[name for name in missing if name not in known_missing],
        known_missing=[name for name in missing if name in known_missing],
    )


def verify_archive(archive: Path) -> dict:
    """Read the whole archive and check it against its manifest; return the manifest."""
    if not archive.is_file():
        raise BackupError(f"No archive at {archive}.")
    seen: dict[str, dict] = {}
    manifest = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if not member.isfile():
                    raise BackupError(f"Unexpected entry {member.name!r} in the archive.")
                with tar.extractfile(member) as source:
                    if member.name == MANIFEST:
                        manifest = json.loads(source.read())
                        continue
                    reader = _Hashing(source)
                    while reader.read(CHUNK):
                        pass
                seen[member.name] = _entry(member.name, reader.size, reader.sha256.hexdigest())
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise BackupError(f"{archive} is not a readable backup: {error}") from error
    if not manifest or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} has no Minutebook manifest; it is not one of our backups.")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} is a version {manifest.get('version')} backup; "
            f"this Minutebook reads version {FORMAT_VERSION}."
        )
    database = manifest["database"]
    if database.get("vendor") not in DATABASE_MEMBER or database.get("name") not in (
        DATABASE_MEMBER.values()
    ):
        raise BackupError(f"{archive} names no database dump we know.")
    listed = {database["name"]: database}
    for entry in manifest["files"]:
        _check_safe_name(entry["name"])
        listed[FILES + entry["name"]] = entry
    problems = []
    for member, entry in listed.items():
        found = seen.get(member)
        if found is None:
            problems.append(f"{member} is missing")
        elif (found["size"], found["sha256"]) != (entry["size"], entry["sha256"]):
            problems.append(f"{member} does not match its checksum")
    problems += [f"{member} is not in the manifest" for member in seen.keys() - listed.keys()]
    if problems:
        raise BackupError(f"{archive} is damaged: " + "; ".join(sorted(problems)) + ".")
    return manifest


def _check_safe_name(name: str) -> None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not name:
        raise BackupError(f"Refusing the unsafe name {name!r} in the archive.")


def _plan_files(files: list[dict], *, replace_existing: bool):
    """Which files to write; refuse, before writing any, if one in the store differs."""
    to_write, already_there, different = [], [], []
    for entry in files:
        name = entry["name"]
        if not default_storage.exists(name):
            to_write.append(entry)
        elif _stored_sha256(name) == entry["sha256"]:
            already_there.append(entry)
        else:
            different.append(name)
            to_write.append(entry)
    if different and not replace_existing:
        raise BackupError(
            "The store already holds different files under these names: "
            + ", ".join(different[:5])
            + ("…" if len(different) > 5 else "")
            + ". Restore into an empty store, or add --replace-existing."
        )
    return to_write, already_there


def _stored_sha256(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _write_stored_file(name: str, source, *, replace: bool) -> None:
    if replace and default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, File(source, name=name))
    if saved != name:
        default_storage.delete(saved)
        raise BackupError(f"The store would not keep {name} under its own name.")


def _restore_database(vendor: str, dump: Path, *, replace_existing: bool) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            # Replaces the whole database, in one step, through the live connection.
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
        return
    if replace_existing:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()
    _run_postgres_tool(
        "pg_restore",
        ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", str(dump)],
        "restore the database",
    )


def _unapplied_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
