from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from minutes.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write one archive of the database (a consistent snapshot, taken while the site runs) "
        "and every stored file, with a manifest of checksums. DEST is the archive's path, or a "
        "folder to put a dated archive in. A failed backup leaves no archive under that name."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", metavar="DEST", type=Path)

    def handle(self, *args, destination, **options):
        try:
            summary = backup_write(destination=destination)
        except BackupError as error:
            raise CommandError(f"Backup failed, nothing written: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {summary.database} database and {summary.files} stored files "
                f"to {summary.path} ({summary.size:,} bytes)."
            )
        )
        if summary.missing:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(summary.missing)} file(s) the database names were not in the store "
                    "and are not in the archive: " + ", ".join(summary.missing)
                )
            )
