from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by 'backup' into this site's database and store. Every "
        "checksum is checked before anything is written. The database must be empty (a new "
        "one) unless --replace-existing is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE", type=Path)
        parser.add_argument(
            "--replace-existing",
            action="store_true",
            help=(
                "Replace everything in a database that is not empty, and stored files that "
                "differ from the archive's. What was there is lost."
            ),
        )

    def handle(self, *args, archive, replace_existing, **options):
        try:
            summary = backup_restore(archive=archive, replace_existing=replace_existing)
        except BackupError as error:
            raise CommandError(f"Restore failed: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {summary.database} database of {summary.created_at} and "
                f"{summary.files_written + summary.files_already_there} stored files "
                f"({summary.files_already_there} were already there)."
            )
        )
        if summary.unapplied_migrations:
            self.stdout.write(
                "The archive is from an earlier version: run 'python manage.py migrate' now."
            )
        if summary.known_missing:
            self.stderr.write(
                self.style.WARNING(
                    "These files were already missing from the store when the backup was made, "
                    "as its manifest records: " + ", ".join(summary.known_missing)
                )
            )
        if summary.missing:
            raise CommandError(
                "The database names stored files that are not in the store: "
                + ", ".join(summary.missing)
            )
