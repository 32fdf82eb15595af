"""Risk scores of officials and units from their open alerts (rules.md "Scoring").

score = Σ weight(severity) × 0.5 ^ (age / half_life), age = days from the alert period's end to the scan
date (0 when the period ends on or after it). A reader opens a score and sees every contributing alert.
Which alerts are open is the workflow's business: pass only those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

DEFAULT_WEIGHTS = {"红": 10.0, "橙": 5.0, "黄": 2.0}


class ScorableAlert(Protocol):
    rule: str
    severity: str
    subject_type: str
    subject_key: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    fingerprint: str


@dataclass(frozen=True)
class Contribution:
    fingerprint: str
    rule: str
    severity: str
    age_days: int
    weight: float
    decay: float
    points: float


@dataclass
class SubjectScore:
    subject_type: str
    subject_key: str
    score: float = 0.0
    contributions: list[Contribution] = field(default_factory=list)


def alert_points(
    alert: ScorableAlert, *, as_of: dt.date, weights: dict[str, float], half_life_days: float
) -> Contribution:
    end = alert.period_end or alert.period_start or as_of
    age = max(0, (as_of - end).days)
    weight = weights.get(alert.severity, 0.0)
    decay = 0.5 ** (age / half_life_days)
    return Contribution(alert.fingerprint, alert.rule, alert.severity, age, weight, decay, weight * decay)


def score_subjects(
    alerts: Iterable[ScorableAlert],
    *,
    as_of: dt.date,
    weights: dict[str, float] | None = None,
    half_life_days: float = 365.0,
    subject_types: tuple[str, ...] = ("official", "unit"),
) -> list[SubjectScore]:
    """Scores per subject, highest first; each carries its contributing alerts, largest first."""
    if half_life_days <= 0:
        raise ValueError("半衰期必须为正数")
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    scores: dict[tuple[str, str], SubjectScore] = {}
    for alert in alerts:
        if alert.subject_type not in subject_types or alert.subject_key is None:
            continue
        key = (alert.subject_type, alert.subject_key)
        s = scores.setdefault(key, SubjectScore(*key))
        c = alert_points(alert, as_of=as_of, weights=w, half_life_days=half_life_days)
        s.contributions.append(c)
        s.score += c.points
    for s in scores.values():
        s.contributions.sort(key=lambda c: (-c.points, c.rule, c.fingerprint))
    return sorted(scores.values(), key=lambda s: (-s.score, s.subject_type, s.subject_key))


VERDICTS = ("confirmed", "false_positive", "not_actionable")


def observed_precision(verdicts: Iterable[tuple[str, str]]) -> dict[str, float | None]:
    """Per rule: confirmed / (confirmed + false positives); 'not actionable' verdicts do not count either way."""
    counts: dict[str, list[int]] = {}
    for rule, verdict in verdicts:
        if verdict not in VERDICTS:
            raise ValueError(f"未知的核实结论：{verdict}")
        c = counts.setdefault(rule, [0, 0])
        if verdict == "confirmed":
            c[0] += 1
        elif verdict == "false_positive":
            c[1] += 1
    return {rule: (ok / (ok + bad) if ok + bad else None) for rule, (ok, bad) in sorted(counts.items())}
