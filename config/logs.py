"""Logging: one line per event, each carrying the id of the request it belongs to.

``RequestLogMiddleware`` gives every request an id (the proxy's ``X-Request-ID`` when it sends a
sensible one, else a new one), returns it in the response's ``X-Request-ID`` header, and logs
one line when the response leaves: method, path, status, duration. Every log record made while
the request is handled carries the same id, so an error report and its request line match up.
``LOG_FORMAT=json`` writes each record as one JSON object per line, for log collectors.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

_request_id = contextvars.ContextVar("request_id", default="-")
_SENSIBLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")

request_logger = logging.getLogger("minutebook.request")


class RequestIdFilter(logging.Filter):
    """Stamps every record with the current request's id ("-" outside a request)."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


# Attributes every LogRecord has; anything else was passed in ``extra`` and belongs in the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line: time, level, logger, message, request id, extras."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (key, value if isinstance(value, str | int | float | bool | None) else str(value))
            for key, value in vars(record).items()
            if key not in _STANDARD
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestLogMiddleware:
    """First in the chain: names the request, and logs it once, when it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SENSIBLE_ID.match(offered) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            request_logger.info(
                "%s %s %s %sms",
                request.method,
                request.get_full_path(),
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.get_full_path(),
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            _request_id.reset(token)
