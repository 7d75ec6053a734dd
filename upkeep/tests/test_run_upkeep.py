"""The upkeep loop: the periodic chores run without cron, by one of any number of copies.

Real parts: the command itself, in this process and in processes of its own against the
test database, threads with their own connections for copies that start at the same moment,
and the real task queue's rows. Tests that commit restore the database afterwards as it
was (serialized_rollback): on PostgreSQL a plain flush would leave content types under new
ids, which a later serialized test then cannot load.
"""

import datetime
import io
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meetings.agenda_pdf import render_agenda_pdf
from meetings.models import Meeting
from meetings.tests.factories import AttendanceFactory, MeetingFactory
from upkeep.models import Chore
from upkeep.services import UPKEEP, upkeep_pass

HOUR = datetime.timedelta(hours=1)


def last_week() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=7)


@pytest.fixture
def attended(committee):
    """A meeting last week whose attendance was recorded (ahead of it), still "scheduled"."""
    meeting = MeetingFactory(committee=committee, date=last_week(), status="scheduled")
    AttendanceFactory(meeting=meeting, status="apologies")
    return meeting


def status_of(meeting) -> str:
    meeting.refresh_from_db()
    return meeting.status


def run_upkeep(*args) -> str:
    out = io.StringIO()
    call_command("run_upkeep", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_past_meeting_with_attendance_is_held_after_one_upkeep_pass(attended):
    output = run_upkeep("--once")
    assert status_of(attended) == Meeting.Status.HELD
    assert "marked 1 meeting held" in output


@pytest.mark.django_db
def test_a_task_whose_worker_died_is_made_ready_again_by_the_pass(committee):
    result = render_agenda_pdf.enqueue(meeting_id=0)
    DBTaskResult.objects.filter(id=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - HOUR
    )
    output = run_upkeep("--once")
    assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.READY
    assert "requeued 1 stalled task(s)" in output


@pytest.mark.django_db
def test_finished_tasks_are_deleted_after_thirty_days_and_no_sooner(committee):
    old, recent, waiting = (render_agenda_pdf.enqueue(meeting_id=0) for _ in range(3))
    now = timezone.now()
    for result, age in [(old, 31), (recent, 29)]:
        DBTaskResult.objects.filter(id=result.id).update(
            status=TaskResultStatus.SUCCESSFUL, finished_at=now - datetime.timedelta(days=age)
        )
    output = run_upkeep("--once")
    left = {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}
    assert left == {recent.id, waiting.id}
    assert "deleted 1 finished task(s)" in output


@pytest.mark.django_db
def test_the_pass_records_what_it_did_and_the_next_within_the_interval_does_nothing(attended):
    first = run_upkeep("--once", "--interval=3600")
    chore = Chore.objects.get(name=UPKEEP)
    assert chore.report == first.strip()
    assert chore.due_at > timezone.now() + datetime.timedelta(minutes=59)
    assert run_upkeep("--once", "--interval=3600").strip() == (
        "Upkeep: another copy ran a pass just now."
    )


@pytest.mark.django_db
def test_the_commands_for_use_by_hand_still_work(attended):
    out = io.StringIO()
    call_command("mark_held_meetings", stdout=out)
    assert out.getvalue() == "Marked 1 meeting held.\n"
    out = io.StringIO()
    call_command("recover_tasks", stdout=out)
    assert out.getvalue() == (
        "Requeued 0 stalled task(s) and 0 email(s); 0 email(s) marked unconfirmed.\n"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_copies_starting_at_the_same_moment_do_one_pass_between_them(attended):
    copies = 4
    ready, reports, errors = threading.Barrier(copies), [], []

    def copy():
        try:
            ready.wait(timeout=30)
            reports.append(upkeep_pass(every=HOUR))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=copy) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    done = [report for report in reports if report]
    assert len(reports) == copies
    assert len(done) == 1, reports
    assert "marked 1 meeting held" in done[0]
    assert status_of(attended) == Meeting.Status.HELD


# -- The loop in processes of its own, as make run and make serve start it ---------------


def environment(tmp_path) -> dict[str, str]:
    """The loop's environment: this test's database and an empty store of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        url = (
            f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    storage = {"STORAGE_URL", "AWS_STORAGE_BUCKET_NAME"}
    return {
        **{k: v for k, v in os.environ.items() if k not in storage},
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(tmp_path / "loop-media"),
        "PYTHONUNBUFFERED": "1",
    }


def start_loop(tmp_path, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_upkeep", *args],
        cwd=settings.BASE_DIR,
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_loop_marks_the_meeting_held_logs_one_line_per_pass_and_stops_on_sigterm(
    attended, tmp_path
):
    loop = start_loop(tmp_path, "--interval=1")
    try:
        deadline = time.monotonic() + 60
        while status_of(attended) != Meeting.Status.HELD and time.monotonic() < deadline:
            assert loop.poll() is None, loop.stdout.read()
            time.sleep(0.2)
        assert status_of(attended) == Meeting.Status.HELD
    finally:
        loop.send_signal(signal.SIGTERM)
        output, _ = loop.communicate(timeout=30)
    assert loop.returncode == 0, output
    lines = output.splitlines()
    assert lines, "the loop logged nothing"
    assert all("minutebook.upkeep" in line and "Upkeep: requeued" in line for line in lines)
    assert "marked 1 meeting held" in lines[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_loops_started_together_do_one_pass_between_them(attended, tmp_path):
    loops = [start_loop(tmp_path, "--once", "--interval=3600") for _ in range(2)]
    outputs = [loop.communicate(timeout=120)[0] for loop in loops]
    assert [loop.returncode for loop in loops] == [0, 0], outputs
    ran = [output for output in outputs if "marked 1 meeting held" in output]
    skipped = [output for output in outputs if "another copy ran a pass" in output]
    assert (len(ran), len(skipped)) == (1, 1), outputs
    assert status_of(attended) == Meeting.Status.HELD


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_make_runs_web_server_has_the_upkeep_loop_beside_it_until_it_stops(attended, tmp_path):
    """scripts/with-worker, as ``make run`` starts the development server: here with a
    stand-in server (sleep) that is stopped as Ctrl-C would."""
    script = subprocess.Popen(
        ["scripts/with-worker", "sleep", "300"],
        cwd=settings.BASE_DIR,
        env={**environment(tmp_path), "PYTHON": sys.executable},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a terminal of its own, for its Ctrl-C
    )
    try:
        deadline = time.monotonic() + 120
        while status_of(attended) != Meeting.Status.HELD and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status_of(attended) == Meeting.Status.HELD
    finally:
        os.killpg(script.pid, signal.SIGINT)  # Ctrl-C: to the server (and the script)
        # The worker and the loop share the script's output: it ends only when they have stopped.
        output, _ = script.communicate(timeout=90)
    assert "marked 1 meeting held" in output
