from django.core.management.base import BaseCommand

from outbox.services import recover


class Command(BaseCommand):
    help = (
        "Give a fresh task to every email a stopped worker left behind (waiting with no "
        "task, or left 'sending'). Safe to run at any time; run it from cron every few minutes."
    )

    def handle(self, **options):
        count = recover()
        if count or options["verbosity"] > 1:
            self.stdout.write(f"Requeued {count} email{'s' if count != 1 else ''}.")
