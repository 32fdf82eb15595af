"""Turning typed cell values (XLSX cells, JSON values) into the strings the validator expects.

The validator reads every format as strings, so a number or a date cell must come out in a form the
contract accepts: whole floats without ".0" (an Excel serial date 45123.0 → "45123"), other floats with
Excel's 15 significant digits (so a computed 0.30000000000000004 is "0.3"), dates as YYYY-MM-DD.
"""

from __future__ import annotations

import datetime as dt
import json


def cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(t for t in (cell_text(v) for v in value) if t is not None)
    return json.dumps(value, ensure_ascii=False)
