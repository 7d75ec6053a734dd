import datetime

from django.core.management.base import BaseCommand

from config.queue import requeue_stalled_tasks
from outbox.services import recover


class Command(BaseCommand):
    help = (
        "Recover work a killed task worker left behind: tasks still 'running' long after they "
        "started are run again, emails left waiting with no task get a new task, and emails left "
        "'sending' are marked unconfirmed (they may have arrived: never sent again by "
        "themselves). Safe at any time; run it from cron every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=900,
            metavar="SECONDS",
            help="run again a task still running this long after it started (default 900)",
        )

    def handle(self, **options):
        tasks = requeue_stalled_tasks(older_than=datetime.timedelta(seconds=options["older_than"]))
        emails = recover()
        if tasks or any(emails) or options["verbosity"] > 1:
            self.stdout.write(
                f"Requeued {tasks} stalled task(s) and {emails.requeued} email(s); "
                f"{emails.unconfirmed} email(s) left sending are unconfirmed."
            )
