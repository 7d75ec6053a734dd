"""Mark held the meetings that took place, once their date has passed (run_upkeep does so)."""

from django.core.management.base import BaseCommand

from upkeep.services import held_meetings_mark, sentence


class Command(BaseCommand):
    help = (
        "Mark as held every scheduled meeting on or before today with attendance or minutes "
        "recorded. Safe to run any number of times; run_upkeep runs it every few minutes."
    )

    def handle(self, *args, **options):
        done = held_meetings_mark()
        if options["verbosity"] >= 1:
            self.stdout.write(sentence(done))
