"""Linking a petition's subject ("县住建局王局长") to the official who held that post on the petition date.

Candidate generation is deterministic: the free-text unit is resolved against the unit register (see units.py),
then the positions held at the received date ("held at D", inclusive) in those units give the candidate
officials. Each candidate is scored on three features, each with a recorded contribution:
- unit: how well the free text matches the unit's registered name (exact > abbreviation > renamed body),
- title: the petition's title (or the title in "王局长") against the position's title parts,
- name: full name exact / homophone (pinyin) / one character off, or only the surname when the petition
  names "王某" or "王局长".
Only one clear candidate is linked; several plausible ones, or a weak one, are proposed for review.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import duckdb

from jiandu.analytics.resolution.mentions import existing_tables
from jiandu.analytics.resolution.normalise import fold_name, fold_text, name_pinyin, surname, surname_only
from jiandu.analytics.resolution.units import match_units

_TITLE_SPLIT = re.compile(r"[、,，;；/]+")

# Points per feature (log-odds-like). A linked petition needs an unambiguous name or surname+title+unit.
NAME_POINTS = {"exact": 4.0, "pinyin": 3.0, "one_char": 2.0, "surname": 1.5, "different": -4.0}
TITLE_POINTS = {"exact": 2.0, "contains": 1.0, "missing": 0.0, "different": -1.5}
UNIT_WEIGHT = 2.0
UNIT_DIFFERENT = -1.0  # the petition's unit matched the register, but not this official's unit
LINK_POINTS = 5.0
PROPOSE_POINTS = 3.0  # below this a candidate is not worth a supervisor's time
MARGIN_POINTS = 2.0


@dataclass
class PetitionCandidate:
    petition_key: str
    id_number: str
    points: float
    contributions: dict[str, float] = field(default_factory=dict)

    @property
    def score(self) -> float:
        """Points mapped to 0–1 (logistic, centred on the link threshold) for the entity_links score."""
        return 1.0 / (1.0 + math.exp(-(self.points - LINK_POINTS + 2.0)))


def _title_parts(title: str | None) -> list[str]:
    folded = fold_text(title) or ""
    return [p for p in _TITLE_SPLIT.split(folded) if p]


def compare_title(petition_title: str | None, position_title: str | None) -> str:
    wanted = fold_text(petition_title)
    if not wanted:
        return "missing"
    parts = _title_parts(position_title)
    if wanted in parts:
        return "exact"
    # "书记" in "党组书记" is the same post; "局长" in "副局长" is not.
    if any(p.endswith(wanted) and not p.endswith("副" + wanted) for p in parts):
        return "contains"
    return "different"


def compare_name(subject_name: str | None, official_name: str | None) -> str:
    official = fold_name(official_name)
    family = surname_only(subject_name)
    if family is not None:
        return "surname" if official and surname(official) == family else "different"
    name = fold_name(subject_name)
    if not name or not official:
        return "different"
    if name == official:
        return "exact"
    if name_pinyin(name) == name_pinyin(official):
        return "pinyin"
    if len(name) == len(official) and sum(a != b for a, b in zip(name, official, strict=True)) == 1:
        return "one_char"
    return "different"


def title_from_name(subject_name: str | None) -> str | None:
    """ "王局长" carries its title in the name field: "局长"."""
    family = surname_only(subject_name)
    name = fold_name(subject_name) or ""
    if family is None:
        return None
    rest = name[len(family) :]
    return None if rest.startswith("某") or not rest else rest


def petition_candidates(
    con: duckdb.DuckDBPyConnection, petitions: list[tuple[int, str, str | None, str | None, dt.date]]
) -> dict[str, list[PetitionCandidate]]:
    """Scored candidates per petition mention key for rows (_rid, subject_name, unit, title, received)."""
    tables = existing_tables(con)
    if not {"units", "positions", "officials"} <= tables:
        return {}
    register = con.execute('SELECT unit_code, name, "level", region_code FROM units').fetchall()
    held = con.execute(
        """SELECT p.unit_code, p.id_number, o.name, p.title, p.start_date, p.end_date
        FROM positions p JOIN officials o USING (id_number)"""
    ).fetchall()
    by_unit: dict[str, list[tuple]] = {}
    by_surname_sound: dict[str, list[tuple]] = {}
    for row in held:
        by_unit.setdefault(row[0], []).append(row)
        by_surname_sound.setdefault(_surname_sound(row[2]), []).append(row)
    unit_cache: dict[str, list] = {}
    out: dict[str, list[PetitionCandidate]] = {}
    for rid, name, unit_text, title, received in petitions:
        key = f"petitions:{rid}:subject_id"
        wanted_title = title or title_from_name(name)
        if unit_text and unit_text not in unit_cache:
            unit_cache[unit_text] = match_units(unit_text, register)
        unit_matches = unit_cache[unit_text] if unit_text else []
        scored: dict[str, PetitionCandidate] = {}
        pools: list[tuple[float | None, list[tuple]]] = [
            (m.quality, by_unit.get(m.unit_code, [])) for m in unit_matches
        ]
        # Officials elsewhere whose surname sounds the same are candidates too (without the unit's points):
        # the unit text may be missing, unknown to the register or matched to the wrong unit.
        family = surname_only(name) or surname(fold_name(name))
        # When the text named a unit we found, an official elsewhere is counted against (unit:different).
        pools.append((None if unit_matches else 0.0, by_surname_sound.get(_surname_sound(family), [])))
        for quality, rows in pools:
            for _unit, id_number, official_name, position_title, start, end in rows:
                if not (start <= received and (end is None or end >= received)):
                    continue
                name_level = compare_name(name, official_name)
                title_level = compare_title(wanted_title, position_title)
                unit_level = "different" if quality is None else ("matched" if quality else "missing")
                unit_points = UNIT_DIFFERENT if quality is None else round(UNIT_WEIGHT * quality, 3)
                contributions = {
                    f"unit:{unit_level}": unit_points,
                    f"title:{title_level}": TITLE_POINTS[title_level],
                    f"name:{name_level}": NAME_POINTS[name_level],
                }
                points = sum(contributions.values())
                if id_number not in scored or scored[id_number].points < points:
                    scored[id_number] = PetitionCandidate(key, id_number, points, contributions)
        out[key] = sorted(scored.values(), key=lambda c: -c.points)
    return out


def _surname_sound(name: str | None) -> str:
    """Pinyin of the surname (汪 and 王 sound alike), the index of the name-only candidate search."""
    folded = fold_name(name)
    family = surname(folded) if folded else None
    return name_pinyin(family) or "" if family else ""


def petition_rows(
    con: duckdb.DuckDBPyConnection, rids: list[int] | None
) -> list[tuple[int, str, str | None, str | None, dt.date]]:
    """Petitions without a subject_id (of the given rows, or all)."""
    if "petitions" not in existing_tables(con):
        return []
    where = "" if rids is None else f" AND _rid IN (SELECT unnest({sorted(set(rids))}::BIGINT[]))"
    return con.execute(
        f"""SELECT _rid, subject_name, subject_unit, subject_title, received FROM petitions
        WHERE subject_id IS NULL{where} ORDER BY _rid"""
    ).fetchall()


def decide(candidates: list[PetitionCandidate]) -> tuple[PetitionCandidate | None, str]:
    """(candidate, status): one clear candidate → 'linked'; several or weak → best 'proposed'; none → None."""
    plausible = [c for c in candidates if c.points >= PROPOSE_POINTS]
    if not plausible:
        return None, "none"
    best = plausible[0]
    runner_up = plausible[1].points if len(plausible) > 1 else -math.inf
    if best.points >= LINK_POINTS and best.points - runner_up >= MARGIN_POINTS:
        return best, "linked"
    return best, "proposed"
