"""Free-text unit names ("县住建局") resolved against the unit register ("某某县住房和城乡建设局").

People write a unit by its customary abbreviation, which in Chinese is almost always a character subsequence
of the full name that keeps the head character and the final type character (住建局 ⊂ 住房和城乡建设局,
卫健委 ⊂ 卫生健康委员会, 发改委 ⊂ 发展和改革委员会). So the general rule is subsequence matching; a small table
adds the names of bodies that were merged or renamed in the 2018–2019 reforms (国土局 → 自然资源局), which no
subsequence rule can find. A leading region word (县, 市, or a place name ending in 县/市/区/镇/乡) narrows
the level but need not appear in the register's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jiandu.analytics.resolution.normalise import fold_text

# Old or colloquial names of bodies → a fragment of the current official name (after the 2018 reform).
RENAMED_BODIES: dict[str, tuple[str, ...]] = {
    "国土局": ("自然资源局", "自然资源和规划局"),
    "国土资源局": ("自然资源局", "自然资源和规划局"),
    "规划局": ("自然资源和规划局", "自然资源局"),
    "卫生局": ("卫生健康委员会", "卫生健康局"),
    "卫计委": ("卫生健康委员会", "卫生健康局"),
    "计生委": ("卫生健康委员会",),
    "人事局": ("人力资源和社会保障局",),
    "劳动局": ("人力资源和社会保障局",),
    "安监局": ("应急管理局",),
    "工商局": ("市场监督管理局",),
    "质监局": ("市场监督管理局",),
    "食药监局": ("市场监督管理局",),
    "市监局": ("市场监督管理局",),
    "建设局": ("住房和城乡建设局",),
    "房管局": ("住房和城乡建设局", "房产管理局"),
    "水务局": ("水利局", "水务局"),
    "农业局": ("农业农村局",),
    "农委": ("农业农村局", "农业农村委员会"),
    "文广局": ("文化广电和旅游局", "文化和旅游局"),
    "旅游局": ("文化和旅游局", "文化广电和旅游局"),
    "扶贫办": ("乡村振兴局",),
    "纪委": ("纪律检查委员会",),
    "监委": ("监察委员会",),
}

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
    quality: float  # 1.0 = exact, lower = looser abbreviation
    how: str  # 'exact' | 'abbreviation' | 'renamed'


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


def match_units(text: str | None, register: list[tuple[str, str, str, str]]) -> list[UnitMatch]:
    """Units of the register that a free-text unit name can mean, best first.

    `register` rows: (unit_code, name, level, region_code). Several returned units mean the text is
    ambiguous (e.g. "镇政府" in a county with twelve towns); the caller decides with the person's name/title.
    """
    if not text:
        return []
    found: dict[str, UnitMatch] = {}
    for core, level in unit_text_variants(text):
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
    for old, news in RENAMED_BODIES.items():
        if core.endswith(old):
            prefix = core[: -len(old)]
            if any(full.endswith(new) for new in news) and (not prefix or is_subsequence(prefix, full)):
                return (0.8, "renamed")
    return None
