"""The upkeep loop: run beside the web server and the task worker, in as many copies as
there are servers (``make run``, ``make serve``). No cron needed."""

import datetime
import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from upkeep.services import upkeep_pass

logger = logging.getLogger("minutebook.upkeep")


class Command(BaseCommand):
    help = (
        "Every UPKEEP_INTERVAL_SECONDS: run again the tasks and emails a killed worker left, "
        "mark held the past meetings with a record, and remove orphaned stored files. Any "
        "number of copies may run: one does each pass. Stops on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=int,
            default=settings.UPKEEP_INTERVAL_SECONDS,
            metavar="SECONDS",
            help="seconds between passes (default UPKEEP_INTERVAL_SECONDS)",
        )
        parser.add_argument("--once", action="store_true", help="run one pass, then stop")

    def handle(self, **options):
        every = datetime.timedelta(seconds=max(1, options["interval"]))
        stop = threading.Event()
        if not options["once"]:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        while not stop.is_set():
            try:
                report = upkeep_pass(every=every)
            except Exception:  # the database away for a moment: try again next time
                logger.exception("Upkeep: the pass could not start")
            else:
                if options["once"]:
                    self.stdout.write(report or "Upkeep: another copy ran a pass just now.")
                elif report:
                    logger.info(report)
            if options["once"]:
                break
            # A long-lived process: drop a connection that broke or aged meanwhile, as each
            # request does.
            close_old_connections()
            stop.wait(every.total_seconds())
