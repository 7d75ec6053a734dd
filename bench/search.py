"""Search speed at archive sizes: p50/p95 of a common word, a rare word and a phrase.

    .venv/bin/python bench/search.py                      # SQLite, 1,000 meetings
    .venv/bin/python bench/search.py --meetings 10000
    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/mb_search_bench

Builds a fresh database (a temporary SQLite file, or a PostgreSQL database whose name must
contain "bench", created and dropped here) holding 20 public committees and N published
meetings of 8 items and about 4 KB of text each, indexed through the app's own
``minutes.search.index_version``. Versions get no PDF: search never reads it. Then each query
runs through the search service and through the search page (Django's test client, as an
anonymous reader), and the figures are printed. A measurement, not a test: it exits 0 whatever
the figures.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = {
    "common word": "council",
    "rare word": "zanzibar",
    "phrase": '"shared services"',
}
TARGET_MS = {"postgresql": 50, "sqlite": 150}


def configure(database_url: str | None, folder: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY="bench-only-" + "x" * 40,
        ALLOWED_HOSTS="testserver,127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        STATIC_MANIFEST="false",
        MEDIA_ROOT=str(Path(folder) / "media"),
        DATABASE_URL=database_url or f"sqlite:///{folder}/bench.sqlite3",
        LOG_LEVEL="WARNING",
    )
    # The page is measured without static files; WhiteNoise's warning about them is noise.
    warnings.filterwarnings("ignore", message="No directory at")


def create_postgresql_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    if "bench" not in name:
        raise SystemExit("The database name must contain 'bench': it is dropped at the end.")
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def drop_postgresql_database(url: str) -> None:
    import psycopg2
    from django.db import connections

    connections.close_all()
    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def words(rng: random.Random, vocabulary: list[str], count: int) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def build_archive(meetings: int, seed: int = 1) -> float:
    """Create the committees, meetings and indexed versions; returns the seconds taken."""
    from meetings.models import Meeting
    from members.models import Committee
    from minutes.document import DocumentState, Item, MinutesDocument
    from minutes.models import Minutes, MinutesVersion
    from minutes.search import index_version

    rng = random.Random(seed)  # noqa: S311 - made-up text, not secrets
    syllables = ["ba", "co", "de", "fi", "gu", "ha", "jo", "ki", "lu", "me", "no", "pa", "ri"]
    vocabulary = ["".join(rng.choice(syllables) for _ in range(3)) for _ in range(3000)]
    vocabulary += ["council", "budget", "agreed", "report", "services", "members"] * 40
    started = time.perf_counter()
    committees = Committee.objects.bulk_create(
        Committee(
            name=f"Committee {n}",
            slug=f"committee-{n}",
            minutes_visibility=Committee.Visibility.PUBLIC,
        )
        for n in range(20)
    )
    first = datetime.date(1990, 1, 1)
    rows = Meeting.objects.bulk_create(
        Meeting(
            committee=committees[n % 20],
            date=first + datetime.timedelta(days=(n // 20) * 7),
            status=Meeting.Status.HELD,
        )
        for n in range(meetings)
    )
    minutes = Minutes.objects.bulk_create(
        Minutes(meeting=meeting, status=Minutes.Status.PUBLISHED, approved_on=meeting.date)
        for meeting in rows
    )
    for number, (meeting, record) in enumerate(zip(rows, minutes, strict=True)):
        items = []
        for position in range(1, 9):
            text = words(rng, vocabulary, 80)
            if number % 10 == 0 and position == 3:
                text += " Shared services were discussed."
            if number % 2000 == 7 and position == 5:
                text += " A letter from Zanzibar was read."
            items.append(
                Item(
                    number=str(position),
                    title=words(rng, vocabulary, 3).capitalize(),
                    text=text,
                    decisions=["The report was agreed."] if position == 2 else [],
                )
            )
        document = MinutesDocument(
            committee=meeting.committee.name,
            committee_slug=meeting.committee.slug,
            meeting_date=meeting.date,
            state=DocumentState.APPROVED,
            items=items,
            version=1,
        )
        version = MinutesVersion.objects.bulk_create(
            [
                MinutesVersion(
                    minutes=record,
                    number=1,
                    confirmed=True,
                    document=document.to_json(),
                    plain_text=document.plain_text(),
                    pdf="bench/none.pdf",
                    pdf_sha256="0" * 64,
                    pdf_size=0,
                )
            ]
        )[0]
        version.minutes = record
        record.meeting = meeting
        index_version(version)
    return time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(runs: int) -> dict:
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from minutes import search

    figures = {}
    client = Client()
    for label, query in QUERIES.items():
        service, page = [], []
        found = search.search(user=AnonymousUser(), query=query).total
        for _ in range(runs):
            started = time.perf_counter()
            search.search(user=AnonymousUser(), query=query)
            service.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.get("/search/", {"q": query})
            page.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"The search page answered {response.status_code}.")
        figures[label] = {
            "query": query,
            "matches": found,
            "service_p50_ms": statistics.median(service),
            "service_p95_ms": percentile(service, 0.95),
            "page_p50_ms": statistics.median(page),
            "page_p95_ms": percentile(page, 0.95),
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=40, help="timed runs of each query")
    parser.add_argument("--database-url", help="a PostgreSQL database (name containing 'bench')")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="minutebook-search-bench-") as folder:
        configure(args.database_url, folder)
        if args.database_url:
            create_postgresql_database(args.database_url)
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        try:
            call_command("migrate", verbosity=0)
            built = build_archive(args.meetings)
            vendor = connection.vendor
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            figures = measure(args.runs)
        finally:
            if args.database_url:
                drop_postgresql_database(args.database_url)
    print(
        f"Search on {vendor}: {args.meetings} meetings ({args.meetings * 8} items), "
        f"built and indexed in {built:.0f} s; {args.runs} runs a query"
    )
    print(
        f"{'query':<13} {'matches':>8} {'service p50':>12} {'p95':>8} {'page p50':>10} {'p95':>8}"
    )
    for label, row in figures.items():
        service = f"{row['service_p50_ms']:>10.1f}ms {row['service_p95_ms']:>6.1f}ms"
        page = f"{row['page_p50_ms']:>8.1f}ms {row['page_p95_ms']:>6.1f}ms"
        print(f"{label:<13} {row['matches']:>8} {service} {page}")
    worst = max(row["page_p95_ms"] for row in figures.values())
    target = TARGET_MS[vendor]
    verdict = "PASS" if worst < target else "MISS"
    print(f"worst page p95 {worst:.1f} ms; target under {target} ms: {verdict}")


if __name__ == "__main__":
    main()
