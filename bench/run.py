#!/usr/bin/env python
"""Minutebook's benchmarks: throughput of the pages members use, and the cost of a PDF render.

Prints figures and compares them with targets (PASS/MISS). It is a measurement, not a test: it
exits 0 whatever the figures, and non-zero only when the bench itself could not run.
See bench/README.md for what is measured and how to read it.
"""

import argparse
import http.cookiejar
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
GUNICORN = Path(PYTHON).parent / "gunicorn"

MEETING = "/committees/socitm-futures/2009-11-16/"
PDF = MEETING + "minutes.pdf"
HEALTHZ = "/healthz"
MEMBER, MEMBER_PASSWORD = "member", "minutebook-demo"  # the demo login
MINUTES_SHOWN = 'class="minutes-document"'  # the page holds the minutes, not a log-in prompt

TARGETS = {
    # name: (description, comparison, target)
    "page_vs_trivial": ("minutes page ÷ trivial view", ">=", 0.60),
    "pdf_vs_static": ("PDF download ÷ static file", ">=", 0.80),
    "render_app_vs_floor": ("PDF render: app ÷ WeasyPrint alone", "<=", 1.30),
}

# wrk prints its human summary; this script adds one machine-readable line.
WRK_REPORT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"mean_us":%.1f,"stdev_us":%.1f,"max_us":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.mean, latency.stdev, latency.max, latency:percentile(50),
    latency:percentile(90), latency:percentile(99)))
end
"""


class BenchError(Exception):
    """The bench could not measure what it set out to; the message says why."""


def log(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


# --- Environment -------------------------------------------------------------------------------


class Environment:
    """A throwaway database, media and static folder, and production-like settings."""

    def __init__(self, tmp: Path, database_url: str | None):
        self.tmp = tmp
        self.database_url = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
        self.vendor = "postgresql" if self.database_url.startswith("postgres") else "sqlite"
        self.static_root = tmp / "static"
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(tmp / "media"),
            "STATIC_ROOT": str(self.static_root),
            "STATIC_MANIFEST": "true",
            # Nothing measured sends mail; this keeps a stray one from reaching a server.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
        self.static_root_from_env = False
        self.database_created = False

    def manage(self, *args: str) -> str:
        return run([PYTHON, "manage.py", *args], env=self.env).stdout

    def prepare(self) -> None:
        if self.vendor == "postgresql":
            postgres_database("create", self.database_url)
            self.database_created = True
        # STATIC_ROOT from the environment, if config/settings.py reads it; otherwise a shim that
        # sets only that, so nothing is collected into the working tree.
        shown = self.manage(
            "shell", "-c", "from django.conf import settings as s; print(s.STATIC_ROOT)"
        )
        self.static_root_from_env = Path(shown.strip()) == self.static_root
        if not self.static_root_from_env:
            log(
                "config/settings.py does not read STATIC_ROOT from the environment: "
                "using bench/settings.py"
            )
            self.env |= {
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "BENCH_STATIC_ROOT": str(self.static_root),
            }
        log(f"collectstatic, migrate, load_demo ({self.vendor})")
        self.manage("collectstatic", "--no-input", "-v0")
        self.manage("migrate", "--no-input", "-v0")
        self.manage("load_demo")

    def set_committee_public(self, public: bool) -> None:
        visibility = "PUBLIC" if public else "MEMBERS"
        self.manage(
            "shell",
            "-c",
            "from members.models import Committee; "
            "Committee.objects.filter(slug='socitm-futures')"
            f".update(minutes_visibility=Committee.Visibility.{visibility})",
        )
        # Each process trusts "is it public?" for up to PUBLIC_RECHECK_SECONDS (1 s).
        time.sleep(1.1)

    def static_file_near(self, size: int) -> tuple[str, int]:
        """The collected (hashed) static file closest in size to ``size`` bytes."""
        manifest = json.loads((self.static_root / "staticfiles.json").read_text())["paths"]
        candidates = [
            (abs((self.static_root / hashed).stat().st_size - size), hashed)
            for hashed in manifest.values()
            if (self.static_root / hashed).is_file()
        ]
        if not candidates:
            raise BenchError("No collected static files.")
        _, hashed = min(candidates)
        return "/static/" + hashed, (self.static_root / hashed).stat().st_size

    def cleanup(self) -> None:
        if self.database_created:
            postgres_database("drop", self.database_url)


def postgres_database(action: str, url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        # The bench drops and recreates it: never let that be a real database.
        raise BenchError(f"The bench database's name must contain 'bench', not {name!r}.")
    try:
        connection = psycopg2.connect(
            dbname="postgres",
            user=urllib.parse.unquote(parts.username or "postgres"),
            password=urllib.parse.unquote(parts.password) if parts.password else None,
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            if action == "create":
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection.close()
    except psycopg2.Error as error:
        raise BenchError(f"PostgreSQL: could not {action} {name}: {error}") from error


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise BenchError(f"{' '.join(command[:4])} failed:\n{result.stderr[-3000:]}")
    return result


# --- Server ------------------------------------------------------------------------------------


class Server:
    """gunicorn on a free port of 127.0.0.1, as production would run the app."""

    def __init__(self, environment: Environment, workers: int):
        self.environment = environment
        self.workers = workers
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = environment.tmp / "gunicorn.log"
        self.process = None

    def __enter__(self):
        command = [
            str(GUNICORN),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            "--worker-class=sync",
            "--no-control-socket",  # gunicorn 27 otherwise writes a socket under $HOME
            "--log-level=warning",
            f"--error-logfile={self.log_path}",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.environment.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited; see {self.log_path}:\n{self.log_tail()}")
            try:
                if fetch(self.base + HEALTHZ).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer /healthz within 30 s:\n{self.log_tail()}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text()[-3000:]
        except OSError:
            return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to report, not to follow


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body


def fetch(url: str, cookie: str = "", timeout: float = 10) -> Response:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def log_in(base: str, username: str = MEMBER, password: str = MEMBER_PASSWORD) -> str:
    """A login's cookies as a browser would send them (session and CSRF), the demo member's
    unless told, from the real login form (CSRF token and all)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/accounts/login/", timeout=10) as response:
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if not token:
        raise BenchError("No CSRF token in the login form.")
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    with opener.open(base + "/accounts/login/", data=data, timeout=10):
        pass
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if not session:
        raise BenchError(f"Logging in as {username!r} gave no session cookie.")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def expect(
    base: str,
    path: str,
    *,
    cookie: str = "",
    status: int = 200,
    content_type="",
    text="",
    timeout: float = 10,
) -> Response:
    """Refuse to benchmark a redirect, an error page or the wrong content."""
    response = fetch(base + path, cookie, timeout)
    who = "as the member" if cookie else "anonymously"
    if response.status != status:
        where = response.headers.get("Location", "")
        raise BenchError(f"GET {path} {who}: {response.status} {where}, expected {status}.")
    if content_type and not response.headers.get("Content-Type", "").startswith(content_type):
        raise BenchError(
            f"GET {path} {who}: {response.headers.get('Content-Type')}, expected {content_type}."
        )
    if text and text.encode() not in response.body:
        raise BenchError(f"GET {path} {who}: the page does not contain {text!r}.")
    return response


