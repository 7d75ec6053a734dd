#!/usr/bin/env python
"""Two app servers and two task workers on one PostgreSQL and one bucket, under load.

Runs the production shape of a larger site on this machine: two gunicorn instances and two
``db_worker`` task workers, all pointed at one PostgreSQL database and one S3-compatible bucket
(moto's server, on loopback), with email going to a small SMTP server kept by this script.
While wrk reads the minutes page and the PDF from both servers, the secretariat publishes and
circulates several meetings' minutes through the workspace, sending each "publish" to both
servers at once. Then it waits for the queue to drain and reports throughput, errors (which
must be 0), and that every PDF and every email happened exactly once.

    .venv/bin/python bench/cluster.py                       # about 1 minute
    .venv/bin/python bench/cluster.py --meetings 12 --duration 40

It exits non-zero when a check fails or the bench cannot run. See bench/README.md.
"""

import argparse
import hashlib
import http.cookiejar
import json
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

import run as single  # noqa: E402  (bench/run.py: environment, gunicorn, wrk)
from aiosmtpd.controller import Controller  # noqa: E402
from fault_injection import Sink  # noqa: E402  (counts what the SMTP server accepts)

from config.s3_testing import PREFIX, free_port, new_bucket, start_s3_server  # noqa: E402

SECRETARY, PASSWORD = "secretary", "minutebook-demo"  # the demo logins
COMMITTEE = "socitm-futures"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/minutebook_cluster_bench"

# Run inside the site (manage.py shell): minutes to publish, and addresses to circulate to.
PREPARE = """
import datetime
from django.contrib.auth import get_user_model
from meetings.models import Meeting
from meetings.services import agenda_item_add
from members.models import Committee, Person
from minutes.models import Minutes
from minutes.services import item_minute_save, minutes_approve, minutes_for_meeting

committee = Committee.objects.get(slug="{committee}")
secretary = get_user_model().objects.get(username="{secretary}")
for number, person in enumerate(Person.objects.filter(memberships__committee=committee).distinct()):
    person.email = f"member{{number}}@example.org"
    person.save(update_fields=["email"])
venue = Meeting.objects.filter(committee=committee).exclude(venue=None).first().venue
pks = []
for number in range({meetings}):
    meeting = Meeting.objects.create(
        committee=committee, date=datetime.date(2008, 1, 7) + datetime.timedelta(weeks=2 * number),
        venue=venue,
    )
    item = agenda_item_add(meeting=meeting, title="Matters of the bench")
    minutes_for_meeting(meeting=meeting)
    item_minute_save(
        agenda_item=item, text=f"Bench meeting {{number}}: " + "A paragraph of minutes. " * 80,
        expected_revision=0, by=secretary,
    )
    minutes = Minutes.objects.get(meeting=meeting)
    minutes_approve(minutes=minutes, by=secretary, on=meeting.date,
                    how=Minutes.Approval.BY_CORRESPONDENCE)
    pks.append(meeting.pk)
print("PKS", pks)
"""

# Run inside the site after the run: what the database says happened.
RECORD = """
import json
from django_tasks_db.models import DBTaskResult
from minutes.models import MinutesVersion
from outbox.models import OutgoingEmail
print("RECORD", json.dumps({
    "unfinished_tasks": DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count(),
    "failed_tasks": DBTaskResult.objects.filter(status="FAILED").count(),
    "versions": [
        {"meeting": v.minutes.meeting_id, "number": v.number, "name": v.pdf.name,
         "sha256": v.pdf_sha256}
        for v in MinutesVersion.objects.select_related("minutes")
    ],
    "emails": list(OutgoingEmail.objects.values("message_id", "status", "to", "kind")),
}))
"""


def log(message: str) -> None:
    single.log(message)


def _bare(message_id: str | None) -> str:
    return (message_id or "").strip().strip("<>")


# --- Processes ---------------------------------------------------------------------------------


