"""Reads over alerts, always through the access module."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from jiandu.accounts.access import records_for
from jiandu.accounts.roles import Capability
from jiandu.alerts.models import Alert
from jiandu.alerts.workflow import OPEN_STATUSES
from jiandu.analytics.contract import load_contract
from jiandu.registry.models import REGISTRY
from jiandu.security.masking import mask_text

FILTERS = (
    "group",
    "rule",
    "severity",
    "status",
    "region",
    "unit",
    "subject",
    "date_from",
    "date_to",
    "overdue",
    "all",
)
SORTS = {
    "new": "-id",
    "old": "id",
    "severity": "severity",
    "rule": "rule_code",
    "deadline": "deadline",
    "period": "-period_end",
}
SEVERITY_ORDER = {"红": 0, "橙": 1, "黄": 2}


def alerts_for(user: Any) -> QuerySet[Alert]:
    return records_for(user, Alert.objects.all(), capability=Capability.VIEW_ALERTS)


def alerts_filtered(user: Any, params: dict[str, str], today: dt.date) -> QuerySet[Alert]:
    """The alert list as the filter bar describes it; unknown values simply match nothing."""
    rows = alerts_for(user)
    if params.get("all") != "1":
        rows = rows.filter(supported=True)
    exact = {
        "group": "group",
        "rule": "rule_code",
        "severity": "severity",
        "status": "status",
        "unit": "unit_code",
    }
    for param, field in exact.items():
        if params.get(param):
            rows = rows.filter(**{field: params[param]})
    if params.get("subject"):
        rows = rows.filter(Q(subject_key=params["subject"]) | Q(subject_label__icontains=params["subject"]))
    if params.get("official", "").isdigit():
        official_model: Any = REGISTRY["officials"]
        ids = records_for(user, official_model.objects.filter(pk=int(params["official"]))).values_list(
            "id_number"
        )
        rows = rows.filter(subject_type="official", subject_key__in=ids)
    if params.get("sector"):
        unit_model: Any = REGISTRY["units"]
        codes = unit_model.objects.filter(sector=params["sector"]).values_list("unit_code", flat=True)
        rows = rows.filter(unit_code__in=codes)
    if params.get("region"):
        rows = rows.filter(scope_region__startswith=params["region"])
    if params.get("date_from"):
        rows = rows.filter(period_end__gte=params["date_from"])
    if params.get("date_to"):
        rows = rows.filter(period_start__lte=params["date_to"])
    if params.get("overdue") == "1":
        rows = rows.filter(deadline__lt=today, status__in=["assigned", "verifying", "rectifying"])
    return rows.order_by(SORTS.get(params.get("sort", ""), "-id"), "-id")


def alert_counts_by_rule(user: Any) -> dict[str, int]:
    rows = alerts_for(user).filter(supported=True).values("rule_code").annotate(n=Count("id"))
    return {r["rule_code"]: r["n"] for r in rows}


def open_alerts_for_subject(user: Any, subject_type: str, subject_key: str) -> QuerySet[Alert]:
    return alerts_for(user).filter(
        subject_type=subject_type, subject_key=subject_key, supported=True, status__in=OPEN_STATUSES
    )


def evidence_display(alert: Alert) -> list[dict[str, Any]]:
    """Each evidence record with its table's Chinese name and natural key, in reading order."""
    contract = load_contract()
    out = []
    for item in alert.evidence:
        table = contract.get(item["table"])
        out.append(
            {
                "table": item["table"],
                "table_zh": table.zh if table else item["table"],
                "rid": item["rid"],
                "key": mask_text(" · ".join(str(v) for v in item.get("key", {}).values())),
                "linkable": table is not None,
            }
        )
    return out
