#!/usr/bin/env python
"""Fault injection: kill the app's processes with SIGKILL while it publishes and circulates
minutes, then check that nothing was lost, duplicated or left behind.

The app runs as in production: gunicorn (2 sync workers) and two task workers
(`manage.py db_worker`) on PostgreSQL, sending email over SMTP to a local server that this
script runs and that records every message it accepts. A driver signs in as the secretariat
and, meeting after meeting, circulates the draft minutes, publishes them and circulates the
published version, over HTTP. While each request is in flight a gunicorn worker or a task
worker is killed (SIGKILL, alternately); gunicorn starts a new worker, and the script restarts
a killed task worker, as a process supervisor would. `manage.py recover_tasks` runs every few
seconds, as cron would. After the last kill the queue is left to drain, and the script checks:

- every published version has its PDF in storage (reading it restores a missing one);
- no file in storage belongs to no version (orphans);
- no email is lost: each one recorded was received by the mail server, or the record says
  honestly that it was not (given up) or may not have been (unconfirmed: its worker was
  killed mid-send); none is received twice (by Message-ID), none received without a record,
  and none received that the record calls failed;
- every circulation recorded has one email per recipient.

It prints the counts, and exits 1 if any invariant fails. Usage:

    python bench/fault_injection.py [--kills 24] [--database NAME] [--keep]

The database NAME (default mb_fault) on 127.0.0.1:5432 is dropped and created afresh.
"""

import argparse
import asyncio
import collections
import datetime
import email
import email.parser
import email.policy
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg2
import requests
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
MEMBERS = 8  # emailable members of the committee, besides the demo's
MEETINGS = 40  # meetings with approved minutes, ready to circulate and publish
# Recovery as cron runs it, but sooner: an email untouched for 10 s, a task running for 60 s
# (a render takes a few seconds here) belonged to a killed worker.
RECOVERY_GRACE = datetime.timedelta(seconds=10)
STALLED_AFTER = datetime.timedelta(seconds=60)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- The mail server ------------------------------------------------------------------------


class Sink:
    """An SMTP server's handler that counts every message it accepts, by Message-ID."""

    def __init__(self, delay: float = 0.0):
        self.received = collections.Counter()
        self.lock = threading.Lock()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        # Headers only: the sink answers as fast as a mail server that queues to memory.
        message = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(
            envelope.content
        )
        with self.lock:
            self.received[str(message["Message-ID"]).strip()] += len(envelope.rcpt_tos)
        if self.delay:  # a slow mail server: the email is taken, the sender not yet told
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


# -- The app's processes --------------------------------------------------------------------


