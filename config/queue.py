"""The task queue's own recovery: tasks whose worker died while running them.

A task worker killed mid-task (SIGKILL, a lost machine) leaves its task "running" for ever:
the database backend does not know workers. ``requeue_stalled_tasks`` makes such a task
ready again once it has run for longer than any task should, so another worker runs it.
Every task here is safe to run twice (it checks what is still wanted before acting).
"""

import datetime

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def requeue_stalled_tasks(*, older_than: datetime.timedelta) -> int:
    """Make ready again every task still "running" ``older_than`` after it started."""
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=timezone.now() - older_than)
        .update(status=TaskResultStatus.READY)
    )


def requeue_tasks_of(worker_id: str) -> int:
    """Make ready again the task the worker ``worker_id`` was running when it stopped."""
    stalled = [
        result.pk
        for result in DBTaskResult.objects.running().only("pk", "worker_ids")
        if worker_id in result.worker_ids
    ]
    return DBTaskResult.objects.filter(pk__in=stalled).update(status=TaskResultStatus.READY)


def prune_finished_tasks(*, older_than: datetime.timedelta) -> int:
    """Delete the results of tasks that finished (or failed for good) ``older_than`` ago."""
    deleted, _ = (
        DBTaskResult.objects.finished()
        .filter(finished_at__lte=timezone.now() - older_than)
        .delete()
    )
    return deleted
