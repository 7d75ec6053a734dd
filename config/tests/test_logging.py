"""Logs: quiet commands, one line per event, one line per request with its id, JSON on request,
and error reports to the site's admins."""

import gzip
import http.server
import json
import logging
import threading

import brotli
import pytest
from django.core import mail
from django.test import RequestFactory

from config.tests.test_settings import run_manage

# Asks Django's test client for a page inside ``manage.py shell``, as a request from outside would.
GET_HEALTHZ = (
    "from django.test import Client; Client(HTTP_HOST='localhost', "
    "HTTP_X_REQUEST_ID='proxy-42').get('/healthz')"
)


def test_manage_py_commands_print_nothing_on_stderr():
    result = run_manage("check", env={"DEBUG": "true"})
    assert result.returncode == 0
    assert result.stderr == ""


def test_in_development_a_logged_event_is_printed_once():
    probe = "import logging; logging.getLogger('django.security.csrf').warning('probe-7c1e')"
    result = run_manage("shell", "-c", probe, env={"DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("probe-7c1e") == 1, result.stderr


def test_each_request_is_one_log_line_with_the_proxy_s_request_id():
    result = run_manage("shell", "-c", GET_HEALTHZ, env={"DEBUG": "true"})
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "[proxy-42]" in lines[0]
    assert "GET /healthz 200" in lines[0]


def test_with_log_format_json_each_line_is_a_json_object():
    result = run_manage("shell", "-c", GET_HEALTHZ, env={"DEBUG": "true", "LOG_FORMAT": "json"})
    [line] = result.stderr.splitlines()
    entry = json.loads(line)
    assert entry["logger"] == "minutebook.request"
    assert entry["level"] == "INFO"
    assert entry["request_id"] == "proxy-42"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/healthz", 200)
    assert entry["duration_ms"] >= 0


def test_an_unknown_log_format_stops_the_app_at_start_up():
    result = run_manage("check", env={"DEBUG": "true", "LOG_FORMAT": "xml"})
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json" in result.stderr


def test_admins_are_read_from_the_environment():
    show = "from django.conf import settings; print(settings.ADMINS)"
    admins = "Ann Smith <ann@example.org>, ops@example.org"
    result = run_manage("shell", "-c", show, env={"DEBUG": "true", "ADMINS": admins})
    assert result.stdout.strip().splitlines()[-1] == (
        "[('Ann Smith', 'ann@example.org'), ('ops@example.org', 'ops@example.org')]"
    )


@pytest.mark.parametrize(
    ("offered", "kept"), [("abc-123", True), ("", False), ("bad id\nwith a newline", False)]
)
def test_every_response_carries_its_request_id(client, offered, kept):
    response = client.get("/healthz", headers={"X-Request-ID": offered} if offered else {})
    request_id = response["X-Request-ID"]
    assert (request_id == offered) is kept
    assert len(request_id) >= 7


def test_a_server_error_is_emailed_to_the_admins(settings):
    settings.ADMINS = [("Ops", "ops@example.org")]
    request = RequestFactory().get("/broken/")
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: /broken/",
            exc_info=True,
            extra={"status_code": 500, "request": request},
        )
    [report] = mail.outbox
    assert report.to == ["ops@example.org"]
    assert "Internal Server Error: /broken/" in report.subject
    assert "the database went away" in report.body


class SentryIngest(http.server.BaseHTTPRequestHandler):
    """Stands in for sentry.io: keeps every envelope the SDK posts."""

    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        self.received.append((self.path, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_with_sentry_dsn_set_errors_are_reported_to_sentry():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SentryIngest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_port}/42"
        report = (
            "import logging, sentry_sdk; "
            "logging.getLogger('minutes.pdf').error('PDF failed: sentry-probe-91'); "
            "sentry_sdk.flush(timeout=10)"
        )
        result = run_manage("shell", "-c", report, env={"DEBUG": "true", "SENTRY_DSN": dsn})
        assert result.returncode == 0, result.stderr
    finally:
        server.shutdown()
        server.server_close()
    [(path, envelope)] = SentryIngest.received
    assert path == "/api/42/envelope/"
    assert b"sentry-probe-91" in envelope
