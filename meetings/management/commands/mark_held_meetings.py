"""Mark held the meetings that took place, once their date has passed: run it daily."""

from django.core.management.base import BaseCommand

from meetings.services import meetings_mark_held


class Command(BaseCommand):
    help = (
        "Mark as held every scheduled meeting on or before today with attendance or minutes "
        "recorded. Safe to run any number of times (e.g. daily from cron)."
    )

    def handle(self, *args, **options):
        marked = meetings_mark_held()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Marked {marked} meeting{'' if marked == 1 else 's'} held.")
