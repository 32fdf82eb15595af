"""Free-text unit names ("县住建局") resolved against the unit register ("某某县住房和城乡建设局").

First the petition vocabulary (petition_vocabulary.yaml, vocabulary.py): every registered unit gets the short
forms people write for it — the standard abbreviation of its body (住房和城乡建设局 → 住建局, 市场监督管理局 →
市监局 / 市场监管局, old names of merged bodies such as 国土局) with and without the place words in front
(住建局, 县住建局, 清河县住建局, 清河住建局) — and a text that is one of them matches with the confidence of the
full name. A form that two units of one region share (城管局 for both a 城市管理局 and a 城市管理综合执法局 of the
same county) matches both with a lower quality, so the unit alone never decides between them.

Texts the vocabulary does not know fall back to character subsequence matching, which keeps the head and the
type character (住建局 ⊂ 住房和城乡建设局), after an optional region prefix (县, 市, a place name) that also
narrows the level; these matches are weaker than the vocabulary's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jiandu.analytics.resolution.normalise import fold_text
from jiandu.analytics.resolution.vocabulary import BodyForms, Vocabulary, load_vocabulary

_LEVEL_WORDS = {"市": "市", "县": "县", "区": "县", "镇": "乡", "乡": "乡", "街道": "乡"}
# A leading place name: up to 6 characters ending in a level word, e.g. "清河县", "东城区", "城关镇".
_PLACE_PREFIX = re.compile(r"^([\u3400-\u9fff]{1,6}?(?:自治县|街道|县|市|区|镇|乡))")
_TYPE_CHARS = "局委办院所站队部厅会中心校馆社司府处室组"
# A place standing for its own government or committee: "东岭镇" → 东岭镇人民政府, "下湾村" → 下湾村民委员会.
_PLACE_ENDINGS = ("镇", "乡", "村", "社区", "街道")


@dataclass(frozen=True)
class UnitMatch:
    unit_code: str
    name: str
    quality: float  # 1.0 = exact or a vocabulary form, lower = looser abbreviation
    how: str  # 'exact' | 'vocabulary' | 'ambiguous' | 'abbreviation' | 'place'


def is_subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(c in it for c in short)


def _span(short: str, full: str) -> int:
    """Length of the tightest window of `full` that contains `short` as a subsequence (smaller = closer)."""
    best = len(full) + 1
    for start, ch in enumerate(full):
        if ch != short[0]:
            continue
        pos = start
        ok = True
        for c in short[1:]:
            pos = full.find(c, pos + 1)
            if pos < 0:
                ok = False
                break
        if ok:
            best = min(best, pos - start + 1)
    return best


def unit_text_variants(text: str) -> list[tuple[str, str | None]]:
    """(core text, level hint) readings of a free-text unit, most specific first.

    "县住建局" → [("县住建局", None), ("住建局", "县")]; "清河县住建局" → [("清河县住建局", None), ("住建局", "县")].
    A bare "市" is only read as a level when what follows still starts a word ("市场监管局" keeps its 市).
    """
    folded = re.sub(r"\s+", "", fold_text(text) or "")
    if not folded:
        return []
    variants: list[tuple[str, str | None]] = [(folded, None)]
    m = _PLACE_PREFIX.match(folded)
    if m and len(folded) > len(m.group(1)) + 1:
        word = next(
            (w for w in ("自治县", "街道", "县", "市", "区", "镇", "乡") if m.group(1).endswith(w)), None
        )
        level = _LEVEL_WORDS.get(word or "", "县" if word == "自治县" else None)
        variants.append((folded[len(m.group(1)) :], level))
    return variants


def match_units(
    text: str | None, register: list[tuple[str, str, str, str]], vocabulary: Vocabulary | None = None
) -> list[UnitMatch]:
    """Units of the register that a free-text unit name can mean, best first (builds a UnitIndex)."""
    return UnitIndex(register, vocabulary).match(text)


# A vocabulary form two units of one region share (two 大井村 in one county, 城管局 for both a 城市管理局 and a
# 城市管理综合执法局): 1.5 unit points instead of 2, so a post named without a person (unit + title + no
# name = 4.5) stays below the link threshold, and a link needs the name and the title to single the official
# out among the officials of every unit the form names (the margin rule of petitions.decide).
AMBIGUOUS_QUALITY = 0.75


class UnitIndex:
    """The register with every unit's vocabulary forms, for matching many texts (results cached).

    `register` rows: (unit_code, name, level, region_code). Several returned units mean the text is
    ambiguous (e.g. "镇政府" in a county with twelve towns); the caller decides with the person's name/title.
    """

    def __init__(
        self, register: list[tuple[str, str, str, str]], vocabulary: Vocabulary | None = None
    ) -> None:
        self.register = register
        self.vocabulary = vocabulary or load_vocabulary()
        forms: dict[str, set[str]] = {}
        region = {code: region_code for code, _n, _l, region_code in register}
        for code, name, _level, _region in register:
            for form in unit_forms(name, self.vocabulary):
                forms.setdefault(form, set()).add(code)
        self.forms: dict[str, list[tuple[str, float]]] = {}
        for form, codes in forms.items():
            per_region: dict[str | None, int] = {}
            for code in codes:
                per_region[region[code]] = per_region.get(region[code], 0) + 1
            self.forms[form] = [
                (code, AMBIGUOUS_QUALITY if per_region[region[code]] > 1 else 1.0) for code in sorted(codes)
            ]
        self.names = {code: name for code, name, _l, _r in register}
        self._cache: dict[str, list[UnitMatch]] = {}

    def match(self, text: str | None) -> list[UnitMatch]:
        if not text:
            return []
        folded = re.sub(r"\s+", "", fold_text(text) or "")
        if folded not in self._cache:
            self._cache[folded] = self._match(folded)
        return self._cache[folded]

    def _match(self, folded: str) -> list[UnitMatch]:
        if folded in self.forms:
            found = [
                UnitMatch(code, self.names[code], quality, "vocabulary" if quality == 1.0 else "ambiguous")
                for code, quality in self.forms[folded]
            ]
            return sorted(found, key=lambda m: (-m.quality, m.name))
        return _fallback_match(folded, self.register)


def _fallback_match(folded: str, register: list[tuple[str, str, str, str]]) -> list[UnitMatch]:
    """Subsequence matching for texts the vocabulary does not know."""
    found: dict[str, UnitMatch] = {}
    for core, level in unit_text_variants(folded):
        if len(core) < 2:
            continue
        for code, name, unit_level, _region in register:
            if level is not None and unit_level and unit_level != level:
                continue
            full = _folded_unit(name)
            match = _match_one(core, full)
            if match is None:
                continue
            quality, how = match
            if code not in found or found[code].quality < quality:
                found[code] = UnitMatch(code, name, quality, how)
        if found:
            # The most specific reading that finds anything wins: "城关镇政府" must not fall back to "政府".
            break
    return sorted(found.values(), key=lambda m: (-m.quality, m.name))


_PLACE_TOKEN = re.compile(r"[\u3400-\u9fff]{1,8}?(?:自治州|自治县|街道|省|市|县|区|镇|乡)")
_LEVEL_OF = ("自治州", "自治县", "街道", "省", "市", "县", "区", "镇", "乡")


def _places(prefix: str, named: bool) -> tuple[list[str], str] | None:
    """'清河县杨柳镇下湾' → (['清河县', '杨柳镇'], '下湾'): the place chain and, for named units, the own name."""
    places: list[str] = []
    rest = prefix
    while rest:
        m = _PLACE_TOKEN.match(rest)
        if m is None:
            break
        places.append(m.group(0))
        rest = rest[m.end() :]
    if rest and not named:
        return None
    if named and not rest:
        return None
    return places, rest


def _level(place: str) -> str:
    return next(w for w in _LEVEL_OF if place.endswith(w))


@lru_cache(maxsize=100_000)
def _unit_forms(name: str, vocabulary: Vocabulary) -> frozenset[str]:
    full = _folded_unit(name)
    out = {full}
    for entry in vocabulary.bodies_longest_first():
        rest = full
        if entry.party:
            if not rest.startswith("中共"):
                continue
            rest = rest[2:]
        if not rest.endswith(entry.body) or rest == entry.body:
            continue
        parsed = _places(rest[: -len(entry.body)], entry.named)
        if parsed is None or (not parsed[0] and entry.place_bound and not entry.named):
            continue
        out |= _forms_of(entry, *parsed)
        break
    return frozenset(out)


def unit_forms(name: str, vocabulary: Vocabulary | None = None) -> frozenset[str]:
    """Every text that names this registered unit with full confidence (its name and vocabulary forms)."""
    return _unit_forms(name, vocabulary or load_vocabulary())


def _forms_of(entry: BodyForms, places: list[str], own: str) -> set[str]:
    place = places[-1] if places else ""
    stem = place[: -len(_level(place))] if place else ""
    chain = "".join(places[:-1])
    out: set[str] = set()
    for short in (*entry.short, entry.body if not entry.named else "{name}" + entry.body):
        core = short.replace("{name}", own)
        if "{place}" in short or "{stem}" in short:
            if not place:
                continue
            core = core.replace("{place}", place).replace("{stem}", stem)
            out |= {core, chain + core}
            continue
        if not entry.place_bound or entry.named:
            out.add(core)
        if place:
            out |= {place + core, chain + place + core}
            if len(stem) >= 2:
                out.add(stem + core)
            if not entry.named:
                out.add(_level(place) + core)
    if entry.party:
        out |= {"中共" + f for f in out if place and f.startswith(place)}
    return {f for f in out if len(f) >= 2}


@lru_cache(maxsize=100_000)
def _folded_unit(name: str) -> str:
    return re.sub(r"\s+", "", fold_text(name) or "")


def _match_one(core: str, full: str) -> tuple[float, str] | None:
    if core == full:
        return (1.0, "exact")
    if full.endswith(core) and len(core) >= 3:
        return (0.95, "exact")
    if core.endswith(_PLACE_ENDINGS) and len(core) >= 3 and core in full:
        return (0.85, "place")
    tail = core[-1]
    # The type character must be the full name's own type (住建局 is a 局; 卫健委 a 委员会).
    same_type = full[-1] == tail or (tail == "委" and full.endswith("委员会"))
    if tail in _TYPE_CHARS and same_type and is_subsequence(core, full):
        span = _span(core, full)
        return (max(0.5, 0.9 - 0.02 * (span - len(core))), "abbreviation")
    return None
