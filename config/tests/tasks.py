"""Run queued background tasks in a test, the way a worker does.

``run_tasks()`` runs the real ``manage.py db_worker`` in batch mode: it takes every task that
is due from the database queue, runs each one, records its result, and returns when none is
left. Tests therefore exercise the real queue — a task enqueued in a transaction that rolled
back is never run, and one whose function raises is recorded as failed — not a stand-in that
runs tasks on the spot.
"""

import datetime
import signal
from contextlib import ExitStack
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, get_date_max

_WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def run_tasks(*, after: datetime.timedelta | None = None) -> int:
    """Run every task that is due, and any they enqueue; return how many ran.

    ``after`` runs the queue as if that much time had passed: tasks deferred by up to
    that long (a retry's back-off) are due too.
    """
    if after is not None:
        now = timezone.now()
        DBTaskResult.objects.filter(status="READY", run_after__lte=now + after).exclude(
            run_after=get_date_max()
        ).update(run_after=now)
    before = DBTaskResult.objects.exclude(status="READY").count()
    handlers = {signum: signal.getsignal(signum) for signum in _WORKER_SIGNALS}
    with ExitStack() as stack:
        if connection.in_atomic_block:
            # The test's own transaction holds what the tasks must see. Django's test client
            # stops close_old_connections() from ending it at each request; do the same for
            # the worker's calls between tasks.
            stack.enter_context(mock.patch.object(db_worker, "close_old_connections", _keep))
        try:
            call_command(
                "db_worker",
                batch=True,
                reload=False,
                startup_delay=False,
                interval=0,
                queue_name="*",
                verbosity=0,
            )
        finally:
            for signum, handler in handlers.items():
                signal.signal(signum, handler)
    return DBTaskResult.objects.exclude(status="READY").count() - before


def _keep() -> None:
    """The test's connection stays open: it holds the test's transaction."""
