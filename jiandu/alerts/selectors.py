"""Reads over alerts, always through the access module.

Need-to-know: from 已分派 on, an alert is being verified by the office it was assigned to, and only that office
(and the people its leader adds) may read it — until it is 已销号. An alert handed over to the lead register
(转为问题线索) follows its lead: whoever may read the lead may read the alert it came from; the office that
verified it keeps it too. A pending alert (待分派) and a closed one (已销号) are the jurisdiction's, as before.
Whether the rule still holds (`supported`) does not change this: a verification already under way is not
made public because a re-scan no longer finds the pattern.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from jiandu.accounts.access import access_record, need_to_know, record_for, records_for, records_listed
from jiandu.accounts.models import NeedToKnowGrant
from jiandu.accounts.roles import Capability
from jiandu.alerts.models import DEADLINE_STATUSES, Alert
from jiandu.analytics.contract import load_contract
from jiandu.analytics.idcolumns import is_id_hash
from jiandu.registry.ids import masked_for_hashes
from jiandu.registry.models import REGISTRY
from jiandu.security.idnumbers import id_hash
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


S = Alert.Status
# Being verified by the office it was assigned to (an "active matter" for the official it is about).
UNDER_VERIFICATION = (S.ASSIGNED, S.VERIFYING, S.REPORTED, S.RECTIFYING)


def restricted() -> Q:
    """Alerts only the handling circle may read: under verification, or handed over to a lead."""
    return Q(status__in=[*UNDER_VERIFICATION, S.TO_LEAD])


# "Whoever may read the lead may read the alert it came from": the lead register sits above alerts, so it tells
# alerts which of its leads a user may read through this hook (filled in LeadsConfig.ready). Without it the
# handed-over alerts would fall back to the handling office alone, silently: refused instead (check jiandu.E013).
LeadsReadable = Callable[[Any], QuerySet[Any]]
LEADS_MISSING = "问题线索登记（jiandu.leads）未安装：已转为问题线索的预警无法判断谁可查阅。"
_leads_readable: list[LeadsReadable] = []


def leads_readable_register(provider: LeadsReadable) -> None:
    """`provider(user)` is the queryset of leads `user` may read; each lead has an `alert_id`."""
    _leads_readable[:] = [provider]


@checks.register()
def leads_readable_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if _leads_readable:
        return []
    return [checks.Error(LEADS_MISSING, hint="确认 INSTALLED_APPS 含 jiandu.leads。", id="jiandu.E013")]


def _need_to_know(capability: str) -> Any:
    def build(user: Any) -> Q:
        acting = capability == Capability.HANDLE_ALERTS
        allowed = need_to_know(
            user,
            kind=NeedToKnowGrant.Kind.ALERT,
            restricted=restricted(),
            office_field="office_id",
            handle_capability=Capability.HANDLE_ALERTS,
            grants=not acting,
        )
        if acting:
            return allowed
        if not _leads_readable:
            raise ImproperlyConfigured(LEADS_MISSING)
        its_lead = _leads_readable[0](user).filter(alert_id=OuterRef("pk"))
        return allowed | Q(Q(status=S.TO_LEAD) & Q(Exists(its_lead)))

    return build


def alerts_for(user: Any, capability: str = Capability.VIEW_ALERTS) -> QuerySet[Alert]:
    """Alerts the user may read (or, with HANDLE_ALERTS, act on): jurisdiction, then need-to-know.

    Acting needs the handling office (or an alert nobody handles yet): a grant lets a person read, not act."""
    return records_for(
        user, Alert.objects.all(), capability=capability, need_to_know=_need_to_know(capability)
    )


def alert_for(user: Any, pk: Any, capability: str = Capability.VIEW_ALERTS) -> Alert:
    """One alert, or AccessRefused (404) — outside the jurisdiction and outside the circle look the same."""
    return record_for(
        user, Alert.objects.all(), pk, capability=capability, need_to_know=_need_to_know(capability)
    )


def access_alert(request: HttpRequest, pk: Any, capability: str = Capability.VIEW_ALERTS) -> Alert:
    """One alert for a page: `alert_for` (404), then recusal (403)."""
    return access_record(
        request, Alert.objects.all(), pk, capability=capability, need_to_know=_need_to_know(capability)
    )


def may_act(user: Any, alert: Alert) -> bool:
    return bool(alerts_for(user, Capability.HANDLE_ALERTS).filter(pk=alert.pk).exists())


def under_verification() -> QuerySet[Alert]:
    """Every alert now being verified (no user: the set the portrait shield checks against)."""
    return Alert.objects.filter(status__in=UNDER_VERIFICATION)


def alerts_filtered(user: Any, params: dict[str, str], today: dt.date) -> QuerySet[Alert]:
    """The alert list (and its export) as the filter bar describes it; unknown values simply match nothing.
    A subject the user must recuse themselves from is not listed (access.records_listed)."""
    rows = records_listed(user, alerts_for(user))
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
        subject = params["subject"].strip()
        rows = rows.filter(
            Q(subject_key=subject) | Q(subject_key=id_hash(subject)) | Q(subject_label__icontains=subject)
        )
    if params.get("official", "").isdigit():
        official_model: Any = REGISTRY["officials"]
        ids = records_for(user, official_model.objects.filter(pk=int(params["official"]))).values_list(
            "id_number_hash"
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
        rows = rows.filter(deadline__lt=today, status__in=DEADLINE_STATUSES)
    return rows.order_by(SORTS.get(params.get("sort", ""), "-id"), "-id")


def alert_counts_by_rule(user: Any) -> dict[str, int]:
    rows = alerts_for(user).filter(supported=True).values("rule_code").annotate(n=Count("id"))
    return {r["rule_code"]: r["n"] for r in rows}


def subjects_shown(alerts: list[Alert]) -> dict[str, str]:
    """subject_key → what pages and spreadsheets show: an official's key is the keyed hash of the ID, shown
    as the masked ID; other keys (unit codes, tender numbers) as they are."""
    hashes = [a.subject_key for a in alerts if a.subject_type == "official" and is_id_hash(a.subject_key)]
    masked = masked_for_hashes(hashes)
    return {
        a.subject_key: masked.get(a.subject_key, "") if a.subject_key in hashes else a.subject_key
        for a in alerts
    }


def evidence_display(alert: Alert) -> list[dict[str, Any]]:
    """Each evidence record with its table's Chinese name and natural key (IDs masked), in reading order."""
    contract = load_contract()
    hashes = [v for item in alert.evidence for v in item.get("key", {}).values() if is_id_hash(v)]
    masked = masked_for_hashes(hashes)
    out = []
    for item in alert.evidence:
        table = contract.get(item["table"])
        values = [masked.get(v, "") if is_id_hash(v) else v for v in item.get("key", {}).values()]
        out.append(
            {
                "table": item["table"],
                "table_zh": table.zh if table else item["table"],
                "rid": item["rid"],
                "key": mask_text(" · ".join(str(v) for v in values)),
                "linkable": table is not None,
            }
        )
    return out
