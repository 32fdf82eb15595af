"""Rule declarations and alert rows: the data half of every red-flag rule.

A rule is a declaration (code, Chinese title, group, severity, parameters, why it is a red flag, exclusions,
version) plus one set-based SQL query in DuckDB dialect that sqlglot can transpile to Spark SQL
(see docs/decisions/0001-rules-engine.md). The query returns one row per alert with these columns:

- `subject_type` ('official' | 'unit' | 'company' | 'tender', PET-03 may fall back to 'petition'),
- `subject_key` (id_number, unit_code, uscc, tender_no or petition_no),
- `period_start`, `period_end` (DATE),
- `severity` ('红' | '橙' | '黄', after grade adjustments),
- `evidence`: a list of structs {t: table, r: _rid} in reading order (NULL rids are dropped afterwards),
- optionally `computed`: a struct of the measured values and thresholds that produced the hit.

`$name` placeholders in the SQL are replaced by validated parameter values and `$as_of` by the scan date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

GROUPS = {
    "COI": "利益冲突",
    "PRC": "招投标",
    "DEC": "三重一大",
    "PET": "信访举报",
    "RCT": "整改",
    "AST": "财产",
    "CND": "履职行为",
}


@dataclass(frozen=True)
class Param:
    """A configurable rule parameter; `kind` is int or float (money, ratios), `default` None = unset."""

    name: str
    default: int | float | None
    zh: str
    kind: type = int


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: str  # the base grade as listed in the catalogue, e.g. "红 if principal, else 橙"
    method: str  # how the query decides, in plain words (rendered into the doc page)
    why: str  # why this is a red flag (Chinese, user-facing)
    sql: str
    params: tuple[Param, ...] = ()
    exclusions: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()  # how ambiguities of rules.md were decided
    notes: tuple[str, ...] = ()  # what a reader of its alerts should know, e.g. the background it raises
    ocp: str | None = None
    version: int = 1

    @property
    def group(self) -> str:
        return self.code.split("-")[0]

    @property
    def group_zh(self) -> str:
        return GROUPS[self.group]

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict[str, int | float | None]:
        return {p.name: p.default for p in self.params}


@dataclass(frozen=True)
class Evidence:
    """One source record of an alert's evidence chain: the table, its registry row id, its natural key."""

    table: str
    rid: int
    key: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass
class AlertRow:
    rule: str
    version: int
    title: str
    severity: str
    subject_type: str
    subject_key: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    evidence: list[Evidence]
    params: dict[str, Any]
    computed: dict[str, Any]
    fingerprint: str = ""

    @property
    def evidence_pairs(self) -> list[tuple[str, int]]:
        return [(e.table, e.rid) for e in self.evidence]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO text) for storing an alert or handing it to another process."""
        return {
            "rule": self.rule,
            "version": self.version,
            "title": self.title,
            "severity": self.severity,
            "subject": {"type": self.subject_type, "key": self.subject_key},
            "period": {
                "start": self.period_start.isoformat() if self.period_start else None,
                "end": self.period_end.isoformat() if self.period_end else None,
            },
            "params": dict(self.params),
            "computed": dict(self.computed),
            "evidence": [{"table": e.table, "rid": e.rid, "key": dict(e.key)} for e in self.evidence],
            "fingerprint": self.fingerprint,
        }