class Worker:
    """``manage.py db_worker`` on every queue, as production runs it."""

    def __init__(self, environment, name: str):
        self.log_path = environment.tmp / f"{name}.log"
        self.process = subprocess.Popen(
            [single.PYTHON, "manage.py", "db_worker", "--queue-name=*", "--no-reload"],
            cwd=single.ROOT,
            env=environment.env,
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
        )

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # finishes the task in hand
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Browser:
    """A signed-in secretary on one server: real login form, CSRF tokens, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), single._NoRedirect
        )
        form = self.get("/accounts/login/")
        self.post("/accounts/login/", form, username=SECRETARY, password=PASSWORD)

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def get(self, path: str) -> str:
        status, body = self._open(urllib.request.Request(self.base + path))
        if status != 200:
            raise single.BenchError(f"GET {path}: {status}")
        return body

    def post(self, path: str, form_page: str, **fields) -> int:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page)
        if not token:
            raise single.BenchError(f"No CSRF token on the form for {path}.")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        status, _ = self._open(request)
        return status


def step(browser: Browser, meeting: int, name: str, barrier=None) -> int:
    path = f"/workspace/meetings/{meeting}/minutes/workflow/{name}/"
    page = browser.get(path)
    if barrier is not None:
        barrier.wait()  # both servers post at the same moment
    return browser.post(path, page, confirm="on")


def secretariat(browsers: list[Browser], meetings: list[int], outcome: dict) -> None:
    """Publish each meeting's minutes from both servers at once, then circulate from one."""
    for index, meeting in enumerate(meetings):
        barrier = threading.Barrier(2)
        answers = [None, None]

        def publish(i, barrier=barrier, answers=answers, meeting=meeting):
            answers[i] = step(browsers[i], meeting, "publish", barrier)

        threads = [threading.Thread(target=publish, args=(i,)) for i in range(2)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcome["publish_seconds"].append(time.monotonic() - started)
        outcome["publish_answers"].append(answers)
        # The winner redirects (302); the loser is refused at the form (200), never a 500.
        outcome["circulate_answers"].append(step(browsers[index % 2], meeting, "circulate"))


def wait_for_queue(environment, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        shown = environment.manage("shell", "-c", RECORD)
        record = json.loads(shown.split("RECORD ", 1)[1])
        pending = record["unfinished_tasks"] + sum(
            email["status"] in ("queued", "sending", "retrying") for email in record["emails"]
        )
        if pending == 0 or time.monotonic() > deadline:
            record["pending_at_end"] = pending
            return record
        time.sleep(1)


# --- The run -----------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE, help="created and dropped")
    parser.add_argument("--meetings", type=int, default=6, help="minutes to publish (6)")
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk load (20)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections each (8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers each (2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    args.threads, args.timeout, args.warmup = 2, 10, 0
    if not args.database_url.startswith("postgres"):
        parser.error("the scenario needs PostgreSQL: several processes write at once")
    return args


def main(argv) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="minutebook-cluster-"))
    environment = single.Environment(tmp, args.database_url)
    s3 = start_s3_server()
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    bucket = new_bucket(s3)
    environment.env |= {
        "STORAGE_URL": f"s3://{bucket}/{PREFIX}",
        "AWS_S3_ENDPOINT_URL": s3.endpoint,
        "AWS_S3_REGION_NAME": "eu-west-2",
        "AWS_ACCESS_KEY_ID": "minutebook-test",
        "AWS_SECRET_ACCESS_KEY": secrets.token_hex(8),  # the local server takes any key
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "LOG_LEVEL": "WARNING",
    }
    servers, workers, load = [], [], []
    try:
        environment.prepare()
        shown = environment.manage(
            "shell",
            "-c",
            PREPARE.format(committee=COMMITTEE, secretary=SECRETARY, meetings=args.meetings),
        )
        meetings = json.loads(shown.split("PKS ", 1)[1].strip())
        log(f"{len(meetings)} approved minutes ready to publish; starting 2 servers, 2 workers")
        for name in ("a", "b"):
            server = single.Server(environment, args.workers)
            server.log_path = tmp / f"gunicorn-{name}.log"
            servers.append(server.__enter__())
            workers.append(Worker(environment, f"worker-{name}"))
        member = single.log_in(servers[0].base)
        single.expect(servers[0].base, single.MEETING, cookie=member, text=single.MINUTES_SHOWN)
        single.expect(servers[1].base, single.PDF, content_type="application/pdf")
        browsers = [Browser(server.base) for server in servers]

        script = tmp / "report.lua"
        script.write_text(single.WRK_REPORT)
        readers = [
            ("server a", "minutes page as a member", servers[0].base + single.MEETING, member),
            ("server b", "PDF, anonymous", servers[1].base + single.PDF, ""),
        ]
        results: dict = {}

        def read(label, url, cookie):
            results[label] = single.wrk(url, cookie=cookie, args=args, script=script)

        for where, what, url, cookie in readers:
            thread = threading.Thread(target=read, args=(f"{where}: {what}", url, cookie))
            thread.start()
            load.append(thread)
        outcome = {"publish_seconds": [], "publish_answers": [], "circulate_answers": []}
        log(f"wrk reads both servers for {args.duration} s while the secretariat publishes")
        started = time.monotonic()
        secretariat(browsers, meetings, outcome)
        secretariat_seconds = time.monotonic() - started
        for thread in load:
            thread.join()
        log("waiting for the task queue to drain")
        record = wait_for_queue(environment, timeout=180)
        return report(
            args, meetings, s3, bucket, sink, results, outcome, record, secretariat_seconds
        )
    except single.BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 2
    finally:
        for worker in workers:
            worker.stop()
        for server in servers:
            server.__exit__(None, None, None)
        smtp.stop()
        s3.stop()
        environment.cleanup()
        if args.keep:
            log(f"kept {tmp}")
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


def report(args, meetings, s3, bucket, sink, results, outcome, record, seconds) -> int:
    client = s3.client()
    keys = [
        entry["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for entry in page.get("Contents", [])
    ]
    versions = record["versions"]
    stored = {}
    for version in versions:
        key = f"{PREFIX}/{version['name']}"
        try:
            body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
            stored[key] = hashlib.sha256(body).hexdigest() == version["sha256"]
        except client.exceptions.NoSuchKey:
            stored[key] = False
    per_meeting = dict.fromkeys(meetings, 0)
    for version in versions:
        if version["meeting"] in per_meeting:
            per_meeting[version["meeting"]] += 1

    sent = {_bare(e["message_id"]) for e in record["emails"] if e["status"] == "sent"}
    with sink.lock:
        received = {_bare(message_id): count for message_id, count in sink.received.items()}
    circulation = [e for e in record["emails"] if e["kind"] == "circulation"]

    wins = sum(answers.count(302) for answers in outcome["publish_answers"])
    refusals = sum(answers.count(200) for answers in outcome["publish_answers"])
    other = [a for answers in outcome["publish_answers"] for a in answers if a not in (200, 302)]
    circulate_bad = [a for a in outcome["circulate_answers"] if a != 302]

    print("\nTwo app servers, two task workers, one PostgreSQL, one bucket")
    print(f"  meetings published and circulated: {args.meetings}, in {seconds:.1f} s")
    print(f"  wrk: -t{args.threads} -c{args.connections} for {args.duration} s on each server\n")
    total_rps, total_errors = 0.0, 0
    for label, figures in results.items():
        total_rps += figures["rps"]
        total_errors += figures["errors"]
        print(
            f"  {label:38} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:6.1f} ms  "
            f"p99 {figures['p99_ms']:7.1f} ms  errors {figures['errors']}"
            + (f" {figures['error_detail']}" if figures["errors"] else "")
        )
    print(f"  {'both servers':38} {total_rps:8.1f} req/s  errors {total_errors}")
    publish = sorted(outcome["publish_seconds"])
    print(f"\n  publish (both servers at once), median {publish[len(publish) // 2]:.2f} s")

    checks = [
        ("read errors (wrk: socket errors, non-2xx/3xx)", total_errors, 0),
        ("publish races won (one per meeting)", wins, args.meetings),
        ("publish races refused politely (the other server)", refusals, args.meetings),
        ("publish answers other than 302/200 (e.g. 500)", len(other), 0),
        ("circulations not accepted", len(circulate_bad), 0),
        ("minutes published other than exactly once", sum(n != 1 for n in per_meeting.values()), 0),
        ("versions whose PDF is missing or differs", sum(not ok for ok in stored.values()), 0),
        ("objects in the bucket that no version names", len(set(keys) - set(stored)), 0),
        ("tasks unfinished after the run", record["pending_at_end"], 0),
        ("tasks failed", record["failed_tasks"], 0),
        ("circulation emails recorded", len(circulation), None),
        ("emails recorded but not sent", len(record["emails"]) - len(sent), 0),
        ("emails sent but never received", len(sent - received.keys()), 0),
        ("emails received more than once", sum(n > 1 for n in received.values()), 0),
        ("emails received that were never recorded", len(received.keys() - sent), 0),
    ]
    failed = 0
    print()
    for label, value, expected in checks:
        verdict = "" if expected is None else ("PASS" if value == expected else "FAIL")
        failed += verdict == "FAIL"
        shown = value if expected is None else f"{value} (expected {expected})"
        print(f"  {verdict:4}  {label}: {shown}")
    print(f"\n  PDFs stored: {len(keys)}; emails received: {sum(received.values())}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
