#!/usr/bin/env python
"""Do the pages stay flat as the archive grows? Requests per second of each page members and
the secretariat use, at three sizes, against a trivial view that requires login.

    .venv/bin/python bench/pages.py                                   # SQLite: demo, 1,000, 10,000
    .venv/bin/python bench/pages.py --sizes demo,1000 --quick
    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/mb_pages_bench

For each size a fresh database (SQLite in a temporary folder, or PostgreSQL databases named
after ``--database-url`` with the size appended, e.g. ``mb_pages_bench_10000``; the name must
contain "bench"): ``migrate``, ``load_demo``, and for a number of meetings
``bench/generate.py`` with 20 committees and a 1,000-item agenda. With ``--keep`` the
PostgreSQL databases stay, and ``--reuse`` measures one kept before instead of building it
again (10,000 meetings take a quarter of an hour to generate). Then gunicorn serves the app
as in production (see bench/run.py, whose environment, server and wrk this shares) and wrk
loads each page in turn, for ``--rounds`` rounds. Each page's ratio is its requests per second
over the trivial view's in the same round; the median over the rounds is compared with the
targets: members' pages at least 0.5, workspace pages at least 0.3.

A measurement, not a test: it exits 0 whatever the figures.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # bench/run.py, beside this file

TARGETS = {"members": 0.5, "workspace": 0.3}
BASELINE = "/bench/signed-in"
SECRETARY = "secretary"

# What each size measures; {…} are filled in from the database by PATHS_SCRIPT.
PAGES = [
    # (key, label, kind, who, path, text the answer must contain)
    ("home", "home", "members", "member", "/", "</html>"),
    ("committee", "committee page", "members", "member", "/committees/{slug}/", "</html>"),
    ("minutes", "minutes page", "members", "member", "{minutes}", bench.MINUTES_SHOWN),
    ("my_actions", "My actions", "members", "member", "/my/actions/", "</html>"),
    ("search", "search (common word)", "members", "member", "/search/?q=council", "</html>"),
    ("workspace", "workspace", "workspace", SECRETARY, "/workspace/", "</html>"),
    (
        "committee_workspace",
        "committee workspace",
        "workspace",
        SECRETARY,
        "/workspace/committees/{slug}/",
        "</html>",
    ),
    (
        "action_log",
        "action log (open)",
        "workspace",
        SECRETARY,
        "/workspace/committees/{slug}/actions/",
        "</html>",
    ),
    (
        "action_log_all",
        "action log (all)",
        "workspace",
        SECRETARY,
        "/workspace/committees/{slug}/actions/?status=all",
        "</html>",
    ),
    (
        "take",
        "take the minutes",
        "workspace",
        SECRETARY,
        "/workspace/meetings/{take}/minutes/",
        "</html>",
    ),
    (
        "agenda",
        "agenda ({agenda_items} items)",
        "workspace",
        SECRETARY,
        "/workspace/meetings/{agenda}/agenda/",
        "</html>",
    ),
]

# Prints the committee, meetings and counts the pages are measured on, as JSON.
PATHS_SCRIPT = """
import json
from django.db.models import Count
from meetings.models import Meeting
from minutes.models import Minutes
slug = "archive-01" if Meeting.objects.filter(committee__slug="archive-01").exists() \\
    else "socitm-futures"
published = Minutes.objects.published().filter(meeting__committee__slug=slug) \\
    .select_related("meeting__committee").latest("meeting__date")
take = Minutes.objects.filter(meeting__committee__slug=slug) \\
    .exclude(status__in=Minutes.PUBLISHED_STATES).order_by("-meeting__date").first() \\
    or published
agenda = Meeting.objects.filter(committee__slug=slug).annotate(n=Count("agenda_items")) \\
    .order_by("-n").first()
