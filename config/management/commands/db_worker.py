"""``manage.py db_worker``: django-tasks-db's worker, kept running when the database is busy.

Its own loop lets only SQLite's "database is locked" pass, and only while claiming a task:
a lock held longer than DATABASE_LOCK_TIMEOUT when it begins its claim, or while it records
a task's result, or PostgreSQL's lock timeout anywhere, ends the worker, and with it every
email and PDF until someone restarts it (``make run`` does not). Here the worker waits and
carries on; a task whose result could not be recorded is made ready again, to run again
(every task here is safe to run twice).
"""

import logging
import time

from django.db import DatabaseError
from django_tasks_db.management.commands import db_worker

from config.busy import database_is_busy
from config.queue import requeue_tasks_of

logger = logging.getLogger("minutebook.busy")

# Seconds between the worker's tries while the database stays busy.
WAIT_SECONDS = 1


def _busy(error: DatabaseError) -> None:
    """Re-raise ``error`` unless the database was only busy."""
    if not database_is_busy(error):
        raise error


class Worker(db_worker.Worker):
    def run(self) -> None:
        while True:
            try:
                return super().run()
            except DatabaseError as error:
                _busy(error)
                logger.warning("Database busy: the task worker carries on in a moment (%s)", error)
            # The task it was running, if any, was not recorded as done: it runs again.
            while self.running:
                time.sleep(WAIT_SECONDS)
                try:
                    requeue_tasks_of(self.worker_id)
                    break
                except DatabaseError as error:
                    _busy(error)
            if not self.running:
                return None


class Command(db_worker.Command):
    help = "Run the task worker: django-tasks-db's, carrying on when the database is busy"

    def handle(self, **options):
        # The package's handle() builds its worker by this name, in this process only.
        db_worker.Worker = Worker
        return super().handle(**options)
