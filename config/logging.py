"""Logs as one JSON object per line, for log collectors; never a query string or a body.

Query strings can carry what a person searched for (a ZIP, a treatment) and request
bodies can carry health information, so neither reaches a log: Django's request logger
names only the path, gunicorn's access log is built from the path atom (`%(U)s`), and
the development server's request line loses its query string here.
"""

import json
import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime

QUERY_STRING_RE = re.compile(r"\?[^\s\"]*")

# gunicorn access-log atoms worth a field of their own (never `r`, `q`, `h`, `a` or `f`:
# request line with query string, query string, client address, user agent, referrer).
GUNICORN_ACCESS_FIELDS = {"m": "method", "U": "path", "s": "status", "B": "bytes", "M": "duration_ms"}


def strip_query_strings(text: str) -> str:
    return QUERY_STRING_RE.sub("", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            for atom, field in GUNICORN_ACCESS_FIELDS.items():
                entry[field] = record.args.get(atom)
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = request.path
        if hasattr(record, "status_code"):
            entry["status"] = record.status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class StripQueryStringFilter(logging.Filter):
    """The development server logs the raw request line: drop its query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(strip_query_strings(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


def logging_config(*, level: str, json_format: bool) -> dict:
    """The LOGGING setting: everything to stderr, as JSON lines or plain text."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "config.logging.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        },
        "filters": {"strip_query_strings": {"()": "config.logging.StripQueryStringFilter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json" if json_format else "text"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Request bodies and query strings can carry health data: never log them.
            "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
            # SQL parameters carry inquiry text: never log queries, even at DEBUG.
            "django.db.backends": {"level": "INFO"},
            "django.server": {
                "handlers": ["console"],
                "level": "INFO",
                "filters": ["strip_query_strings"],
                "propagate": False,
            },
        },
    }