print(json.dumps({
    "slug": slug,
    "minutes": published.meeting.get_absolute_url(),
    "take": take.meeting_id,
    "agenda": agenda.pk,
    "agenda_items": agenda.n,
    "meetings": Meeting.objects.count(),
}))
"""


def log(message: str) -> None:
    bench.log(message)


def database_url(base: str | None, size: str, tmp: Path) -> str | None:
    if not base:
        return f"sqlite:///{tmp / f'pages-{size}.sqlite3'}"
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=f"{parts.path}_{size}"))


def has_archive(url: str, meetings: int) -> bool:
    """Whether the kept PostgreSQL database ``url`` holds an archive of this size already."""
    import psycopg2

    try:
        connection = psycopg2.connect(url)
    except psycopg2.OperationalError:
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM meetings_meeting WHERE status = 'held'")
            held = cursor.fetchone()[0]
    except psycopg2.Error:
        return False
    finally:
        connection.close()
    return held >= meetings


def prepare(environment: bench.Environment, size: str, args) -> dict:
    meetings = 0 if size == "demo" else int(size)
    reuse = (
        args.reuse
        and environment.vendor == "postgresql"
        and has_archive(environment.database_url, meetings)
    )
    if environment.vendor == "postgresql" and not reuse:
        bench.postgres_database("create", environment.database_url)
    environment.database_created = environment.vendor == "postgresql" and not args.keep
    environment.env |= {
        "PAGE_CACHE_SECONDS": str(args.page_cache_seconds),
        "DJANGO_SETTINGS_MODULE": "bench.settings_pages",
        "BENCH_STATIC_ROOT": str(environment.static_root),
    }
    log(f"{size}: collectstatic, migrate, load_demo ({environment.vendor})")
    environment.manage("collectstatic", "--no-input", "-v0")
    environment.manage("migrate", "--no-input", "-v0")
    if reuse:
        log(f"{size}: reusing the archive in {environment.database_url}")
    else:
        environment.manage("load_demo")
        if meetings:
            log(f"{size}: generating {meetings} meetings (bench/generate.py)")
            started = time.monotonic()
            bench.run(
                [
                    bench.PYTHON,
                    str(bench.BENCH / "generate.py"),
                    f"--meetings={meetings}",
                    "--committees=20",
                    "--agenda-items=1000",
                ],
                env=environment.env,
            )
            log(f"{size}: generated in {time.monotonic() - started:.0f} s")
    return json.loads(environment.manage("shell", "-c", PATHS_SCRIPT).strip().splitlines()[-1])


def measure_size(environment: bench.Environment, found: dict, args) -> dict:
    script = environment.tmp / "report.lua"
    script.write_text(bench.WRK_REPORT)
    rounds = []
    with bench.Server(environment, args.workers) as server:
        base = server.base
        cookies = {
            "member": bench.log_in(base),
            SECRETARY: bench.log_in(base, SECRETARY, bench.MEMBER_PASSWORD),
        }
        bench.expect(base, BASELINE, status=302)  # the baseline does require a login
        for number in range(args.rounds):
            results = {}
            for key, label, kind, who, path, text in [
                ("baseline", "signed-in trivial view", "", "member", BASELINE, "ok"),
                *PAGES,
            ]:
                path, label = path.format(**found), label.format(**found)
                body = bench.expect(base, path, cookie=cookies[who], text=text, timeout=120).body
                log(f"round {number + 1}/{args.rounds}: {label} as {who} ({path})")
                figures = bench.wrk(base + path, cookie=cookies[who], args=args, script=script)
                results[key] = {
                    "label": label,
                    "kind": kind,
                    "as": who,
                    "path": path,
                    "body_bytes": len(body),
                } | figures
            rounds.append(results)
        if any(r["errors"] for results in rounds for r in results.values()):
            log(f"wrk reported errors; gunicorn's log:\n{server.log_tail()}")
    combined = bench.combine_rounds(
        rounds,
        kept=("label", "kind", "as", "path", "body_bytes"),
        medians=("rps", "p50_ms", "p99_ms"),
    )
    for key, figures in combined.items():
        ratios = [results[key]["rps"] / results["baseline"]["rps"] for results in rounds]
        figures |= {"ratio": statistics.median(ratios), "ratio_range": (min(ratios), max(ratios))}
    return combined


def print_size(size: str, found: dict, figures: dict, args) -> None:
    print(
        f"\n{size}: {found['meetings']} meetings in the database; "
        f"pages of {found['slug']}; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s, {args.rounds} round(s), gunicorn {args.workers} sync workers, "
        + (
            f"pages kept per reader for up to {args.page_cache_seconds} s"
            if args.page_cache_seconds
            else "no page kept (each made afresh)"
        )
    )
    rows = [["page", "as", "req/s", "p50 ms", "p99 ms", "bytes", "errors", "ratio", "", ""]]
    for key, r in figures.items():
        low, high = r["ratio_range"]
        target = TARGETS.get(r["kind"])
        verdict = "" if target is None else ("PASS" if r["ratio"] >= target else "MISS")
        rows.append(
            [
                r["label"],
                r["as"],
                f"{r['rps']:.0f}",
                f"{r['p50_ms']:.1f}",
                f"{r['p99_ms']:.1f}",
                r["body_bytes"],
                r["errors"],
                f"{r['ratio']:.2f}" if key != "baseline" else "1",
                f"({low:.2f}–{high:.2f})" if args.rounds > 1 and key != "baseline" else "",
                f"≥ {target} {verdict}" if target else "",
            ]
        )
    bench.table(rows, left=2)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="demo,1000,10000", help="demo and/or meeting counts")
    parser.add_argument("--database-url", help="PostgreSQL base name (must contain 'bench')")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a kept database that has the archive"
    )
    parser.add_argument("--quick", action="store_true", help="one round of 2 s a page")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--timeout", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        default=300,
        help="PAGE_CACHE_SECONDS for the server; 0 makes every page afresh (config/page_cache.py)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures")
    args = parser.parse_args(argv)
    args.duration = args.duration or (2 if args.quick else 4)
    args.rounds = args.rounds or (1 if args.quick else 2)
    everything = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "app": bench.app_version()}
    load = os.getloadavg()[0]
    for size in args.sizes.split(","):
        with tempfile.TemporaryDirectory(prefix=f"minutebook-pages-{size}-") as folder:
            tmp = Path(folder)
            environment = bench.Environment(tmp, database_url(args.database_url, size, tmp))
            try:
                found = prepare(environment, size, args)
                figures = measure_size(environment, found, args)
            except (bench.BenchError, OSError) as error:
                print(f"bench failed at size {size}: {error}", file=sys.stderr)
                return 1
            finally:
                environment.cleanup()
        print_size(size, found, figures, args)
        everything[size] = {"found": found, "figures": figures}
    print(f"\nload average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(everything, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
