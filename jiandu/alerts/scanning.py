"""Scans: run the rule catalogue over the registry and reconcile the alerts it raises.

Reconciliation is by fingerprint. A still-supported alert keeps its workflow and history (only its last scan
moves); an alert the scan no longer supports is marked as such with when and why — never deleted, since a
supervisor may already be verifying it; a new fingerprint becomes a new alert in 待分派.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import duckdb
from django.db import transaction
from django.utils import timezone

from jiandu.alerts.models import Alert, Scan
from jiandu.analytics.rules.base import AlertRow
from jiandu.analytics.rules.engine import RuleParameterError, rules_by_code, run_rules, validate_overrides
from jiandu.jobs.recovery import Throttle, job_claim
from jiandu.registry.bridge import registry_to_duckdb
from jiandu.registry.interface_tables import interface_tables_load, interface_tables_require
from jiandu.registry.models import REGISTRY

ProgressFn = Callable[[str, int, int], None]

# Which column of an evidence table names the unit concerned (for filters and the unit page).
UNIT_COLUMNS = {
    "units": "unit_code",
    "positions": "unit_code",
    "tenders": "buyer_code",
    "contracts": "buyer_code",
    "payments": "payer_code",
    "decisions": "unit_code",
    "audit_findings": "unit_code",
    "inspection_findings": "unit_code",
}
LABEL_SOURCES = {
    "official": ("officials", "id_number_hash", "name"),  # an official's subject_key is the ID's keyed hash
    "unit": ("units", "unit_code", "name"),
    "company": ("companies", "uscc", "name"),
    "tender": ("tenders", "tender_no", "title"),
    "petition": ("petitions", "petition_no", "subject_name"),
}


def load_analytics(con: duckdb.DuckDBPyConnection, progress: ProgressFn | None = None) -> None:
    """Fill `con` with the registry and the interface tables other areas contribute (entity links, leads,
    currencies). Raises `InterfaceTableMissing` (Chinese message) when an area's loader is not registered: a
    scan without one of them would raise fewer alerts and say nothing."""
    interface_tables_require()  # before the long registry load
    registry_to_duckdb(con, progress=progress)
    interface_tables_load(con)


def _record_facts(alerts: list[AlertRow]) -> dict[tuple[str, int], dict[str, str]]:
    """scope_region and unit code of every evidence record, fetched per table in one query each."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for alert in alerts:
        for ev in alert.evidence:
            if ev.table in REGISTRY:
                wanted[ev.table].add(ev.rid)
    facts: dict[tuple[str, int], dict[str, str]] = {}
    for table, rids in wanted.items():
        model: Any = REGISTRY[table]
        fields = ["id", "scope_region"] + ([UNIT_COLUMNS[table]] if table in UNIT_COLUMNS else [])
        ids = sorted(rids)
        for start in range(0, len(ids), 900):
            for row in model.objects.filter(id__in=ids[start : start + 900]).values_list(*fields):
                facts[(table, row[0])] = {"scope": row[1] or "", "unit": row[2] if len(row) > 2 else ""}
    return facts


def _labels(alerts: list[AlertRow]) -> dict[tuple[str, str], str]:
    keys: dict[str, set[str]] = defaultdict(set)
    for alert in alerts:
        if alert.subject_key and alert.subject_type in LABEL_SOURCES:
            keys[alert.subject_type].add(alert.subject_key)
    labels: dict[tuple[str, str], str] = {}
    for subject_type, values in keys.items():
        table, key, label = LABEL_SOURCES[subject_type]
        model: Any = REGISTRY[table]
        ordered = sorted(values)
        for start in range(0, len(ordered), 900):
            for k, name in model.objects.filter(**{f"{key}__in": ordered[start : start + 900]}).values_list(
                key, label
            ):
                labels[(subject_type, k)] = name
    return labels


def _placement(alert: AlertRow, facts: dict[tuple[str, int], dict[str, str]]) -> tuple[str, str]:
    """(scope_region, unit_code) of an alert: those of the first evidence records that have them."""
    scope = unit = ""
    for ev in alert.evidence:
        fact = facts.get((ev.table, ev.rid))
        if not fact:
            continue
        scope = scope or fact["scope"]
        unit = unit or fact["unit"]
    if alert.subject_type == "unit" and alert.subject_key:
        unit = alert.subject_key
    return scope, unit


def _evidence_json(alert: AlertRow) -> list[dict[str, Any]]:
    return [{"table": e.table, "rid": e.rid, "key": e.key} for e in alert.evidence]


