"""gunicorn's settings, from the environment: ``gunicorn -c config/gunicorn.py config.wsgi``.

BIND (default 127.0.0.1:8000, behind the proxy), WEB_CONCURRENCY workers (default 2 per CPU
core plus one), GUNICORN_TIMEOUT seconds for one request (default 30), GUNICORN_GRACEFUL_TIMEOUT
for requests in hand at a restart (default 30), GUNICORN_MAX_REQUESTS (default 0: never
recycle a worker).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or 30)
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 0)
max_requests_jitter = max_requests // 10
# Load the app once, in the master, so that a site that cannot serve refuses to start at all
# (config/wsgi.py) rather than its workers failing one by one.
preload_app = True
# The app logs one line per request itself (with its request id); gunicorn's would repeat it.
accesslog = None
errorlog = "-"
# No control socket under the home folder: the service user may not have one.
control_socket_disable = True

# With LOG_FORMAT=json, gunicorn's own lines (start, workers, errors) are JSON like the app's.
if os.environ.get("LOG_FORMAT") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
