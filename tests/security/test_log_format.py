"""JSON-lines application log: CR/LF and other control characters cannot forge a second line."""

from __future__ import annotations

import json
import logging

import pytest

from jiandu.security.logformat import JsonLineFormatter


@pytest.mark.parametrize(
    "payload", ["/registry/x\r\nINFO forged admin login", "a\nb\x1b[31mred\u2028c", "正常路径"]
)
def test_each_record_is_exactly_one_json_line(payload):
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (payload,), None
    )
    line = JsonLineFormatter().format(record)
    assert "\n" not in line and "\r" not in line and len(line.splitlines()) == 1
    parsed = json.loads(line)
    assert parsed["message"] == f"Not Found: {payload}" and parsed["level"] == "WARNING"


def test_exceptions_stay_inside_the_line():
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = JsonLineFormatter().format(record)
    assert "\n" not in line and "boom" in json.loads(line)["exception"]
