"""Minutebook settings: one module, driven by the environment.

Every variable read here is documented in README.md ("Configuration").
"""

import datetime
import os
import tempfile
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str
from config.storage import default_storage_from_env, download_mode_from_env, signed_url_seconds

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is false. "
            "For local development set DEBUG=true instead."
        )
    SECRET_KEY = "development-only-key-never-used-in-production-6f7d36d0e5340759"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Address used in links inside emails (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "django_tasks",
    # Before django_tasks_db, so that its db_worker command is the one that survives a busy
    # database (config/management/commands/db_worker.py).
    "config",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "members",
    "meetings",
    "minutes",
    "outbox",
    "upkeep",
]

MIDDLEWARE = [
    # First: names every request and logs it once, when it is answered.
    "config.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise and the public PDF middleware, so that what they answer carries these
    # headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public minutes' PDFs for anonymous readers, served like static files.
    "minutes.public_reads.PublicPdfMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "members.middleware.LoginRedirectMiddleware",
    # A view that met a busy database answers 503 with what was sent, not 500 (config/busy.py).
    "config.busy.BusyDatabaseMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# An embedded SQLite file unless DATABASE_URL says otherwise (postgres://user@host:port/name).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Seconds a write waits for a lock another transaction holds before it gives up; the request
# is then answered "busy, nothing saved, try again" (503, config/busy.py) rather than left to
# wait. Under gunicorn's timeout, so a waiting request is answered, not killed.
if env_str("SQLITE_TIMEOUT"):
    raise ImproperlyConfigured("SQLITE_TIMEOUT is now DATABASE_LOCK_TIMEOUT (for any database).")
DATABASE_LOCK_TIMEOUT = env_int("DATABASE_LOCK_TIMEOUT", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite takes one writer at a time. A transaction that starts as a reader and then
    # writes fails at once ("database is locked") if another writer got in first, so every
    # transaction takes the write lock when it begins (IMMEDIATE), and a writer that finds
    # the database busy waits up to DATABASE_LOCK_TIMEOUT seconds for its turn.
    # WAL lets readers carry on while someone writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": DATABASE_LOCK_TIMEOUT,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
    # Tests run on a file, as the app does: threads in a test then meet SQLite's real
    # locking, not an in-memory database's. One file per test process, in the system's
    # temporary folder, so no two runs share one and no killed run leaves one in the way.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"minutebook-test-{os.getpid()}.sqlite3")
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL would wait for a row or table lock for ever.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (
        f"{options.get('options', '')} -c lock_timeout={DATABASE_LOCK_TIMEOUT * 1000}".strip()
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"

# Password guessing: after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES (django-axes). Locking the pair,
# not the address, means one guesser cannot lock a whole council office (one NAT address)
# out, nor lock a member out from everywhere. The address is REMOTE_ADDR: behind a proxy that
# is the proxy's, and the lockout is then in effect per username.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "members.lockout.locked_out"
# Not its version banner on every manage.py command.
AXES_VERBOSE = False
# How long a member's invitation link works (a password-reset link: PASSWORD_RESET_TIMEOUT).
INVITATION_DAYS = env_int("INVITATION_DAYS", 14)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# UK English, London time, dates written out: "Monday 16 November 2009".
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English (United Kingdom)")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Stored files (published PDFs) live in the default storage: MEDIA_ROOT on this server's
# disk, or an S3-compatible bucket that every app server shares (STORAGE_URL=s3://…; see
# config/storage.py). It has no public URL: every file is served through a view that checks
# who is asking, and then streams it or redirects to a URL signed for a few seconds.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": default_storage_from_env(),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
STORAGE_DOWNLOADS = download_mode_from_env(STORAGES["default"])
STORAGE_SIGNED_URL_SECONDS = signed_url_seconds()

# The longest a page is kept for a reader (0: never kept); a change made through the app
# retires kept pages at once, one made outside it (psql) after this long. Off when debugging,
# where an edited template must show at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 300)
# Larger pages are made again each time rather than kept.
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_BYTES", 512 * 1024)

# Per-process memory cache: it holds rendered published minutes, which never
# change, so nothing needs invalidating and a restart simply renders them again.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 2000)},
    },
    # Pages kept for each signed-in reader until the record changes (config/page_cache.py),
    # also per process: the mark that retires them is in the database.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 500)},
    },
}

