"""Compare alerts with a ground-truth file of planted cases (the demo city's truth.jsonl).

Each line: {"rule": "COI-01", "expect": "hit" | "miss", "subject": {"type": "official", "key": "..."},
"records": [{"table": "bids", "key": {...natural key columns...}}], "as_of": "YYYY-MM-DD"}.
A planted case is found when an alert of that rule on that subject cites every one of the case's records
(matched by natural key, which alerts carry next to each evidence `_rid`).

Alerts scanned from the registry carry IDs as keyed hashes (the registry holds no plaintext ID), while a truth
file names people by ID: `hash_id` (the registry's keyed hash) turns the truth's IDs into the same form.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from jiandu.analytics.idcolumns import id_columns
from jiandu.analytics.rules.base import AlertRow


@dataclass
class RuleEvaluation:
    rule: str
    must_hit: int = 0
    found: int = 0
    must_not_hit: int = 0
    wrongly_hit: int = 0
    alerts: int = 0
    noise: int = 0  # alerts that match no planted case
    missed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.found / self.must_hit if self.must_hit else None

    @property
    def precision(self) -> float | None:
        """Precision on planted cases: found hits against found hits plus wrongly hit must-not-hit cases."""
        judged = self.found + self.wrongly_hit
        return self.found / judged if judged else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "recall": self.recall, "precision": self.precision}


def _norm(key: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in key.items() if v is not None}


def _cites(alert: AlertRow, records: list[dict[str, Any]]) -> bool:
    for rec in records:
        want = _norm(rec.get("key") or {})
        if not any(
            e.table == rec["table"] and all(_norm(e.key).get(k) == v for k, v in want.items())
            for e in alert.evidence
        ):
            return False
    return True


def read_truth(path: Path | str) -> list[dict[str, Any]]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _hashed(case: dict[str, Any], hash_id: Callable[[str], str]) -> dict[str, Any]:
    """The case with its official subject and the ID columns of its records' keys in keyed-hash form."""
    subject = dict(case.get("subject") or {})
    if subject.get("type") == "official" and subject.get("key"):
        subject["key"] = hash_id(str(subject["key"]))
    records = []
    for rec in case.get("records") or []:
        ids = id_columns(rec["table"])
        key = {k: hash_id(str(v)) if k in ids and v else v for k, v in (rec.get("key") or {}).items()}
        records.append({**rec, "key": key})
    return {**case, "subject": subject, "records": records}


def evaluate(
    alerts: Iterable[AlertRow],
    truth_jsonl_path: Path | str,
    *,
    as_of: dt.date | None = None,
    hash_id: Callable[[str], str] | None = None,
) -> dict[str, RuleEvaluation]:
    """Per rule: must-hit found/total, must-not-hit wrongly hit, recall, precision, other alerts (noise).

    With `as_of`, only cases planted for that scan date (or without one) are judged; with `hash_id`, the
    truth's IDs are compared in keyed-hash form (alerts scanned from the registry).
    """
    cases = [
        c
        for c in read_truth(truth_jsonl_path)
        if as_of is None or c.get("as_of") in (None, as_of.isoformat())
    ]
    if hash_id is not None:
        cases = [_hashed(c, hash_id) for c in cases]
    by_rule: dict[str, list[AlertRow]] = {}
    for a in alerts:
        by_rule.setdefault(a.rule, []).append(a)
    report: dict[str, RuleEvaluation] = {}
    matched: set[int] = set()
    for case in cases:
        ev = report.setdefault(case["rule"], RuleEvaluation(case["rule"]))
        subject = case.get("subject") or {}
        hits = [
            a
            for a in by_rule.get(case["rule"], [])
            if a.subject_type == subject.get("type")
            and a.subject_key == str(subject.get("key"))
            and _cites(a, case.get("records") or [])
        ]
        matched.update(id(a) for a in hits)
        if case.get("expect", "hit") == "hit":
            ev.must_hit += 1
            if hits:
                ev.found += 1
            else:
                ev.missed.append(case)
        else:
            ev.must_not_hit += 1
            ev.wrongly_hit += 1 if hits else 0
    for rule, rule_alerts in by_rule.items():
        ev = report.setdefault(rule, RuleEvaluation(rule))
        ev.alerts = len(rule_alerts)
        ev.noise = sum(1 for a in rule_alerts if id(a) not in matched)
    return dict(sorted(report.items()))


def format_report(report: dict[str, RuleEvaluation]) -> str:
    """A plain-text table for the command line."""

    def pct(x: float | None) -> str:
        return "—" if x is None else f"{x:.0%}"

    rows = ["rule     found/must  wrong/must-not  recall  precision  alerts  noise"]
    for r in report.values():
        rows.append(
            f"{r.rule:<8} {r.found:>5}/{r.must_hit:<5} {r.wrongly_hit:>6}/{r.must_not_hit:<8} "
            f"{pct(r.recall):>6}  {pct(r.precision):>9}  {r.alerts:>6}  {r.noise:>5}"
        )
    return "\n".join(rows)
