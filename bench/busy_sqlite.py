#!/usr/bin/env python
"""SQLite under concurrent use: writes that wait, writes refused politely, and no 500.

The app runs as `make run` does, but under gunicorn (2 workers × 4 threads) on a fresh
SQLite file with a task worker beside it. For ``--seconds`` seconds:

- ``--editors`` secretaries save minutes as fast as they can, each on items of their own
  (the take-minutes form, posted without htmx); a 503 is sent again as its "Try again" would;
- a publisher publishes approved minutes one meeting after another (long ones: the task
  worker renders each PDF and commits the version), as a secretary clicking "Publish";
- a reader logs in and out again and again (each login writes the session and last_login).

Then it lets the task worker finish, and checks that every publication asked for was
published, that the last text saved for each item is the one in the database (no save
that answered "saved" was lost) and that every 503 page carried the text that was sent. It
prints the answers by kind and the time a save took. With the defaults writes only wait;
``--hold 3 --lock-timeout 1`` adds another writer that keeps the lock for 3 s every 2 s (a
long import, a backup), so that writes are refused and sent again:

    python bench/busy_sqlite.py [--seconds 20] [--editors 6] [--lock-timeout 20] [--hold 0]

It exits 1 if any answer was a 500, a save was lost, a 503 lacked the text sent, or a
publication asked for was left undone.
"""

import argparse
import collections
import html
import os
import random
import re
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fault_injection import free_port, log, manage  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
ITEMS_EACH = 4  # items each editor keeps saving
PUBLISHABLE = 30  # meetings with approved minutes, waiting to be published
PARAGRAPH = (
    "The group discussed the proposal at length noting the views of each authority "
    "represented and the risks recorded in the register "
) * 6


def prepare(editors: int) -> tuple[list[list[int]], list[int]]:
    """Items for each editor (draft minutes) and meetings to publish (approved, long)."""
    import datetime

    from django.contrib.auth import get_user_model

    from meetings.services import meeting_schedule
    from members.models import Committee
    from minutes.services import item_minute_save, minutes_approve, minutes_for_meeting

    committee = Committee.objects.get(slug="socitm-futures")
    secretary = get_user_model().objects.get(username="secretary")
    first = datetime.date(2011, 1, 3)
    publishable, items = [], []
    for n in range(PUBLISHABLE + editors):
        meeting = meeting_schedule(committee=committee, date=first + datetime.timedelta(weeks=n))
        if n < PUBLISHABLE:
            minutes = minutes_for_meeting(meeting=meeting)
            for item in meeting.agenda_items.all():
                text = "\n\n".join(f"{item.title}: {PARAGRAPH}" for _ in range(4))
                item_minute_save(agenda_item=item, text=text, expected_revision=0, by=secretary)
            minutes_approve(minutes=minutes, by=secretary, on=meeting.date)
            publishable.append(meeting.pk)
        else:
            items.append(list(meeting.agenda_items.values_list("pk", flat=True)[:ITEMS_EACH]))
    return items, publishable