# --- Load --------------------------------------------------------------------------------------


def wrk(url: str, *, cookie: str, args: argparse.Namespace, script: Path) -> dict:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"--timeout={args.timeout}s",
        "-s",
        str(script),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if args.warmup > 0:
        subprocess.run([*command, f"-d{args.warmup}s", url], capture_output=True, check=True)
    result = subprocess.run(
        [*command, f"-d{args.duration}s", url], capture_output=True, text=True, check=True
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise BenchError(f"wrk printed no summary:\n{result.stdout}\n{result.stderr}")
    raw = json.loads(line.removeprefix("WRKJSON "))
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "mean_ms": raw["mean_us"] / 1000,
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "bytes_per_response": raw["bytes"] / max(raw["requests"], 1),
        "errors": errors,
        "error_detail": {
            k: raw[k] for k in ("connect", "read", "write", "status", "timeout") if raw[k]
        },
    }


def measure_load(environment: Environment, args: argparse.Namespace) -> dict:
    """Each endpoint in turn, for several rounds: drift in the machine's load then falls on all
    endpoints alike, and the spread of the ratios over the rounds shows how steady they are."""
    script = environment.tmp / "report.lua"
    script.write_text(WRK_REPORT)
    rounds = []
    with Server(environment, args.workers) as server:
        base = server.base
        cookie = log_in(base)
        pdf_size = len(expect(base, PDF, cookie=cookie, content_type="application/pdf").body)
        static_path, static_size = args.static_path, None
        if not static_path:
            static_path, static_size = environment.static_file_near(pdf_size)

        def measure(label: str, path: str, cookie: str = "", **checks) -> dict:
            body = expect(base, path, cookie=cookie, **checks).body
            as_ = "member" if cookie else "anonymous"
            log(f"round {len(rounds) + 1}/{args.rounds}: wrk {label} as {as_} ({path})")
            return {"label": label, "path": path, "as": as_, "body_bytes": len(body)} | wrk(
                base + path, cookie=cookie, args=args, script=script
            )

        page = {"content_type": "text/html", "text": MINUTES_SHOWN}
        pdf = {"content_type": "application/pdf"}
        for _ in range(args.rounds):
            results = {
                "trivial": measure("trivial view", HEALTHZ, content_type="text/plain"),
                "static": measure("static file", static_path),
            }
            # Members-only (the demo's setting): the member reads, anonymous is sent to log in.
            environment.set_committee_public(False)
            if MINUTES_SHOWN.encode() in expect(base, MEETING).body:
                raise BenchError(f"{MEETING} shows the minutes to anyone: not members-only.")
            expect(base, PDF, status=302)
            results["page_member"] = measure("minutes page", MEETING, cookie, **page)
            results["pdf_member"] = measure("PDF download", PDF, cookie, **pdf)
            # The same committee made public, in the bench's own database: anyone reads.
            environment.set_committee_public(True)
            results["page_public"] = measure("minutes page", MEETING, **page)
            results["pdf_public"] = measure("PDF download", PDF, **pdf)
            rounds.append(results)

        if any(r["errors"] for results in rounds for r in results.values()):
            log(f"wrk reported errors; gunicorn's log:\n{server.log_tail()}")

    combined = combine_rounds(
        rounds,
        kept=("label", "path", "as", "body_bytes"),
        medians=("rps", "mean_ms", "p50_ms", "p90_ms", "p99_ms", "max_ms"),
    )
    for key, figures in combined.items():
        figures["rounds"] = [results[key] for results in rounds]
    combined["static"]["matched_pdf_size"] = static_size is not None
    return combined


