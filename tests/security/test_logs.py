"""Structured logs: one JSON object per line, with the request id; a line per request."""

import json
import logging
from typing import Any

import pytest
from django.test import Client

from aiom.core.context import reset_request_id, set_request_id
from aiom.core.logs import JsonFormatter, TextFormatter


def _record(message: str = "hello %s", *args: object, **extra: Any) -> logging.LogRecord:
    record = logging.LogRecord("aiom.test", logging.WARNING, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


def test_json_lines_carry_time_level_logger_message_and_request_id() -> None:
    token = set_request_id("req-12345678")
    try:
        line = JsonFormatter().format(_record("hello %s", "world", custom=3))
    finally:
        reset_request_id(token)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "aiom.test"
    assert entry["message"] == "hello world"
    assert entry["request_id"] == "req-12345678"
    assert entry["custom"] == 3
    assert entry["time"].endswith("+00:00")


def test_exceptions_stay_on_one_line() -> None:
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        import sys

        record = _record("failed")
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert len(line.splitlines()) == 1
    assert "ValueError: boom" in json.loads(line)["exc_info"]


def test_text_format_has_the_request_id() -> None:
    formatter = TextFormatter("%(levelname)s [%(request_id)s] %(message)s")
    token = set_request_id("req-abcdefgh")
    try:
        assert formatter.format(_record("hi")) == "WARNING [req-abcdefgh] hi"
    finally:
        reset_request_id(token)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured() -> Any:
    handler = _Capture()
    logger = logging.getLogger("aiom.request")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(old)


def test_every_request_writes_one_request_line(client: Client, db: Any, captured: Any) -> None:
    response = client.get("/healthz?secret=do-not-log", headers={"X-Request-ID": "probe-0001"})
    assert response["X-Request-ID"] == "probe-0001"
    client.get("/no-such-page/")
    entries = [json.loads(line) for line in captured]
    assert len(entries) == 2
    first, second = entries
    assert first["request_id"] == "probe-0001"
    assert (first["method"], first["path"], first["status"]) == ("GET", "/healthz", 200)
    assert isinstance(first["duration_ms"], float)
    assert first["logger"] == "aiom.request"
    assert "do-not-log" not in captured[0]
    assert second["status"] == 404
    assert len(second["request_id"]) == 32  # a fresh id when none is sent


def test_the_settings_choose_json_unless_debug(settings: Any) -> None:
    assert settings.AIOM_LOG_FORMAT == "json"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"


def test_django_request_warnings_carry_the_request_id(client: Client, db: Any) -> None:
    handler = _Capture()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no-such-page/", headers={"X-Request-ID": "probe-0404"})
    finally:
        logger.removeHandler(handler)
    entry = json.loads(handler.lines[-1])
    assert entry["request_id"] == "probe-0404"
    assert entry["request"] == "GET /no-such-page/"
    assert entry["status_code"] == 404
