"""The production path: it starts only when it can serve, and /readyz says what is wrong.

Real parts throughout: gunicorn and scripts/serve in subprocesses, a database URL where nothing
listens, a static folder without a manifest, a media folder that cannot be created.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from config.tests.test_settings import PRODUCTION, run_manage

# Asks for a page inside ``manage.py shell``: one fresh process, settings from the environment.
GET = (
    "from django.test import Client; r = Client(HTTP_HOST='minutes.example.org')"
    ".get('{path}', secure=True); print(r.status_code, r.content.decode())"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nothing_listens() -> str:
    """A PostgreSQL URL at a port where no server listens: a stopped database."""
    return f"postgres://postgres@127.0.0.1:{free_port()}/minutebook"


@pytest.fixture
def production(tmp_path):
    """Production settings with an SQLite file, a media folder and a static folder of its own."""
    return {
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "STATIC_MANIFEST": "true",
        "PYTHONUNBUFFERED": "1",
    }


def environ(**env):
    """This environment, without the test suite's settings, plus ``env``."""
    suite = {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "STATIC_MANIFEST", "EMAIL_BACKEND"}
    return {**{k: v for k, v in os.environ.items() if k not in suite}, **env}


def gunicorn(env, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=settings.BASE_DIR,
        env=environ(BIND=f"127.0.0.1:{free_port()}", WEB_CONCURRENCY="1", **env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_without_collectstatic_the_web_server_refuses_to_start_with_one_line(production):
    result = gunicorn(production)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if "Minutebook" in line]
    assert line.startswith("Minutebook cannot start: static: manifest ")
    assert "run `manage.py collectstatic`" in line


def test_with_the_database_stopped_the_web_server_refuses_to_start_with_one_line(production):
    result = gunicorn({**production, "STATIC_MANIFEST": "false", "DATABASE_URL": nothing_listens()})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if "Minutebook" in line]
    assert line.startswith("Minutebook cannot start: database: cannot be reached: ")
    assert "Connection refused" in line


def answer(path, env):
    result = run_manage("shell", "-c", GET.format(path=path), env=env)
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    return int(status), body


def readyz(env):
    status, body = answer("/readyz", env)
    return status, json.loads(body)


def test_readyz_reports_a_stopped_database_while_healthz_still_answers(production):
    stopped = {**production, "DATABASE_URL": nothing_listens(), "STATIC_MANIFEST": "false"}
    status, body = readyz(stopped)
    assert status == 503
    assert body["database"].startswith("cannot be reached: ")
    assert (body["storage"], body["static"]) == ("ok", "ok")
    # Liveness: the process is fine, restarting it would not bring the database back.
    assert answer("/healthz", stopped) == (200, "ok")


def test_readyz_reports_a_missing_static_manifest(production):
    status, body = readyz(production)
    assert status == 503
    assert body["static"].startswith("manifest ")
    assert "run `manage.py collectstatic`, then start the app again" in body["static"]
    assert (body["database"], body["storage"]) == ("ok", "ok")


@pytest.mark.django_db
def test_readyz_reports_storage_that_cannot_hold_files(client, settings, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["storage"].startswith("cannot store files: ")
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_readyz_answers_200_when_all_is_usable_and_leaves_no_file_behind(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "storage": "ok", "static": "ok"}
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def get(url):
    """GET as the https proxy in front of gunicorn would send it on."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)


def test_make_serve_migrates_collects_checks_and_serves_with_a_worker_and_upkeep(production):
    """scripts/serve from nothing: an empty database and no static files, to a ready site."""
    port = free_port()
    env = environ(
        **{
            **production,
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "ALLOWED_HOSTS": "127.0.0.1",
            "BEHIND_HTTPS_PROXY": "true",
            "PYTHON": sys.executable,
        }
    )
    serve = subprocess.Popen(
        ["scripts/serve"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 600  # migrate and collectstatic on a loaded machine
        answer = None
        while time.monotonic() < deadline and serve.poll() is None:
            try:
                answer = get(f"http://127.0.0.1:{port}/readyz")
                break
            except OSError:
                time.sleep(0.5)
        if answer is None:
            # Stop it before reading what it said: its output ends only when it does.
            _stop(serve)
            pytest.fail(f"scripts/serve never answered:\n{serve.communicate(timeout=60)[0]}")
        status, body = answer
        assert status == 200, body
        assert json.loads(body) == {"database": "ok", "storage": "ok", "static": "ok"}
        status, page = get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert "/static/" in page  # hashed static files, from the manifest just collected
    finally:
        _stop(serve)
        output, _ = serve.communicate(timeout=60)
    assert "web.1" in output
    assert "worker.1" in output
    # The upkeep loop beside them, no cron needed: its first pass at once, in one line.
    assert "minutebook.upkeep" in output and "marked 0 meetings held" in output
    assert "Traceback" not in output


def test_with_log_format_json_every_line_gunicorn_and_the_app_write_is_json(production):
    Path(production["STATIC_ROOT"]).mkdir()  # empty: /healthz needs no static files
    port = free_port()
    env = environ(
        **{
            **production,
            "STATIC_MANIFEST": "false",
            "LOG_FORMAT": "json",
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                assert get(f"http://127.0.0.1:{port}/healthz") == (200, "ok")
                break
            except OSError:
                time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=60)
    entries = [json.loads(line) for line in errors.splitlines()]
    assert any(entry["logger"] == "gunicorn.error" for entry in entries)
    [request] = [entry for entry in entries if entry["logger"] == "minutebook.request"]
    assert (request["path"], request["status"]) == ("/healthz", 200)
