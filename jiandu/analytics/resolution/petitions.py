"""Linking a petition's subject ("县住建局王局长") to the official who held that post on the petition date.

Candidate generation is deterministic: the free-text unit is resolved against the unit register (units.py,
with the petition vocabulary of abbreviations), then the positions held at the received date ("held at D",
inclusive) in those units give the candidate officials. Each candidate is scored on three features, each
with a recorded contribution:
- unit: how well the free text matches the unit's registered name (full name or a vocabulary form >
  subsequence abbreviation > a form two units of one region share),
- title: the petition's title (or the title in "王局长") against the position's title parts, through the
  vocabulary's title synonyms (书记 → 党委书记) and principal words (一把手 → the position flagged principal),
- name: full name exact / homophone (pinyin) / one character off, or only the surname when the petition
  names "王某" or "王局长", or no name at all ("住建局一把手").
Only one clear candidate is linked; several plausible ones, or a weak one, are proposed for review.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import duckdb

from jiandu.analytics.resolution.mentions import existing_tables
from jiandu.analytics.resolution.normalise import (
    COMPOUND_SURNAMES,
    fold_name,
    fold_text,
    name_pinyin,
    surname,
)
from jiandu.analytics.resolution.units import UnitIndex
from jiandu.analytics.resolution.vocabulary import Vocabulary, load_vocabulary

_TITLE_SPLIT = re.compile(r"[、,，;；/]+")

# Points per feature (log-odds-like). A linked petition needs an unambiguous name or surname+title+unit.
NAME_POINTS = {
    "exact": 4.0,
    "pinyin": 3.0,
    "one_char": 2.0,
    "surname": 1.5,
    # No name at all ("县住建局一把手"): nobody is contradicted, and the post named decides among the unit's
    # officials (a deputy is "different" then, so the post's holder leads by the title's 3.5 points).
    "absent": 1.0,
    "different": -4.0,
}
TITLE_POINTS = {
    "exact": 2.0,
    "principal": 2.0,  # 一把手 / 主要负责人 … and the position is the unit's principal one
    "deputy": 1.5,  # "王局长" for a 副局长: people address deputies by the post's name
    "contains": 1.0,
    "missing": 0.0,
    "different": -1.5,
}
UNIT_WEIGHT = 2.0
UNIT_DIFFERENT = -1.0  # the petition's unit matched the register, but not this official's unit
_BEST_TITLE = max(TITLE_POINTS.values())
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


def _undeputy(part: str) -> str:
    """常务副县长 → 县长, 县委副书记 → 县委书记: the post a deputy is addressed by ("常务市长" too)."""
    return part.replace("常务", "").replace("副", "")


def compare_title(
    petition_title: str | None,
    position_title: str | None,
    *,
    principal: bool = False,
    addressed: bool = True,
    vocabulary: Vocabulary | None = None,
) -> str:
    """Level of the petition's title against a position: exact / principal / deputy / contains / different.

    `principal`: the position is flagged is_principal (the unit's top leader). `addressed`: the title came
    with a person's name ("王局长"); only then may it mean a deputy, since people address deputies by the
    post's name but a post named without a person ("住建局局长") means its holder.
    """
    vocab = vocabulary or load_vocabulary()
    wanted = fold_text(petition_title)
    if not wanted:
        return "missing"
    if wanted in vocab.principal:
        return "principal" if principal else "different"
    wants = {wanted} | vocab.synonyms.get(wanted, frozenset())
    parts = _title_parts(position_title)
    if wants & set(parts):
        return "exact"
    if addressed and "副" not in wanted:
        addressed_as = wants | {_undeputy(w) for w in wants}
        if any(_undeputy(p) in addressed_as for p in parts if "副" in p):
            return "deputy"
    # "书记" in "党组书记" is the same post; "局长" in "副局长" is not.
    if any(p.endswith(w) and not p.endswith("副" + w) for p in parts for w in wants):
        return "contains"
    return "different"


@dataclass(frozen=True)
class Subject:
    """What the name field says: a full name, only a surname ("王局长", "王某", "老王"), a title, or none."""

    full: str | None = None
    family: str | None = None
    title: str | None = None


def _title_pattern(vocab: Vocabulary) -> re.Pattern[str]:
    words = "|".join(sorted((re.escape(w) for w in vocab.title_words), key=len, reverse=True))
    orgs = "县委|市委|区委|党委|党组|党工委|党支部|党总支|纪委|村委会|村委|委员会|居委会|人大|政协|镇|乡|村|局|办公室"
    return re.compile(rf"(?:常务)?副?(?:{orgs})?(?:常务)?副?(?:{words})$")


_PATTERNS: dict[str, re.Pattern[str]] = {}


def read_subject(text: str | None, vocabulary: Vocabulary | None = None) -> Subject:
    """'王局长' → surname 王, title 局长; '张县委书记' → 张, 县委书记; '王建国局长' → 王建国, 局长;
    '一把手' → title only; '王建国' → full name; '王某' / '老王' → surname."""
    vocab = vocabulary or load_vocabulary()
    name = fold_name(text)
    if not name or not _CJK_NAME.match(name):
        return Subject(full=name) if name else Subject()
    if vocab.fingerprint not in _PATTERNS:
        _PATTERNS[vocab.fingerprint] = _title_pattern(vocab)
    title = None
    m = _PATTERNS[vocab.fingerprint].search(name)
    head = name
    if m is not None:
        head, title = name[: m.start()], m.group(0)
        if not head:
            return Subject(title=title)
    if len(head) == 2 and head[0] in "老小" and title is None:
        return Subject(family=head[1])
    stripped = head.rstrip("某")
    if stripped != head and stripped and (len(stripped) == 1 or stripped in COMPOUND_SURNAMES):
        return Subject(family=stripped, title=title)
    if title is not None:
        if len(head) == 1 or head in COMPOUND_SURNAMES:
            return Subject(family=head, title=title)
        if 2 <= len(head) <= 4:
            return Subject(full=head, title=title)
        return Subject(full=name)  # not a name followed by a title after all
    return Subject(full=name)


_CJK_NAME = re.compile(r"^[\u3400-\u9fff]")


def compare_name(subject: Subject | str | None, official_name: str | None) -> str:
    if not isinstance(subject, Subject):
        subject = read_subject(subject)
    official = fold_name(official_name)
    if subject.full is None and subject.family is None:
        return "absent"
    if subject.full is None:
        return "surname" if official and surname(official) == subject.family else "different"
    name = subject.full
    if not official:
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
    return read_subject(subject_name).title


def petition_candidates(
    con: duckdb.DuckDBPyConnection,
    petitions: list[tuple[int, str, str | None, str | None, dt.date]],
    vocabulary: Vocabulary | None = None,
) -> dict[str, list[PetitionCandidate]]:
    """Scored candidates per petition mention key for rows (_rid, subject_name, unit, title, received)."""
    vocab = vocabulary or load_vocabulary()
    tables = existing_tables(con)
    if not {"units", "positions", "officials"} <= tables:
        return {}
    register = con.execute('SELECT unit_code, name, "level", region_code FROM units').fetchall()
    held = con.execute(
        """SELECT p.unit_code, p.id_number, o.name, p.title, p.start_date, p.end_date,
            coalesce(p.is_principal, false)
        FROM positions p JOIN officials o USING (id_number)"""
    ).fetchall()
    by_unit: dict[str, list[tuple]] = {}
    for row in held:
        by_unit.setdefault(row[0], []).append(row)
    everyone = _NamePool(held)
    units = UnitIndex(register, vocab)
    names: dict[tuple[Subject, str], str] = {}
    titles: dict[tuple[str | None, str | None, bool, bool], str] = {}
    out: dict[str, list[PetitionCandidate]] = {}
    for rid, name, unit_text, title, received in petitions:
        key = f"petitions:{rid}:subject_id"
        subject = read_subject(name, vocab)
        wanted_title = title or subject.title
        named = subject.full is not None or subject.family is not None
        unit_matches = units.match(unit_text)
        scored: dict[str, PetitionCandidate] = {}

        def _name_level(official_name: str, subject: Subject = subject) -> str:
            level = names.get((subject, official_name))
            if level is None:
                level = names[(subject, official_name)] = compare_name(subject, official_name)
            return level

        pools: list[tuple[float | None, list[tuple]]] = [
            (m.quality, by_unit.get(m.unit_code, [])) for m in unit_matches
        ]
        if named:
            # Officials elsewhere whose surname sounds the same are candidates too (without the unit's
            # points): the unit text may be missing, unknown to the register or matched to the wrong unit.
            # When the text named a unit we found, an official elsewhere is counted against (unit:different).
            # Only those who could reach a proposal with the best title are scored: the pool holds thousands.
            quality = None if unit_matches else 0.0
            floor = PROPOSE_POINTS - _unit_points(quality) - _BEST_TITLE
            best = NAME_POINTS["surname"] if subject.full is None else NAME_POINTS["exact"]
            near = everyone.near(subject) if best >= floor else []
            pools.append(
                (quality, [r for n in near if NAME_POINTS[_name_level(n)] >= floor for r in everyone.rows[n]])
            )
        for quality, rows in pools:
            unit_level = "different" if quality is None else ("matched" if quality else "missing")
            unit_points = _unit_points(quality)
            for _unit, id_number, official_name, position_title, start, end, principal in rows:
                if not (start <= received and (end is None or end >= received)):
                    continue
                title_key = (wanted_title, position_title, principal, named)
                title_level = titles.get(title_key)
                if title_level is None:
                    title_level = titles[title_key] = compare_title(
                        wanted_title, position_title, principal=principal, addressed=named, vocabulary=vocab
                    )
                name_level = _name_level(official_name)
                contributions = {
                    f"unit:{unit_level}": unit_points,
                    f"title:{title_level}": TITLE_POINTS[title_level],
                    f"name:{name_level}": NAME_POINTS[name_level],
                }
                points = round(sum(contributions.values()), 6)
                if id_number not in scored or scored[id_number].points < points:
                    scored[id_number] = PetitionCandidate(key, id_number, points, contributions)
        out[key] = sorted(scored.values(), key=lambda c: (-c.points, c.id_number))
    return out


class _NamePool:
    """Officials by name, indexed the way compare_name can match them: the same surname (for "王局长"), the
    same pinyin (homophones) or one character masked (one character off), all among names whose surname
    sounds the same. Scoring only these instead of every namesake-by-sound keeps petitions linear."""

    def __init__(self, held: list[tuple]) -> None:
        self.rows: dict[str, list[tuple]] = {}
        for row in held:
            self.rows.setdefault(row[2], []).append(row)
        self.by_surname: dict[str, list[str]] = {}
        self.by_key: dict[str, list[str]] = {}
        self.sound: dict[str, str] = {}
        for raw in self.rows:
            name = fold_name(raw)
            if not name:
                continue
            self.sound[raw] = _surname_sound(raw)
            self.by_surname.setdefault(surname(name) or "", []).append(raw)
            for key in _near_keys(name):
                self.by_key.setdefault(key, []).append(raw)

    def near(self, subject: Subject) -> list[str]:
        if subject.full is None:
            return self.by_surname.get(subject.family or "", [])
        sound = _surname_sound(subject.full)
        found = {raw for key in _near_keys(subject.full) for raw in self.by_key.get(key, ())}
        return sorted(raw for raw in found if self.sound[raw] == sound)


def _near_keys(name: str) -> list[str]:
    return ["=" + name, "~" + (name_pinyin(name) or "")] + [
        f"{len(name)}:{name[:i]}*{name[i + 1 :]}" for i in range(len(name))
    ]


def _unit_points(quality: float | None) -> float:
    return UNIT_DIFFERENT if quality is None else round(UNIT_WEIGHT * quality, 3)


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