# How long a process may trust its answer to "are these minutes public, and which
# version is current?" before asking the database again (see minutes/public_reads.py).
PUBLIC_RECHECK_SECONDS = env_int("PUBLIC_RECHECK_SECONDS", 1)

# Background work (emails, PDFs) goes through Django's Tasks API: the django-tasks backport
# on Django 5.2 (on Django 6, the same code imports django.tasks instead). Tasks are rows in
# this same database, so one enqueued inside a service's transaction exists only if that
# transaction commits; `manage.py db_worker` runs them (README, "Background tasks").
# Named queues catch a misspelt queue at enqueue time.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "email", "pdf"],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the console in development, SMTP otherwise.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Minutebook <minutes@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The file backend writes each email into this folder.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or str(BASE_DIR / "sent-email")
# Emails to members are sent by the task worker (outbox/): a failed send is tried again
# after EMAIL_RETRY_SECONDS, then twice as long each time, up to EMAIL_MAX_ATTEMPTS attempts.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 6)
EMAIL_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 120)
# Upkeep (manage.py run_upkeep, beside the web server): seconds between passes, and how old an
# orphaned stored file must be before it is removed (younger ones may be being written now).
UPKEEP_INTERVAL_SECONDS = env_int("UPKEEP_INTERVAL_SECONDS", 300)
ORPHANED_FILE_GRACE_SECONDS = env_int("ORPHANED_FILE_GRACE_SECONDS", 86400)
if UPKEEP_INTERVAL_SECONDS < 1 or ORPHANED_FILE_GRACE_SECONDS < 3600:
    raise ImproperlyConfigured(
        "UPKEEP_INTERVAL_SECONDS must be at least 1 and ORPHANED_FILE_GRACE_SECONDS at least "
        "3600 (an hour: a file being written must never look orphaned)."
    )
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")

# Security. Production defaults are strict; each can be relaxed from the
# environment (the test suite serves plain http on localhost, for instance).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers probe liveness and readiness over plain http, from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Content-Security-Policy (django-csp 4): the site's own files only. No inline scripts or
# styles anywhere, the admin included (templates use classes and static files; htmx's own
# indicator <style> is switched off by its meta tag). img-src allows data: for the icons
# Bootstrap's stylesheet embeds.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of Minutebook uses, switched off (Permissions-Policy header).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logging: one line per event, on stderr, each with its request's id (config/logs.py);
# LOG_FORMAT=json for log collectors. Django's own request and runserver lines would repeat
# the request line, so only their errors are kept. Errors go to ADMINS by email in production.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "config.logs.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's defaults, which print to a console of their own as well as the root's.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.request": {"level": "ERROR"},
        "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
        # django-axes logs every login at INFO ("Deleted 0 failed login attempts"); lockouts
        # are warnings and still show.
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every refused fetch; one line each is enough.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# Error reports by email: ADMINS="Ann Smith <ann@example.org>, ops@example.org".
ADMINS = [
    (name or address, address) for name, address in getaddresses([env_str("ADMINS")]) if address
]

# Error reports to Sentry too, when SENTRY_DSN is set (no personal data is sent).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        send_default_pii=False,
    )


# The open-data API (/api/v1/): read-only JSON. Who may read what is decided by the
# same querysets as the pages, so every request may come in; members-only data needs
# a login (session) or a member's token ("Authorization: Token …").
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a wrong token is a 401 that says which scheme to use.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Minutebook open data",
    "DESCRIPTION": "Committees, meetings and their published minutes, read-only. Field "
    "names follow the Open Civic Data event model where it has one.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the app's own static files: no third-party address in the page.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
