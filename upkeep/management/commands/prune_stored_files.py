import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from upkeep.services import sentence
from upkeep.stored_files import FOLDERS, stored_files_prune


class Command(BaseCommand):
    help = (
        "Remove stored files (PDFs, imported and uploaded files) that no record refers to, "
        f"under the app's own folders ({', '.join(FOLDERS)}) and last changed before a grace "
        "period. run_upkeep runs it every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.ORPHANED_FILE_GRACE_SECONDS,
            metavar="SECONDS",
            help="leave alone a file changed less than this long ago "
            "(default ORPHANED_FILE_GRACE_SECONDS)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be removed; remove nothing"
        )

    def handle(self, **options):
        report = stored_files_prune(
            older_than=datetime.timedelta(seconds=options["older_than"]),
            dry_run=options["dry_run"],
        )
        verb = "Would remove" if report.dry_run else "Removed"
        for name in report.orphaned:
            self.stdout.write(f"{verb} {name}")
        if options["verbosity"] > 1:
            for name in report.recent:
                self.stdout.write(f"Kept (too recent) {name}")
        self.stdout.write(sentence(report.summary()))