def combine_rounds(rounds: list[dict], *, kept: tuple, medians: tuple) -> dict:
    """Each endpoint's figures over the rounds: ``kept`` as the first round gave them, the
    median of each of ``medians``, and wrk's errors summed."""
    combined = {}
    for key, first in rounds[0].items():
        runs = [results[key] for results in rounds]
        combined[key] = {k: first[k] for k in kept} | {
            k: statistics.median(r[k] for r in runs) for k in medians
        }
        combined[key]["errors"] = sum(r["errors"] for r in runs)
    return combined


# --- Render ------------------------------------------------------------------------------------


def measure_render(environment: Environment, runs: int) -> dict:
    env = environment.env
    html = environment.tmp / "minutes.html"
    run(
        [PYTHON, str(BENCH / "render.py"), "save-html", str(html), str(environment.static_root)],
        env=env,
    )
    floor_command = [
        PYTHON,
        str(BENCH / "render.py"),
        "floor",
        str(html),
        environment.tmp.as_uri() + "/",
    ]
    app_command = [PYTHON, str(BENCH / "render.py"), "app"]
    samples = {"app": [], "floor": []}
    for number in range(runs):
        log(
            f"PDF render {number + 1}/{runs}: the app's way, then WeasyPrint alone "
            "(fresh processes)"
        )
        # Alternate, so drift in the machine's load falls on both sides alike.
        for side, command in (("app", app_command), ("floor", floor_command)):
            samples[side].append(json.loads(run(command, env=env).stdout.strip().splitlines()[-1]))
    summary = {}
    for side, rows in samples.items():
        cold = [r["cold_ms"] for r in rows]
        warm = [r["warm_ms"] for r in rows]
        summary[side] = {
            "cold_median_ms": statistics.median(cold),
            "cold_min_ms": min(cold),
            "warm_median_ms": statistics.median(warm),
            "warm_min_ms": min(warm),
            "peak_rss_mib": statistics.median(r["peak_rss_mib"] for r in rows),
            "rss_after_imports_mib": statistics.median(r["rss_after_imports_mib"] for r in rows),
            "pdf_bytes": rows[-1]["pdf_bytes"],
            "pages": rows[-1]["pages"],
            "runs": rows,
        }
    if summary["app"]["pages"] != summary["floor"]["pages"]:
        log(
            "The app's PDF and the floor's differ in page count: "
            "the floor may be missing its stylesheet."
        )
    summary["libharfbuzz_subset0"] = harfbuzz_subset_installed()
    return summary