@transaction.atomic
def alerts_reconcile(*, scan: Scan, found: list[AlertRow], codes: Iterable[str] | None) -> dict[str, int]:
    """Store the scan's alerts: keep, mark unsupported, or add. Returns counts."""
    facts = _record_facts(found)
    labels = _labels(found)
    by_fp = {a.fingerprint: a for a in found}
    scanned_rules = set(codes) if codes is not None else set(rules_by_code())
    existing = {a.fingerprint: a for a in Alert.objects.filter(fingerprint__in=list(by_fp))}
    now = timezone.now()
    new, kept = [], []
    for fp, row in by_fp.items():
        scope, unit = _placement(row, facts)
        values = {
            "rule_version": row.version,
            "severity": row.severity,
            "period_start": row.period_start,
            "period_end": row.period_end,
            "params": row.params,
            "computed": row.computed,
            "evidence": _evidence_json(row),
            "scope_region": scope,
            "unit_code": unit or "",
            "subject_label": labels.get((row.subject_type, row.subject_key or ""), ""),
            "supported": True,
            "unsupported_at": None,
            "unsupported_reason": "",
            "last_scan": scan,
        }
        if fp in existing:
            alert = existing[fp]
            for name, value in values.items():
                setattr(alert, name, value)
            kept.append(alert)
        else:
            new.append(
                Alert(
                    fingerprint=fp,
                    rule_code=row.rule,
                    title=row.title,
                    group=row.rule.split("-")[0],
                    subject_type=row.subject_type,
                    subject_key=row.subject_key or "",
                    first_scan=scan,
                    **values,
                )
            )
    Alert.objects.bulk_create(new, batch_size=500)
    if kept:
        Alert.objects.bulk_update(kept, [*values.keys()], batch_size=500)
    dropped = (
        Alert.objects.filter(rule_code__in=scanned_rules, supported=True)
        .exclude(fingerprint__in=list(by_fp))
        .update(
            supported=False,
            unsupported_at=now,
            unsupported_reason=f"第 {scan.pk} 次扫描（基准日 {scan.as_of}）时不再满足规则条件",
            last_scan=scan,
        )
    )
    return {"new": len(new), "kept": len(kept), "unsupported": dropped}


def scan_run(
    *,
    as_of: dt.date,
    codes: list[str] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    user: Any = None,
    progress: ProgressFn | None = None,
) -> Scan:
    """Load the registry into DuckDB, run the rules, reconcile alerts; returns the finished Scan.

    The Scan is recorded as running before any work, with this process as its worker and its progress
    (phase, rules run) written as it goes, so the scan page shows it and a scan whose process died is marked
    failed by recovery (jiandu/jobs). Alerts and the scan's final status are written in one transaction.
    """
    # Refused before anything is recorded: a mistyped parameter, an area's missing interface-table loader.
    validate_overrides(params, codes)
    interface_tables_require()
    scan = Scan.objects.create(
        as_of=as_of,
        rules=codes or [],
        params=params or {},
        started_by=user if user and user.pk else None,
        status=Scan.Status.RUNNING,
        phase=Scan.Phase.LOADING,
        steps_total=len(codes) if codes is not None else len(rules_by_code()),
        **job_claim(),
    )
    throttle = Throttle(1.0)

    def rule_done(code: str, done: int, total: int) -> None:
        if throttle.due() or done == total:
            _scan_set(scan, steps_done=done, steps_total=total)
        if progress is not None:
            progress(code, done, total)

    try:
        con = duckdb.connect()
        try:
            load_analytics(con)
            _scan_set(scan, phase=Scan.Phase.RULES)
            timings: dict[str, float] = {}
            found = run_rules(
                con, as_of=as_of, codes=codes, params=params, progress=rule_done, timings=timings
            )
        finally:
            con.close()
        _scan_set(scan, phase=Scan.Phase.STORING)
        with transaction.atomic():
            counts = alerts_reconcile(scan=scan, found=found, codes=codes)
            per_rule: dict[str, int] = defaultdict(int)
            for row in found:
                per_rule[row.rule] += 1
            scan.summary = {
                "counts": counts,
                "per_rule": dict(per_rule),
                "seconds": {k: round(v, 3) for k, v in timings.items()},
            }
            scan.status, scan.phase, scan.finished_at = Scan.Status.DONE, "", timezone.now()
            scan.save(update_fields=["summary", "status", "phase", "finished_at"])
    except Exception as exc:
        reason = str(exc) if isinstance(exc, RuleParameterError) else "扫描时发生内部错误，预警未改变"
        Scan.objects.filter(pk=scan.pk).update(
            status=Scan.Status.FAILED, phase="", finished_at=timezone.now(), message=reason
        )
        raise
    return scan


def _scan_set(scan: Scan, **fields: Any) -> None:
    fields["heartbeat_at"] = timezone.now()
    for name, value in fields.items():
        setattr(scan, name, value)
    Scan.objects.filter(pk=scan.pk).update(**fields)
