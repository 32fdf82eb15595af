"""The commission's dashboard: every number is a count of a list the reader can open.

Counts come from grouped queries over the alerts the reader may open (jurisdiction, then need-to-know: an
alert under verification counts only for its handling circle) and the deliveries of the reader's jurisdiction; the heat table is
counties × sectors of the unit each alert concerns.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncMonth

from jiandu.accounts.access import records_for
from jiandu.accounts.roles import Capability
from jiandu.alerts.models import DEADLINE_STATUSES, OPEN_STATUSES, Alert
from jiandu.alerts.selectors import alerts_for
from jiandu.analytics.contract import load_contract
from jiandu.portraits.official import officials_for, risk_score
from jiandu.registry.models import REGISTRY
from jiandu.sources.models import Delivery

R: dict[str, Any] = REGISTRY
# The columns risk_score reads (alert_points): loading fewer would cost one query per alert.
SCORED = ("fingerprint", "rule_code", "severity", "subject_type", "subject_key", "period_start", "period_end")


def dashboard(user: Any, today: dt.date) -> dict[str, Any]:
    alerts = alerts_for(user).filter(supported=True)
    by_group: dict[str, dict[str, int]] = defaultdict(dict)
    for group, severity, n in alerts.values_list("group", "severity").annotate(n=Count("id")):
        by_group[group][severity] = n
    status_labels = dict(Alert.Status.choices)
    by_status = [
        {"status": status, "n": n, "label": status_labels.get(status, status)}
        for status, n in alerts.values_list("status").annotate(n=Count("id")).order_by("status")
    ]
    by_month = [
        {"month": r["m"].strftime("%Y-%m"), "n": r["n"]}
        for r in alerts.exclude(period_end=None)
        .annotate(m=TruncMonth("period_end"))
        .values("m")
        .annotate(n=Count("id"))
        .order_by("m")
        if r["m"]
    ]
    overdue = alerts.filter(deadline__lt=today, status__in=DEADLINE_STATUSES).count()
    return {
        "by_group": dict(by_group),
        "by_status": by_status,
        "by_month": by_month[-36:],
        "overdue": overdue,
        "heat": _heat(user, alerts),
        "top_officials": _top(user, alerts, "official", today),
        "top_units": _top_units(user, alerts, today),
        "freshness": _freshness(user),
    }


def _heat(user: Any, alerts: Any) -> dict[str, Any]:
    units = dict(records_for(user, R["units"].objects.all()).values_list("unit_code", "sector"))
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for region, unit_code, n in (
        alerts.exclude(unit_code="").values_list("scope_region", "unit_code").annotate(n=Count("id"))
    ):
        cells[(region or "—", units.get(unit_code) or "其他")] += n
    regions = sorted({r for r, _ in cells})
    sectors = sorted({s for _, s in cells})
    top = max(cells.values(), default=0)
    rows = []
    for region in regions:
        row = []
        for sector in sectors:
            n = cells.get((region, sector), 0)
            level = 0 if not n or not top else min(4, 1 + int(3 * n / top))
            row.append({"sector": sector, "n": n, "level": level})
        rows.append({"region": region, "cells": row})
    return {"sectors": sectors, "rows": rows}


def _top(user: Any, alerts: Any, subject_type: str, today: dt.date, limit: int = 10) -> list[dict[str, Any]]:
    grouped: dict[str, list[Alert]] = defaultdict(list)
    for alert in alerts.filter(subject_type=subject_type, status__in=OPEN_STATUSES).only(
        *SCORED, "subject_label"
    ):
        grouped[alert.subject_key].append(alert)
    # linked only when the reader may open the portrait (jurisdiction and the investigation shield)
    pks = dict(
        officials_for(user).filter(id_number_hash__in=list(grouped)).values_list("id_number_hash", "pk")
    )
    scored = []
    for key, items in grouped.items():
        score = risk_score(items, today)
        if score:
            scored.append(
                {
                    "pk": pks.get(key),
                    "label": items[0].subject_label or "—",
                    "score": score["value"],
                    "n": len(items),
                }
            )
    return sorted(scored, key=lambda s: -s["score"])[:limit]


def _top_units(user: Any, alerts: Any, today: dt.date, limit: int = 10) -> list[dict[str, Any]]:
    grouped: dict[str, list[Alert]] = defaultdict(list)
    for alert in alerts.exclude(unit_code="").filter(status__in=OPEN_STATUSES).only(*SCORED, "unit_code"):
        grouped[alert.unit_code].append(alert)
    units = records_for(user, R["units"].objects.filter(unit_code__in=list(grouped)))
    names = dict(units.values_list("unit_code", "name"))
    scored = []
    for code, items in grouped.items():
        score = risk_score(items, today)
        if score:
            scored.append(
                {"key": code, "label": names.get(code, code), "score": score["value"], "n": len(items)}
            )
    return sorted(scored, key=lambda s: -s["score"])[:limit]


def _freshness(user: Any) -> list[dict[str, Any]]:
    """Last delivery per contract table, with rows and rejects, for the deliveries the reader may see."""
    deliveries = records_for(user, Delivery.objects.all(), capability=Capability.VIEW_DELIVERIES)
    stats = {
        r["table_name"]: r
        for r in deliveries.filter(status="done")
        .values("table_name")
        .annotate(last=Max("finished_at"), rows=Sum("total_rows"), rejected=Sum("rejected"), n=Count("id"))
    }
    out = []
    for name, table in load_contract().items():
        s: dict[str, Any] = dict(stats.get(name, {}))
        out.append(
            {
                "table": name,
                "zh": table.zh,
                "source": table.source,
                "last": s.get("last"),
                "rows": s.get("rows") or 0,
                "rejected": s.get("rejected") or 0,
                "deliveries": s.get("n") or 0,
            }
        )
    return out