class App:
    def __init__(self, env: dict, tmp: Path):
        self.env = env
        self.tmp = tmp
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.gunicorn = None
        self.workers: list[subprocess.Popen] = []
        self.worker_ids: dict[int, str] = {}  # pid: the worker id it claims tasks under
        self.worker_log = open(tmp / "workers.log", "ab")  # noqa: SIM115
        self.stopping = False
        self.kill_senders = False  # a task kill waits for a worker sending an email

    def start(self) -> None:
        self.gunicorn = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi",
                "--workers=2",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=60",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.tmp / "gunicorn.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        self.workers = [self._worker() for _ in range(2)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=10).ok:
                    return
            except requests.RequestException:
                time.sleep(0.5)
        raise SystemExit(f"gunicorn did not start; see {self.tmp / 'gunicorn.log'}")

    def _worker(self) -> subprocess.Popen:
        worker_id = f"fault-{len(self.worker_ids)}"
        process = subprocess.Popen(
            [
                *(PYTHON, "manage.py", "db_worker", "--queue-name=*", "--no-reload"),
                *("--interval=0.2", f"--worker-id={worker_id}"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.worker_log,
            stderr=subprocess.STDOUT,
        )
        self.worker_ids[process.pid] = worker_id
        return process

    def running_task(self, pid: int) -> str:
        """The task the worker ``pid`` is running ("send_email", "publish_minutes"), or "idle"."""
        from django_tasks_db.models import DBTaskResult

        path = (
            DBTaskResult.objects.filter(
                status="RUNNING", worker_ids__contains=[self.worker_ids[pid]]
            )
            .values_list("task_path", flat=True)
            .first()
        )
        return path.rsplit(".", 1)[-1] if path else "idle"

    def supervise(self) -> None:
        """Restart a task worker that died, as systemd or supervisord would."""
        for index, worker in enumerate(self.workers):
            if worker.poll() is not None and not self.stopping:
                self.workers[index] = self._worker()

    def web_workers(self) -> list[int]:
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.gunicorn.pid:
                children.append(int(stat.parent.name))
        return children

    def kill_one(self, kind: str) -> str | None:
        """SIGKILL one web worker or one task worker; returns what the task worker was doing."""
        if kind == "web":
            pids = self.web_workers()
        else:
            pids = [w.pid for w in self.workers if w.poll() is None]
        if not pids:
            return None
        pid = random.choice(pids)  # noqa: S311 - not cryptography
        if kind == "task" and self.kill_senders:
            pid = self._sending(pids) or pid
        doing = self.running_task(pid) if kind == "task" else "request"
        os.kill(pid, signal.SIGKILL)
        return doing

    def _sending(self, pids: list[int], wait: float = 5) -> int | None:
        """A task worker that is sending an email, if one starts to within ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            for pid in pids:
                if self.running_task(pid) == "send_email":
                    return pid
            time.sleep(0.02)
        return None

    def stop(self) -> None:
        self.stopping = True
        for worker in self.workers:
            worker.send_signal(signal.SIGTERM)
        if self.gunicorn:
            self.gunicorn.send_signal(signal.SIGTERM)
        for process in [*self.workers, self.gunicorn]:
            if process:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


# -- Setting up -----------------------------------------------------------------------------


def fresh_database(name: str) -> None:
    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_meetings() -> list[tuple[int, str]]:
    """Meetings of the demo committee with approved minutes; returns (pk, minutes.pdf path)."""
    from django.contrib.auth import get_user_model

    from meetings.services import meeting_schedule
    from members.models import Committee, Membership, Person
    from minutes.services import item_minute_save, minutes_approve, minutes_for_meeting

    committee = Committee.objects.get(slug="socitm-futures")
    secretary = get_user_model().objects.get(username="secretary")
    for n in range(MEMBERS):
        person = Person.objects.create(
            given_name=f"Fault{n}", family_name="Tester", initials=f"FT{n}",
            email=f"fault{n}@example.org",
        )  # fmt: skip
        Membership.objects.create(committee=committee, person=person)
    paragraph = (
        "The group discussed the proposal at length, noting the views of each authority "
        "represented and the risks recorded in the register. " * 6
    )
    meetings = []
    first = datetime.date(2011, 1, 3)
    for n in range(MEETINGS):
        meeting = meeting_schedule(committee=committee, date=first + datetime.timedelta(weeks=n))
        minutes = minutes_for_meeting(meeting=meeting)
        for item in meeting.agenda_items.all():
            text = "\n\n".join(f"{item.title}: {paragraph}" for _ in range(4))
            item_minute_save(agenda_item=item, text=text, expected_revision=0, by=secretary)
        minutes_approve(minutes=minutes, by=secretary, on=meeting.date)
        meetings.append((meeting.pk, f"/committees/{committee.slug}/{meeting.date}/"))
    return meetings


# -- Driving --------------------------------------------------------------------------------


class Secretary:
    """The secretariat's browser: a signed-in session that posts the workflow's steps."""

    def __init__(self, url: str, password: str):
        self.url = url
        self.session = requests.Session()
        page = self.session.get(url + "/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.session.post(
            url + "/accounts/login/",
            data={"username": "secretary", "password": password, "csrfmiddlewaretoken": token},
            timeout=30,
        )
        response.raise_for_status()

    def step(self, meeting_pk: int, step: str) -> int:
        response = self.session.post(
            f"{self.url}/workspace/meetings/{meeting_pk}/minutes/workflow/{step}/",
            headers={"X-CSRFToken": self.session.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=120,
        )
        return response.status_code


def drive(app: App, secretary_password: str, meetings, kills_wanted: int) -> dict:
    """Take each meeting through circulate, publish, circulate; kill something meanwhile."""
    counts = collections.Counter()
    secretary = Secretary(app.url, secretary_password)
    steps = [(pk, step) for pk, _ in meetings for step in ("circulate", "publish", "circulate")]
    kinds = ["web", "task"]
    for pk, step in steps:
        if counts["kills"] >= kills_wanted:
            break
        outcome = {}

        def request(pk=pk, step=step, outcome=outcome):
            try:
                outcome["status"] = secretary.step(pk, step)
            except requests.RequestException as error:
                outcome["error"] = type(error).__name__

        thread = threading.Thread(target=request)
        thread.start()
        time.sleep(random.uniform(0.05, 0.6))  # noqa: S311
        kind = kinds[counts["kills"] % 2]
        if doing := app.kill_one(kind):
            counts["kills"] += 1
            counts[f"kills_{kind}"] += 1
            if kind == "task":
                counts[f"kills_task_during_{doing}"] += 1
        thread.join(timeout=180)
        status = outcome.get("status")
        if status is None:
            counts[f"requests_cut_off_{step}"] += 1  # the web worker serving it was killed
        elif status >= 500:
            counts["requests_5xx"] += 1
        else:
            counts[f"{step}_{status}"] += 1
        app.supervise()
        recover()
        time.sleep(0.2)
    return counts


def recover() -> int:
    """What ``manage.py recover_tasks`` does from cron, with the run's short grace periods."""
    from config.queue import requeue_stalled_tasks
    from outbox.services import recover as recover_emails

    emails = recover_emails(grace=RECOVERY_GRACE)
    return requeue_stalled_tasks(older_than=STALLED_AFTER) + sum(emails)


def drain(app: App, timeout: float = 240) -> bool:
    """Let the workers finish, recovering stranded emails as cron would; True if all settled."""
    from django_tasks_db.models import DBTaskResult

    from outbox.models import OutgoingEmail

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.supervise()
        recover()
        unsettled = OutgoingEmail.objects.exclude(
            status__in=["sent", "failed", "unconfirmed"]
        ).count()
        ready = DBTaskResult.objects.filter(status="READY", run_after__lte=_now()).count()
        pending = _pending_publications() + _pending_circulations()
        if not unsettled and not ready and not pending:
            return True
        time.sleep(1)
    return False


def _now():
    from django.utils import timezone

    return timezone.now()


def _pending_publications() -> int:
    from django.apps import apps

    try:
        return apps.get_model("minutes", "Publication").objects.count()
    except LookupError:
        return 0  # publishing happens in the request: nothing is left pending


def _pending_circulations() -> int:
    from django.apps import apps

    try:
        return apps.get_model("minutes", "PendingCirculation").objects.count()
    except LookupError:
        return 0  # the circulation's PDF renders in the request: nothing is left pending


# -- Checking -------------------------------------------------------------------------------


def check(app: App, sink: Sink, media_root: Path, secretary_password: str) -> dict:
    from django.apps import apps as django_apps
    from django.core.files.storage import default_storage
    from django.db.models import FileField

    from minutes.models import MinutesEvent, MinutesVersion
    from outbox.models import OutgoingEmail

    figures = {}
    versions = list(MinutesVersion.objects.select_related("minutes__meeting__committee"))
    figures["versions"] = len(versions)
    missing_before = [v for v in versions if not default_storage.exists(v.pdf.name)]
    figures["versions_pdf_missing_before_read"] = len(missing_before)
    secretary = Secretary(app.url, secretary_password)
    unreadable = 0
    for version in versions:
        meeting = version.minutes.meeting
        url = (
            f"{app.url}/committees/{meeting.committee.slug}/{meeting.date}/"
            f"minutes/v{version.number}.pdf"
        )
        response = secretary.session.get(url, timeout=120)
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            unreadable += 1
    figures["versions_pdf_unreadable"] = unreadable
    figures["versions_pdf_missing_after_read"] = sum(
        not default_storage.exists(v.pdf.name) for v in versions
    )
    referenced = set()  # every file any model points at (minutes versions, agenda PDFs, …)
    for model in django_apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                referenced |= set(
                    model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                )
    stored = {str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file()}
    figures["files_stored"] = len(stored)
    figures["files_orphaned"] = len(stored - referenced)

    emails = OutgoingEmail.objects.all()
    recorded = dict(emails.values_list("message_id", "status"))
    received = dict(sink.received)
    figures["emails_recorded"] = len(recorded)
    figures["emails_sent"] = sum(status == "sent" for status in recorded.values())
    # Lost: the mail server never had it, and the record does not say so (it says "sent", or
    # is still waiting after the queue drained).
    figures["emails_lost"] = sum(
        message_id not in received and status not in ("failed", "unconfirmed")
        for message_id, status in recorded.items()
    )
    figures["emails_duplicated"] = sum(count - 1 for count in received.values() if count > 1)
    figures["emails_sent_without_record"] = len(set(received) - set(recorded))
    figures["emails_failed_but_received"] = sum(
        status == "failed" and message_id in received for message_id, status in recorded.items()
    )
    figures["emails_failed"] = sum(status == "failed" for status in recorded.values())
    # Unconfirmed: its worker was killed mid-send; the history says it may or may not have
    # arrived, and it is not sent again unless the secretariat chooses to.
    unconfirmed = [m for m, status in recorded.items() if status == "unconfirmed"]
    figures["emails_unconfirmed"] = len(unconfirmed)
    figures["emails_unconfirmed_received"] = sum(m in received for m in unconfirmed)
    figures["emails_sent_again_after_kill"] = emails.filter(
        last_error__startswith="The sender stopped before handing"
    ).count()
    circulations = MinutesEvent.objects.filter(kind=MinutesEvent.Kind.CIRCULATED)
    figures["circulations"] = circulations.count()
    # Each circulation's note says how many members it was queued for: all must be recorded.
    figures["circulations_short_of_emails"] = sum(
        event.emails.count() != int(re.search(r"to (\d+) member", event.note).group(1))
        for event in circulations
    )
    figures["publications_left_pending"] = _pending_publications()
    figures["circulations_left_pending"] = _pending_circulations()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=24, help="SIGKILLs to deliver (default 24)")
    parser.add_argument("--database", default="mb_fault", help="PostgreSQL database to use")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument(
        "--kill-senders",
        action="store_true",
        help="kill task workers while they send an email, when one does within 5 s",
    )
    parser.add_argument(
        "--smtp-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="the mail server takes each email and answers this much later (default 0)",
    )
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(1 << 30)  # noqa: S311
    random.seed(seed)

    tmp = Path(tempfile.mkdtemp(prefix="minutebook-fault-"))
    media_root = tmp / "media"
    sink = Sink(delay=options.smtp_delay)
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{options.database}",
        "DEBUG": "false",
        "SECRET_KEY": "fault-injection-only-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "false",
        "MEDIA_ROOT": str(media_root),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "5",
        "AXES_FAILURE_LIMIT": "1000",
        "LOG_LEVEL": "WARNING",
    }
    log(f"seed {seed}; smtp delay {options.smtp_delay} s; database {options.database}")
    log(f"files in {tmp}")
    fresh_database(options.database)
    manage("migrate", "--no-input", "-v0", env=env)
    manage("load_demo", env=env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from minutes.demo import DEMO_PASSWORD

    meetings = prepare_meetings()
    log(f"{len(meetings)} meetings with approved minutes; starting gunicorn and two task workers")
    app = App(env, tmp)
    app.kill_senders = options.kill_senders
    try:
        app.start()
        started = time.monotonic()
        counts = drive(app, DEMO_PASSWORD, meetings, options.kills)
        log(f"driving done in {time.monotonic() - started:.0f} s; letting the queue drain")
        settled = drain(app)
        figures = check(app, sink, media_root, DEMO_PASSWORD)
    finally:
        app.stop()
        smtp.stop()
    print()
    print("Fault injection: SIGKILL of gunicorn workers and task workers mid-publish and")
    print(f"mid-circulation, on PostgreSQL (seed {seed}, smtp delay {options.smtp_delay} s)")
    for name, value in sorted(counts.items()):
        print(f"  {name:38} {value}")
    print(f"  {'queue settled':38} {'yes' if settled else 'NO'}")
    for name, value in figures.items():
        print(f"  {name:38} {value}")
    failures = [
        name
        for name in (
            "versions_pdf_unreadable",
            "versions_pdf_missing_after_read",
            "files_orphaned",
            "emails_lost",
            "emails_duplicated",
            "emails_sent_without_record",
            "emails_failed_but_received",
            "circulations_short_of_emails",
            "publications_left_pending",
            "circulations_left_pending",
        )
        if figures[name]
    ]
    if counts["kills"] < min(20, options.kills):
        failures.append("too few kills")
    if not settled:
        failures.append("queue did not settle")
    print(
        f"SUMMARY: {counts['kills']} kills; lost {figures['emails_lost']}, duplicated "
        f"{figures['emails_duplicated']}, unconfirmed {figures['emails_unconfirmed']} "
        f"(of which received {figures['emails_unconfirmed_received']}), orphaned files "
        f"{figures['files_orphaned']}"
    )
    print("RESULT:", "PASS" if not failures else "FAIL (" + ", ".join(failures) + ")")
    if not options.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
