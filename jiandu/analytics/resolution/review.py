"""Decisions for petition subjects and name-only companies, and the review queue's pair shape.

Both follow one pattern: a supervisor's 'same' links outright, 'different' removes the candidate, 'unsure'
keeps the mention proposed; otherwise one clear candidate links and several or weak ones are proposed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb

from jiandu.analytics.resolution.companies import unknown_company_entity
from jiandu.analytics.resolution.decisions import DIFFERENT, SAME, UNSURE, Decision, Judgements
from jiandu.analytics.resolution.mentions import existing_tables
from jiandu.analytics.resolution.normalise import stable_hash
from jiandu.analytics.resolution.petitions import PROPOSE_POINTS, PetitionCandidate
from jiandu.analytics.resolution.petitions import decide as decide_petition


@dataclass
class ReviewPair:
    """A pair for the supervisors' review queue, with what each feature contributed."""

    kind: str  # 'person' | 'petition' | 'company'
    left_key: str
    right_key: str
    score: float
    match_weight: float | None
    contributions: dict[str, float]
    verdict: str | None = None


def stored_candidates(con: duckdb.DuckDBPyConnection, kind: str) -> list[tuple]:
    return con.execute(
        """SELECT left_key, right_key, score, match_weight, method, contributions FROM entity_candidates
        WHERE kind = ? ORDER BY left_key, score DESC, right_key""",
        [kind],
    ).fetchall()


def decide_petitions(
    con: duckdb.DuckDBPyConnection, verdicts: Judgements
) -> tuple[list[Decision], list[ReviewPair]]:
    grouped: dict[str, list[PetitionCandidate]] = {}
    for left, right, _score, points, _m, contrib in stored_candidates(con, "petition"):
        grouped.setdefault(left, []).append(PetitionCandidate(left, right[2:], points, json.loads(contrib)))
    for left, _rid in (
        [
            (f"petitions:{rid}:subject_id", rid)
            for (rid,) in con.execute("SELECT _rid FROM petitions WHERE subject_id IS NULL").fetchall()
        ]
        if "petitions" in existing_tables(con)
        else []
    ):
        grouped.setdefault(left, [])
    decisions, review = [], []
    for key, cands in grouped.items():
        cands.sort(key=lambda c: -c.points)
        forced = [c for c in cands if verdicts.verdict(key, f"P:{c.id_number}") == SAME]
        usable = [c for c in cands if verdicts.verdict(key, f"P:{c.id_number}") not in (DIFFERENT, SAME)]
        if forced:
            c = forced[0]
            decisions.append(Decision(key, f"P:{c.id_number}", c.id_number, "judgement", 1.0, "linked"))
            continue
        best, status = decide_petition(usable)
        if best is not None and verdicts.verdict(key, f"P:{best.id_number}") == UNSURE:
            status = "proposed"
        if best is None:
            decisions.append(
                Decision(key, "P:~" + stable_hash("person", key), None, "new_entity", None, "linked")
            )
            continue
        decisions.append(
            Decision(key, f"P:{best.id_number}", best.id_number, "petition", round(best.score, 4), status)
        )
        if status == "proposed":
            review += [
                ReviewPair(
                    "petition",
                    key,
                    f"P:{c.id_number}",
                    round(c.score, 4),
                    c.points,
                    c.contributions,
                    verdicts.verdict(key, f"P:{c.id_number}"),
                )
                for c in usable
                if c.points >= PROPOSE_POINTS
            ]
    return decisions, review


def decide_companies(
    con: duckdb.DuckDBPyConnection, company_rows: list[tuple], verdicts: Judgements
) -> tuple[list[Decision], list[ReviewPair]]:
    grouped: dict[str, list[tuple]] = {}
    for left, right, score, _w, method, contrib in stored_candidates(con, "company"):
        grouped.setdefault(left, []).append((right, score, method, json.loads(contrib)))
    decisions, review = [], []
    for table, rid, fld, raw_name in company_rows:
        key = f"{table}:{rid}:{fld}"
        cands = grouped.get(key, [])
        forced = [c for c in cands if verdicts.verdict(key, c[0]) == SAME]
        usable = [c for c in cands if verdicts.verdict(key, c[0]) not in (DIFFERENT, SAME)]
        if forced:
            decisions.append(Decision(key, forced[0][0], None, "judgement", 1.0, "linked"))
        elif (
            len(usable) == 1
            and usable[0][2] == "company_name"
            and verdicts.verdict(key, usable[0][0]) != UNSURE
        ):
            decisions.append(Decision(key, usable[0][0], None, "company_name", usable[0][1], "linked"))
        elif usable:
            decisions.append(Decision(key, usable[0][0], None, usable[0][2], usable[0][1], "proposed"))
            review += [
                ReviewPair("company", key, c[0], c[1], None, c[3], verdicts.verdict(key, c[0]))
                for c in usable
            ]
        else:
            decisions.append(
                Decision(key, unknown_company_entity(raw_name), None, "new_entity", None, "linked")
            )
    return decisions, review
