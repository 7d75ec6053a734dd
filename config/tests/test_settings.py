"""Settings come from the environment, strictly; production refuses unsafe starts."""

import datetime
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.formats import date_format

from config.env import env_bool, env_list

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Tq9vLm2Rz8Kp4Wn6Yb1Hc3Jd5Fg0Sa-production-like-secret-key-for-checks",
    "ALLOWED_HOSTS": "minutes.example.org",
    "SITE_URL": "https://minutes.example.org",
}


def run_manage(*args, env):
    """Run manage.py in a fresh interpreter, so settings are read from ``env`` afresh."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.pop("SECURE_SSL_REDIRECT", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_must_be_true_or_false_not_a_guess():
    result = run_manage("check", env={**PRODUCTION, "DEBUG": "ture"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_development_starts_without_a_secret_key():
    result = run_manage("check", env={"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_in_production_mode():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_site_url_is_left_at_the_development_address():
    production = {k: v for k, v in PRODUCTION.items() if k != "SITE_URL"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production)
    assert result.returncode != 0
    assert "SITE_URL is 'http://127.0.0.1:8000'" in result.stderr


@pytest.mark.parametrize(("debug", "seconds"), [("false", "300"), ("true", "0")])
def test_pages_are_kept_in_production_and_never_while_debugging(debug, seconds):
    """While debugging, an edited template must show at once (config/page_cache.py)."""
    script = "from django.conf import settings; print(settings.PAGE_CACHE_SECONDS)"
    result = run_manage("shell", "-v0", "-c", script, env={**PRODUCTION, "DEBUG": debug})
    assert result.stdout.split()[-1] == seconds, result.stderr


def test_production_cookies_and_transport_are_secure():
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.DEBUG]))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SECURE_")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**clean, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "[true, true, true, true, false]", result.stderr


def test_database_url_selects_postgresql():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": "postgres://minutes@db.example.org:5433/committee",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "committee",
        "db.example.org",
        "5433",
    ], result.stderr


def test_without_database_url_the_database_is_an_embedded_sqlite_file():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    engine, name = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name == str(settings.BASE_DIR / "db.sqlite3")


def lock_wait(database_url: str, **env) -> subprocess.CompletedProcess:
    """How long a write waits for a lock with ``database_url``, as the settings say."""
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "o = s.DATABASES['default']['OPTIONS']; print(o.get('timeout') or o['options'])"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
        | {"DATABASE_URL": database_url, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_write_waits_database_lock_timeout_for_a_lock_on_either_database():
    sqlite = lock_wait("sqlite:////tmp/minutebook.sqlite3", DATABASE_LOCK_TIMEOUT="7")
    postgres = lock_wait("postgres://minutes@db.example.org/committee", DATABASE_LOCK_TIMEOUT="7")

    assert sqlite.stdout.strip() == "7", sqlite.stderr
    assert postgres.stdout.strip() == "-c lock_timeout=7000", postgres.stderr


def test_the_old_sqlite_timeout_variable_is_refused_with_its_new_name():
    result = lock_wait("sqlite:////tmp/minutebook.sqlite3", SQLITE_TIMEOUT="7")

    assert result.returncode != 0
    assert "SQLITE_TIMEOUT is now DATABASE_LOCK_TIMEOUT" in result.stderr


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("False", False), ("1", True)])
def test_booleans_accept_only_clear_values(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_a_boolean_that_is_not_clear_is_an_error(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        env_bool("SOME_FLAG", False)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("HOSTS", "minutes.example.org, www.example.org,")
    assert env_list("HOSTS", []) == ["minutes.example.org", "www.example.org"]


def test_dates_are_written_the_uk_way():
    assert date_format(datetime.date(2009, 11, 16)) == "Monday 16 November 2009"


def test_times_are_london_times_with_summer_time():
    noon_utc = datetime.datetime(2009, 7, 13, 12, 0, tzinfo=datetime.UTC)
    assert timezone.localtime(noon_utc).strftime("%H:%M %Z") == "13:00 BST"


def test_manage_py_in_a_checkout_without_a_secret_key_runs_in_development_mode():
    result = run_manage("check", env={})
    assert result.returncode == 0, result.stderr


def test_the_web_server_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
