"""Statistics pages and the open-data API at archive sizes: p50/p95, queries and bytes.

    .venv/bin/python bench/reads.py                      # SQLite: demo, 1,000 and 10,000
    .venv/bin/python bench/reads.py --sizes demo,1000
    .venv/bin/python bench/reads.py --database-url postgres://postgres@127.0.0.1:5432/mb_reads_bench
    .venv/bin/python bench/reads.py --keep               # then --reuse measures them again

Each size is a database as bench/search.py builds them (bench/archive.py; the same --keep'd
databases serve both). Each request runs through Django's test client, in process and warm,
signed in as the demo's member (who sits on half the generated committees and owns actions in
them): the committee statistics page (last twelve months, and every year of the archive), a
person's page (the member's own), and the API's lists (first page) and details. Pages are made
afresh for every request (PAGE_CACHE_SECONDS=0 unless set in the environment): what is timed is
the work of making them, which kept pages (bench/pages.py) would hide. A measurement, not a
test: it exits 0 whatever the figures. Query counts are asserted in the tests.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import archive


def requests() -> dict[str, str]:
    """What to measure: a label and a path, on the biggest committee of this database."""
    from django.db.models import Count

    from members.models import Committee, Person
    from minutes.models import MinutesVersion

    committee = Committee.objects.annotate(n=Count("meetings")).order_by("-n", "slug").first()
    person = Person.objects.get(user__username="member")
    version = (
        MinutesVersion.objects.filter(minutes__meeting__committee=committee)
        .order_by("-minutes__meeting__date")
        .first()
    )
    statistics = f"/committees/{committee.slug}/statistics/"
    return {
        "committee statistics, 12 months": statistics,
        "committee statistics, all years": statistics + "?date_from=1900-01-01",
        "person page": f"/people/{person.pk}/",
        "API committees": "/api/v1/committees/",
        "API events (list)": "/api/v1/events/",
        "API event (detail)": f"/api/v1/events/{version.minutes.meeting_id}/",
        "API minutes (list)": "/api/v1/minutes/",
        "API minutes (detail)": f"/api/v1/minutes/{version.pk}/",
        "API people (list)": "/api/v1/people/",
        "API organisations (list)": "/api/v1/organisations/",
    }


def measure(size: str, args) -> dict:
    url, built = archive.prepare(size, args)
    try:
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client()
        client.force_login(get_user_model().objects.get(username="member"))
        figures = {"size": size, "vendor": connection.vendor, "built_s": built, "requests": {}}
        for label, path in requests().items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}.")

            def get(path=path):
                client.get(path)

            figures["requests"][label] = {
                "path": path,
                "queries": len(queries),
                "bytes": len(response.content),
                **archive.timed(get, args.runs),
            }
    finally:
        archive.finish(url, args)
    return figures


def report(all_figures: list[dict], runs: int) -> None:
    vendor = all_figures[0]["vendor"]
    print(f"Reads on {vendor}, in process and warm, as the demo's member; {runs} runs each")
    print(archive.load_line())
    print(f"{'size':<16} {'request':<34} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KB':>7}")
    for figures in all_figures:
        for label, row in figures["requests"].items():
            print(
                f"{archive.size_label(figures['size']):<16} {label:<34} {row['p50_ms']:>8.1f} "
                f"{row['p95_ms']:>8.1f} {row['queries']:>8} {row['bytes'] / 1024:>7.1f}"
            )


if __name__ == "__main__":
    archive.main(__file__, __doc__, measure, report)