def harfbuzz_subset_installed() -> bool | None:
    if not shutil.which("dpkg-query"):
        return None
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", "libharfbuzz-subset0"], capture_output=True, text=True
    )
    return "install ok installed" in result.stdout


# --- Report ------------------------------------------------------------------------------------


def ratios(load: dict | None, render: dict | None) -> dict:
    out = {}  # key: (target, what it was measured on, the figure, its spread)
    if load:
        for who in ("member", "public"):
            for key, name, top, bottom in (
                (f"page_vs_trivial_{who}", "page_vs_trivial", f"page_{who}", "trivial"),
                (f"pdf_vs_static_{who}", "pdf_vs_static", f"pdf_{who}", "static"),
            ):
                # A ratio per round (both measured minutes apart at most); their median.
                per_round = [
                    a["rps"] / b["rps"]
                    for a, b in zip(load[top]["rounds"], load[bottom]["rounds"], strict=True)
                ]
                spread = (min(per_round), max(per_round)) if len(per_round) > 1 else None
                out[key] = (name, who, statistics.median(per_round), spread)
    if render:
        # The median is the figure; the minimum is steadier when the machine is busy.
        for timing in ("cold", "warm"):
            for stat in ("median", "min"):
                field = f"{timing}_{stat}_ms"
                value = render["app"][field] / render["floor"][field]
                out[f"render_app_vs_floor_{timing}_{stat}"] = (
                    "render_app_vs_floor",
                    f"{timing}, {stat}",
                    value,
                    None,
                )
    return {
        key: {"target": name, "on": on, "value": value, "spread": spread}
        | {"met": meets(name, value)}
        for key, (name, on, value, spread) in out.items()
    }


def meets(target: str, value: float) -> bool:
    _, comparison, threshold = TARGETS[target]
    return value >= threshold if comparison == ">=" else value <= threshold


