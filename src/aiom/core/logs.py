"""Log formatting: one JSON object per line (the default without DEBUG), or readable text.

Every line carries the request id of the web request, API call or CLI run that wrote it
(`aiom.core.context`), so a log line can be matched with the audit events of the same
request. The request log line (`aiom.request`, written by RequestIdMiddleware) adds
method, path, status and duration_ms. Loaded by LOGGING before the apps: no models here.
"""

import datetime as dt
import json
import logging
from typing import Any

from aiom.core.context import current_request_id

# Attributes every LogRecord has; anything else was passed through `extra=` and is kept.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


def _request_id(record: logging.LogRecord) -> str:
    """The record's own, else its request's (django.request logs after the middleware)."""
    explicit = getattr(record, "request_id", None)
    from_request = getattr(getattr(record, "request", None), "aiom_request_id", None)
    return str(explicit or from_request or current_request_id())


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, request_id, then any `extra=` fields, then exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id(record),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):  # django.request's extra
            entry["request"] = f"{request.method} {request.path}"
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The standard formatter, with %(request_id)s available to the format string."""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id(record)
        return super().format(record)
