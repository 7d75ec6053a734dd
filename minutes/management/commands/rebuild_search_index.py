"""Index the current version of every published minutes for search, afresh."""

from django.core.management.base import BaseCommand
from django.db import transaction

from minutes.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the published versions. Publishing keeps the index "
        "up to date; this is for repair, e.g. after copying rows in by hand."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = rebuild_index()
        self.stdout.write(f"Indexed {count} published minutes.")
