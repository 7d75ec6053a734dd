"""The agenda at scale, in process: adding items one by one, and the pages that show them.

    .venv/bin/python bench/agenda.py [--items 1000] [--database-url postgres://…/mb_bench]

Builds a fresh database in a temporary folder (SQLite by default; with --database-url a
PostgreSQL database whose name contains "bench", created and dropped here), schedules one
meeting, adds --items agenda items through the workspace's service (as the "Add an item"
page does), then opens the admin's meeting page and the workspace's agenda page as the
secretariat. Prints, for each step, the time, the queries and (for pages) the bytes sent.
A measurement, not a test: it exits 0 whatever the figures.
"""

import argparse
import contextlib
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1000, help="agenda items to add")
    parser.add_argument("--database-url", help="PostgreSQL URL (name must contain 'bench')")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="minutebook-agenda-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    if args.database_url and "bench" not in args.database_url.rsplit("/", 1)[-1]:
        raise SystemExit("The PostgreSQL database's name must contain 'bench'.")
    os.environ.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        STATIC_MANIFEST="false",
        DATABASE_URL=url,
        MEDIA_ROOT=str(folder / "media"),
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if args.database_url:
        _recreate_postgres_database(connection)
    try:
        call_command("migrate", verbosity=0)
        run(args.items)
    finally:
        connection.close()
        if args.database_url:
            _drop_postgres_database(connection)
        shutil.rmtree(folder, ignore_errors=True)


def run(count: int) -> None:
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from meetings import services
    from meetings.models import AgendaItem
    from members.models import Committee

    committee = Committee.objects.create(name="Bench committee", slug="bench")
    meeting = services.meeting_schedule(committee=committee, date=datetime.date(2030, 1, 21))
    print(f"Agenda of {count} items added one by one ({connection.vendor}):")

    def add(n: int) -> tuple[float, int]:
        connection.queries_log.clear()  # the log keeps 9,000 queries: count from empty
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            services.agenda_item_add(meeting=meeting, title=f"Item {n}")
            took = time.perf_counter() - start
        return took, len(queries)

    times, queries = [], []
    started = time.perf_counter()
    for n in range(count):
        took, ran = add(n)
        times.append(took)
        queries.append(ran)
    total = time.perf_counter() - started
    window = max(1, min(50, count // 4))
    print(f"  total                      {total:9.2f} s")
    print(f"  first {window:>4} items, mean     {1000 * sum(times[:window]) / window:9.2f} ms")
    print(f"  last  {window:>4} items, mean     {1000 * sum(times[-window:]) / window:9.2f} ms")
    print(f"  queries per add            {queries[0]} (first), {queries[-1]} (last)")
    if AgendaItem.objects.filter(meeting=meeting).count() != count + 5:
        raise SystemExit("The agenda does not hold every item added.")

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    pages = {
        "admin meeting page": reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        "workspace agenda page": reverse("meetings:agenda_workspace", args=[meeting.pk]),
    }
    with contextlib.suppress(NoReverseMatch):  # before: items edited inline on the meeting
        pages["admin agenda items page"] = (
            reverse("admin:meetings_agendaitem_changelist") + f"?meeting__id__exact={meeting.pk}"
        )
    print(f"Pages with {count + 5} agenda items (secretariat, in process):")
    for name, path in pages.items():
        client.get(path)  # warm: templates, the admin's registry, connections
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ran:
            start = time.perf_counter()
            response = client.get(path)
            size = len(response.content)
            took = time.perf_counter() - start
        status = "" if response.status_code == 200 else f"  (answered {response.status_code})"
        print(f"  {name:<26} {took:9.2f} s  {size / 1e6:7.2f} MB  {len(ran):4} queries{status}")


def _recreate_postgres_database(connection) -> None:
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')


def _drop_postgres_database(connection) -> None:
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
