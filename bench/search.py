"""Search speed at archive sizes: p50/p95 of a common word, a rare word and a phrase.

    .venv/bin/python bench/search.py                      # SQLite: demo, 1,000 and 10,000
    .venv/bin/python bench/search.py --sizes demo,1000
    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/mb_search_bench
    .venv/bin/python bench/search.py --keep               # then --reuse measures them again

Each size is a fresh database (see bench/archive.py): the demo alone, or the demo and N
generated meetings of 8 items and about 4 KB of text each (bench/generate.py). Each query
runs through the search service and through the search page (Django's test client, signed in
as the demo's member, who reads the public committees and sits on the others; in process and
warm, with pages never kept, so that each run searches), and p50/p95 are printed. A
measurement, not a test: it exits 0 whatever the figures.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import archive

QUERIES = {
    "common word": "council",
    "rare word": "Horner",  # a name in the demo's minutes alone
    "phrase": '"shared services"',
    "the demo decision": "meeting dates 2010",
}
TARGET_MS = {"postgresql": 50, "sqlite": 150}


def measure(size: str, args) -> dict:
    url, built = archive.prepare(size, args)
    try:
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client

        from minutes import search

        member = get_user_model().objects.get(username="member")
        client = Client()
        client.force_login(member)
        figures = {"size": size, "vendor": connection.vendor, "built_s": built, "queries": {}}
        for label, query in QUERIES.items():

            def page(query=query):
                if client.get("/search/", {"q": query}).status_code != 200:
                    raise SystemExit("The search page did not answer 200.")

            results = search.search(user=member, query=query)
            figures["queries"][label] = {
                "query": query,
                "matches": results.total,
                "more": results.more,
                "service": archive.timed(
                    lambda query=query: search.search(user=member, query=query), args.runs
                ),
                "page": archive.timed(page, args.runs),
            }
    finally:
        archive.finish(url, args)
    return figures


def report(all_figures: list[dict], runs: int) -> None:
    vendor = all_figures[0]["vendor"]
    print(f"Search on {vendor}, in process and warm; {runs} runs a query; p50 / p95 in ms")
    print(archive.load_line())
    print(f"{'size':<16} {'query':<18} {'matches':>8} {'service':>16} {'page':>16}")
    worst = 0.0
    for figures in all_figures:
        for label, row in figures["queries"].items():
            matches = f"{row['matches']:,}{'+' if row['more'] else ''}"
            service = f"{row['service']['p50_ms']:.1f} / {row['service']['p95_ms']:.1f}"
            page = f"{row['page']['p50_ms']:.1f} / {row['page']['p95_ms']:.1f}"
            size = archive.size_label(figures["size"])
            print(f"{size:<16} {label:<18} {matches:>8} {service:>16} {page:>16}")
        worst = max(worst, *(row["page"]["p95_ms"] for row in figures["queries"].values()))
    target = TARGET_MS[vendor]
    verdict = "PASS" if worst < target else "MISS"
    print(f"worst page p95 {worst:.1f} ms; target under {target} ms: {verdict}")


if __name__ == "__main__":
    archive.main(__file__, __doc__, measure, report)
