"""The task queue: what is enqueued in a transaction runs only if it commits, and runs once."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from config.queue import requeue_stalled_tasks
from config.tests.tasks import run_tasks


@task()
def make_group(name: str) -> str:
    return Group.objects.create(name=name).name


@task()
def fail(message: str) -> None:
    raise RuntimeError(message)


pytestmark = pytest.mark.django_db


def test_a_task_waits_in_the_queue_until_a_worker_runs_it():
    make_group.enqueue("Queued")
    assert not Group.objects.filter(name="Queued").exists()

    assert run_tasks() == 1

    assert Group.objects.filter(name="Queued").exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert run_tasks() == 0, "a task runs once"


def test_a_task_enqueued_in_a_transaction_that_rolls_back_never_runs():
    with pytest.raises(RuntimeError), transaction.atomic():
        make_group.enqueue("Never")
        raise RuntimeError("the change is refused")

    assert run_tasks() == 0
    assert not Group.objects.filter(name="Never").exists()


def test_a_failing_task_is_recorded_and_does_not_stop_the_next():
    fail.enqueue("SMTP down")
    make_group.enqueue("After")

    assert run_tasks() == 2

    failed = DBTaskResult.objects.get(status="FAILED")
    assert "SMTP down" in failed.traceback
    assert Group.objects.filter(name="After").exists()


def test_a_deferred_task_runs_only_when_it_is_due():
    when = datetime.timedelta(minutes=5)
    make_group.using(run_after=datetime.datetime.now(datetime.UTC) + when).enqueue("Later")

    assert run_tasks() == 0
    assert run_tasks(after=datetime.timedelta(minutes=1)) == 0
    assert run_tasks(after=when) == 1
    assert Group.objects.filter(name="Later").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tasks_run_against_committed_data_as_a_separate_worker_would():
    with transaction.atomic():
        make_group.enqueue("Committed")

    assert run_tasks() == 1
    assert Group.objects.filter(name="Committed").exists()


def test_a_task_whose_worker_died_is_run_again_once_it_has_stalled():
    make_group.enqueue("Stalled")
    # A worker claimed it and was killed: the task stays "running".
    DBTaskResult.objects.update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    assert run_tasks() == 0

    assert requeue_stalled_tasks(older_than=datetime.timedelta(minutes=30)) == 0
    assert requeue_stalled_tasks(older_than=datetime.timedelta(minutes=15)) == 1
    assert run_tasks() == 1

    assert Group.objects.filter(name="Stalled").exists()
