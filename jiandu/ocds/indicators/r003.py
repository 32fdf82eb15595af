"""R003 — Short submission period (投标期过短; platform rule PRC-03).

Method: for each contracting process, the submission period is ``/tender/tenderPeriod/endDate −
/tender/tenderPeriod/startDate`` in whole days (truncated toward zero; both dates must be RFC 3339 date-times with
a time zone, as Cardinal parses them). The process is flagged (value 1.0) if the period is shorter than the
threshold.

Why a red flag: a corrupt buyer can favour a pre-determined bidder, told of the opportunity in advance, by giving
the others too little time to prepare competitive bids.

Settings (``[R003]``): ``threshold`` (whole days, default 15); ``procurement_methods`` (pipe-separated
``/tender/procurementMethod`` values; when set, only those methods are tested); ``[R003.procurement_method_details]``
maps a ``/tender/procurementMethodDetails`` value to its own threshold (e.g. the legal minimum of that method).

Exclusions: processes without both dates, or whose dates are not RFC 3339; the global exclusions.
"""

from __future__ import annotations

import datetime as dt
import re

from jiandu.ocds.indicators.base import Context, Results, rows
from jiandu.ocds.settings import pipe_set

CODE = "R003"

_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def rfc3339(value: str | None) -> dt.datetime | None:
    """A timezone-aware datetime for an RFC 3339 string, else None (dates without time or zone are refused)."""
    if value is None:
        return None
    match = _RFC3339.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or ".0")[1:].ljust(6, "0")[:6])
    if zone in ("Z", "z"):
        tz = dt.UTC
    else:
        sign = 1 if zone[0] == "+" else -1
        tz = dt.timezone(sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    try:
        second_int = min(int(second), 59)  # a leap second reads as :59, as chrono keeps it within the minute
        return dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), second_int, micro, tzinfo=tz
        )
    except ValueError:
        return None


def whole_days(start: dt.datetime, end: dt.datetime) -> int:
    """Whole days between two instants, truncated toward zero (chrono's ``num_days``)."""
    micro = (end - start) // dt.timedelta(microseconds=1)
    days = abs(micro) // 86_400_000_000
    return days if micro >= 0 else -days


def compute(ctx: Context, results: Results) -> None:
    threshold = ctx.settings.get_int(CODE, "threshold", 15)
    methods = pipe_set(ctx.settings.get_str(CODE, "procurement_methods"))
    by_details = ctx.settings.r003_procurement_method_details
    candidates = rows(
        ctx.con,
        """SELECT ocid, procurement_method, procurement_method_details, tender_start, tender_end
           FROM releases WHERE has_tender ORDER BY seq""",
    )
    for ocid, method, details, start_text, end_text in candidates:
        if methods and method not in methods:
            continue
        start, end = rfc3339(start_text), rfc3339(end_text)
        if start is None or end is None:
            continue
        limit = by_details.get(details, threshold) if details is not None else threshold
        if whole_days(start, end) < limit:
            results.set("OCID", ocid, CODE, 1.0)