def table(rows: list[list], left: int = 1) -> None:
    """Print rows as columns: the first ``left`` columns aligned left, the rest right."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    for row in cells:
        line = [
            c.ljust(w) if i < left else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  " + "  ".join(line).rstrip())


def print_report(meta: dict, load: dict | None, render: dict | None, ratio: dict) -> None:
    print(f"\nMinutebook bench: {meta['database']}, {meta['cpus']} CPUs, ", end="")
    print(f"load average {meta['loadavg'][0]:.1f} at start, {meta['loadavg_end'][0]:.1f} at end")
    print(
        f"  app {meta['app_version'] or 'unknown version'}; DEBUG=false, STATIC_MANIFEST=true, ",
        end="",
    )
    print(f"settings {meta['settings_module']}")
    if load:
        w = meta["wrk"]
        print(f"\nLoad: wrk -t{w['threads']} -c{w['connections']} -d{w['duration']}s ", end="")
        rounds = f"{w['rounds']} rounds (medians shown)" if w["rounds"] > 1 else "1 round"
        print(f"after {w['warmup']}s warm-up, {rounds}; ", end="")
        print(f"gunicorn, {meta['workers']} sync workers; same machine")
        rows = [
            ["endpoint", "as", "req/s", "mean ms", "p50 ms", "p99 ms", "bytes", "errors", " path"]
        ]
        for r in load.values():
            rows.append(
                [
                    r["label"],
                    r["as"],
                    f"{r['rps']:.0f}",
                    f"{r['mean_ms']:.2f}",
                    f"{r['p50_ms']:.2f}",
                    f"{r['p99_ms']:.2f}",
                    r["body_bytes"],
                    r["errors"],
                    " " + r["path"],
                ]
            )
        table(rows, left=2)
    if render:
        runs = len(render["app"]["runs"])
        print(
            f"\nPDF render of the demo minutes: {runs} fresh processes a side; times exclude ",
            end="",
        )
        print("imports; memory is the process's peak RSS (ru_maxrss)")
        rows = [["", "cold med ms", "min", "warm med ms", "min", "peak MiB", "before MiB", "pages"]]
        for side, label in (
            ("app", "app (build_document + render)"),
            ("floor", "floor (WeasyPrint)"),
        ):
            r = render[side]
            rows.append(
                [
                    label,
                    f"{r['cold_median_ms']:.0f}",
                    f"{r['cold_min_ms']:.0f}",
                    f"{r['warm_median_ms']:.0f}",
                    f"{r['warm_min_ms']:.0f}",
                    f"{r['peak_rss_mib']:.0f}",
                    f"{r['rss_after_imports_mib']:.0f}",
                    r["pages"] or "?",
                ]
            )
        table(rows)
        installed = {True: "installed", False: "NOT installed (WeasyPrint ~2x slower)"}
        print(f"  libharfbuzz-subset0: {installed.get(render['libharfbuzz_subset0'], 'unknown')}")
    if ratio:
        print("\nTargets (in brackets: lowest and highest of the rounds)")
        rows = []
        for r in ratio.values():
            description, comparison, threshold = TARGETS[r["target"]]
            symbol = {">=": "≥", "<=": "≤"}[comparison]
            spread = r["spread"]
            rows.append(
                [
                    f"{description} ({r['on']})",
                    f"{r['value']:.2f}",
                    f"({spread[0]:.2f}–{spread[1]:.2f})" if spread else "",
                    f"target {symbol} {threshold:.2f}",
                    "PASS" if r["met"] else "MISS",
                ]
            )
        table(rows)


def profile(environment: Environment, top: int) -> None:
    """Where the minutes page's and PDF's time goes, in process (cProfile): member, then public."""
    command = [PYTHON, str(BENCH / "profile_page.py"), MEETING, PDF, f"--top={top}"]
    for public in (False, True):
        environment.set_committee_public(public)
        who = "anonymous, public committee" if public else "the member, members-only committee"
        print(f"\nProfile ({who}):")
        print(run(command if public else [*command, "--member"], env=environment.env).stdout)


# --- Main --------------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="PostgreSQL database to create, use and drop (its name must contain 'bench'); "
        "default: a fresh SQLite file",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a fast sanity run: one round of 2 s per endpoint, 2 renders",
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument(
        "--duration",
        type=int,
        help="wrk seconds per endpoint and round (default 5; 2 with --quick)",
    )
    parser.add_argument("--warmup", type=int, help="wrk warm-up seconds, discarded (default 1)")
    parser.add_argument(
        "--rounds", type=int, help="times round all the endpoints (default 3; 1 with --quick)"
    )
    parser.add_argument(
        "--timeout", type=int, default=5, help="wrk request timeout in seconds (default 5)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--static-path",
        help="static URL to compare the PDF with "
        "(default: the collected file nearest the PDF's size)",
    )
    parser.add_argument(
        "--render-runs",
        type=int,
        help="fresh processes per render side (default 5; 2 with --quick)",
    )
    parser.add_argument("--only", choices=("load", "render"), help="measure one part only")
    parser.add_argument(
        "--profile", action="store_true", help="also profile the minutes page view (cProfile)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (and PostgreSQL database)"
    )
    args = parser.parse_args(argv)
    args.duration = args.duration or (2 if args.quick else 5)
    args.warmup = args.warmup if args.warmup is not None else 1
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.render_runs = args.render_runs or (2 if args.quick else 5)
    return args


def app_version() -> str | None:
    """The commit measured, "-dirty" when the working tree has changes."""
    result = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or None


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.only != "render" and not shutil.which("wrk"):
        print("bench: wrk is not installed (apt-get install -y wrk).", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="minutebook-bench-"))
    environment = Environment(tmp, args.database_url)
    meta = {
        "database": environment.vendor,
        "cpus": os.cpu_count(),
        "loadavg": os.getloadavg(),
        "python": platform.python_version(),
        "workers": args.workers,
        "wrk": {
            k: getattr(args, k) for k in ("threads", "connections", "duration", "warmup", "rounds")
        },
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "app_version": app_version(),
    }
    load = render = None
    try:
        environment.prepare()
        meta["settings_module"] = environment.env["DJANGO_SETTINGS_MODULE"]
        meta["static_root_from_env"] = environment.static_root_from_env
        if args.only != "render":
            load = measure_load(environment, args)
        if args.only != "load":
            render = measure_render(environment, args.render_runs)
        meta["loadavg_end"] = os.getloadavg()
        ratio = ratios(load, render)
        print_report(meta, load, render, ratio)
        if args.profile:
            profile(environment, top=25)
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(
                json.dumps(
                    {"meta": meta, "load": load, "render": render, "ratios": ratio}, indent=2
                )
            )
            log(f"figures written to {args.json}")
    except (BenchError, subprocess.CalledProcessError) as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            try:
                environment.cleanup()
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