class Browser:
    """A signed-in secretary: a session, its CSRF token, and the answers it got."""

    def __init__(self, url: str, password: str):
        self.url = url
        self.session = requests.Session()
        self.login(password)

    def login(self, password: str) -> int:
        page = self.session.get(self.url + "/accounts/login/", timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.session.post(
            self.url + "/accounts/login/",
            data={"username": "secretary", "password": password, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=60,
        ).status_code

    def post(self, path: str, data: dict) -> requests.Response:
        return self.session.post(
            self.url + path,
            data=data,
            headers={"X-CSRFToken": self.session.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=120,
        )


def edit(browser, items, until, counts, saved, durations, lock) -> None:
    revisions = dict.fromkeys(items, 0)
    n = 0
    while time.monotonic() < until:
        item = random.choice(items)  # noqa: S311 - not cryptography
        n += 1
        text = f"Saved {n} by editor {items[0]}: the committee noted the report"
        data = {f"minute-{item}-text": text, f"minute-{item}-revision": revisions[item]}
        while True:
            started = time.monotonic()
            response = browser.post(f"/workspace/items/{item}/minute/", data)
            with lock:
                durations.append(time.monotonic() - started)
                counts[f"save {response.status_code}"] += 1
            if response.status_code != 503:
                break
            if html.escape(text) not in response.text:
                with lock:
                    counts["503 without the text"] += 1
            time.sleep(float(response.headers.get("Retry-After", 1)) / 5)  # a brisk person
        if response.status_code == 302:
            revisions[item] += 1
            with lock:
                saved[item] = text


def publish(browser, meetings, until, counts, lock) -> None:
    for pk in meetings:
        if time.monotonic() >= until:
            return
        status = browser.post(f"/workspace/meetings/{pk}/minutes/workflow/publish/", {})
        with lock:
            counts[f"publish {status.status_code}"] += 1
        time.sleep(0.5)


def read(browser, password, until, counts, lock) -> None:
    while time.monotonic() < until:
        out = browser.post("/accounts/logout/", {})
        status = browser.login(password)
        with lock:
            counts[f"logout {out.status_code}"] += 1
            counts[f"login {status}"] += 1


def hold(database: Path, seconds: float, until, counts, lock) -> None:
    """Another writer that keeps the write lock for ``seconds`` every few seconds, as a long
    import or a backup might."""
    while time.monotonic() < until:
        time.sleep(2)
        holder = sqlite3.connect(database, isolation_level=None, timeout=60)
        holder.execute("BEGIN IMMEDIATE")
        time.sleep(seconds)
        holder.rollback()
        holder.close()
        with lock:
            counts["lock held"] += 1


def drain(timeout: float = 300) -> bool:
    """Wait until the task worker has run every task queued; False if it has not in time."""
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
            return True
        time.sleep(1)
    return False


def counted(target, counts, lock):
    """``target``, with any exception it raises counted rather than lost in its thread."""

    def run(*args):
        try:
            target(*args)
        except Exception as error:
            with lock:
                counts[f"client error {type(error).__name__}"] += 1
            raise

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--editors", type=int, default=6)
    parser.add_argument("--lock-timeout", type=int, default=20)
    parser.add_argument(
        "--hold", type=float, default=0, help="seconds a long writer keeps the lock, every 2 s"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="minutebook-busy-"))
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_TIMEOUT"}},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "false",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DATABASE_LOCK_TIMEOUT": str(args.lock_timeout),
        "MEDIA_ROOT": str(tmp / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    os.environ.update(env)
    import django

    django.setup()
    log(f"Setting up in {tmp}")
    manage("migrate", "--no-input", "-v0", env=env)
    manage("load_demo", env=env)
    from minutes.demo import DEMO_PASSWORD as password
    from minutes.models import ItemMinute, MinutesVersion, Publication

    items, publishable = prepare(args.editors)
    versions_before = MinutesVersion.objects.count()

    processes = [
        subprocess.Popen(
            [GUNICORN, "-c", "config/gunicorn.py", "config.wsgi", "--threads=4"],
            cwd=ROOT,
            env={**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"},
            stdout=open(tmp / "gunicorn.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--queue-name=*", "--no-reload", "--interval=0.2"],
            cwd=ROOT,
            env=env,
            stdout=open(tmp / "worker.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        ),
    ]
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(url + "/healthz", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        counts, saved, durations, lock = collections.Counter(), {}, [], threading.Lock()
        until = time.monotonic() + args.seconds
        log(f"{args.editors} editors, a publisher and a reader for {args.seconds:g} s")
        threads = [
            threading.Thread(
                target=counted(edit, counts, lock),
                args=(Browser(url, password), its, until, counts, saved, durations, lock),
            )
            for its in items
        ]
        threads.append(
            threading.Thread(
                target=counted(publish, counts, lock),
                args=(Browser(url, password), publishable, until, counts, lock),
            )
        )
        threads.append(
            threading.Thread(
                target=counted(read, counts, lock),
                args=(Browser(url, password), password, until, counts, lock),
            )
        )
        if args.hold:
            threads.append(
                threading.Thread(
                    target=hold, args=(tmp / "db.sqlite3", args.hold, until, counts, lock)
                )
            )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        log("Load over; letting the task worker finish the publications asked for")
        drained = drain()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)

    stored = dict(
        ItemMinute.objects.filter(agenda_item__in=saved).values_list("agenda_item", "text")
    )
    lost = sum(1 for item, text in saved.items() if stored.get(item) != text)
    errors = sum(n for kind, n in counts.items() if kind.endswith(" 500"))
    held = f", another writer holding the lock {args.hold:g} s every 2 s" if args.hold else ""
    print(f"\nDATABASE_LOCK_TIMEOUT={args.lock_timeout} s, {args.seconds:g} s of load{held}")
    for kind, n in sorted(counts.items()):
        print(f"  {kind:<24} {n:>6}")
    print(f"  {'versions published':<24} {MinutesVersion.objects.count() - versions_before:>6}")
    stuck = Publication.objects.count()
    print(
        f"  {'publications left undone':<24} {stuck:>6}{'' if drained else ' (queue not drained)'}"
    )
    if durations:
        quantiles = statistics.quantiles(durations, n=100)
        print(
            f"  save answered in         median {statistics.median(durations) * 1000:.0f} ms, "
            f"p95 {quantiles[94] * 1000:.0f} ms, max {max(durations) * 1000:.0f} ms"
        )
    print(f"  {'500 answers':<24} {errors:>6}")
    print(f"  {'saves lost':<24} {lost:>6}")
    if args.keep:
        print(f"  kept: {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    failed = errors or lost or stuck or counts["503 without the text"]
    return 1 if failed or any(kind.startswith("client error") for kind in counts) else 0


if __name__ == "__main__":
    sys.exit(main())
