from django.conf import settings
from django.core.management.base import BaseCommand

from minutes.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: the Socitm Futures meeting of 16 November 2009, its people, agenda, "
        "approved and published minutes, and two demo logins. Safe to run more than once."
    )

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo loaded: Socitm Futures, 16 November 2009."))
        self.stdout.write(
            f"Open {settings.SITE_URL}/ to read its minutes: they are public, no login needed."
        )
        self.stdout.write("Demo logins:")
        for username, password, role in logins:
            self.stdout.write(f"  {username} / {password}  ({role})")
