"""Rule fixtures: a tiny input, a scan date, parameter overrides and the exact alerts expected.

Files live in tests/rules/fixtures/<CODE>[__<variant>].yaml. Expected alerts are compared with the engine's
output as sets of (subject, severity, period, evidence chain); `computed` values given in the fixture must
match too (numbers within 1e-9), so thresholds such as fences are pinned.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import yaml

from jiandu.analytics.duck import load_rows
from jiandu.analytics.rules.base import AlertRow
from jiandu.analytics.rules.engine import run_rules


def fixture_rule(path: Path) -> str:
    return path.stem.split("__")[0]


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def run_fixture(path: Path) -> tuple[list[AlertRow], dict[str, Any]]:
    doc = load(path)
    code = fixture_rule(path)
    con = duckdb.connect()
    load_rows(con, doc.get("tables") or {})
    as_of = _date(doc["as_of"])
    if as_of is None:
        raise ValueError(f"{path.name}: as_of is required")
    alerts = run_rules(con, as_of=as_of, codes=[code], params={code: doc.get("params") or {}})
    return alerts, doc


def alert_signature(a: AlertRow) -> tuple:
    return (a.subject_type, a.subject_key, a.severity, a.period_start, a.period_end, tuple(a.evidence_pairs))


def expected_signature(e: dict[str, Any]) -> tuple:
    start, end = e["period"]
    return (
        e["subject"]["type"],
        str(e["subject"]["key"]),
        e["severity"],
        _date(start),
        _date(end),
        tuple((t, int(r)) for t, r in e["evidence"]),
    )


def as_expected(a: AlertRow) -> dict[str, Any]:
    """The fixture form of an alert (used to draft fixtures; every draft is checked by hand)."""
    return {
        "subject": {"type": a.subject_type, "key": a.subject_key},
        "severity": a.severity,
        "period": [str(a.period_start), str(a.period_end)],
        "evidence": [[e.table, e.rid] for e in a.evidence],
        "computed": a.computed,
    }


def computed_mismatches(alert: AlertRow, expected: dict[str, Any]) -> list[str]:
    out = []
    for name, want in (expected.get("computed") or {}).items():
        got = alert.computed.get(name)
        if isinstance(want, float) or isinstance(got, float):
            if got is None or want is None or abs(float(got) - float(want)) > 1e-9:
                out.append(f"{name}: {got!r} != {want!r}")
        elif got != want and str(got) != str(want):
            out.append(f"{name}: {got!r} != {want!r}")
    return out


if __name__ == "__main__":  # draft helper: python -m jiandu.analytics.rules.fixtures <fixture.yaml>
    import sys

    found, _ = run_fixture(Path(sys.argv[1]))
    print(yaml.safe_dump([as_expected(a) for a in found], allow_unicode=True, sort_keys=False, width=120))
