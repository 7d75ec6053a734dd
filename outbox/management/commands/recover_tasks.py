import datetime

from django.core.management.base import BaseCommand

from upkeep.services import STALLED_AFTER, sentence, stalled_work_recover


class Command(BaseCommand):
    help = (
        "Recover work a killed task worker left behind: tasks still 'running' long after they "
        "started are run again, emails left waiting with no task get a new task, and emails left "
        "'sending' are marked unconfirmed (they may have arrived: never sent again by "
        "themselves). Safe at any time; run_upkeep runs it every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=int(STALLED_AFTER.total_seconds()),
            metavar="SECONDS",
            help="run again a task still running this long after it started (default 900)",
        )

    def handle(self, **options):
        done = stalled_work_recover(older_than=datetime.timedelta(seconds=options["older_than"]))
        if options["verbosity"] >= 1:
            self.stdout.write(sentence(done))
