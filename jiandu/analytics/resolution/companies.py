"""Company mentions without a uscc (a payee or bank counterpart named only by name) resolved by name.

The uscc decides when a row has one. Otherwise the name is normalised (full-width, traditional characters,
brackets, company-form suffixes: 有限公司 / 有限责任公司 / 公司 …) and looked up in every name the data gives
for a known uscc (the market-regulation register, bids, coded payments). One uscc → linked; several usccs
sharing the normalised name, or only a near name (Jaro-Winkler ≥ 0.93), → proposed for review. Names that
match nothing become one entity per normalised name ("C:~<hash>").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import duckdb
import jellyfish

from jiandu.analytics.resolution.mentions import existing_tables
from jiandu.analytics.resolution.normalise import normalise_company_name, stable_hash

NEAR_NAME = 0.93


@dataclass
class CompanyCandidate:
    mention_key: str
    uscc: str
    score: float
    method: str
    contributions: dict[str, float] = field(default_factory=dict)


def name_index(con: duckdb.DuckDBPyConnection, mentions: str) -> dict[str, Counter[str]]:
    """Normalised company name → usccs known under it (with how often each is named so)."""
    index: dict[str, Counter[str]] = defaultdict(Counter)
    rows = con.execute(
        f"""SELECT ident, raw_name FROM {mentions}
        WHERE kind = 'company' AND ident IS NOT NULL AND raw_name IS NOT NULL"""
    ).fetchall()
    if "companies" in existing_tables(con):
        rows += con.execute("SELECT uscc, name FROM companies").fetchall()
    for uscc, name in rows:
        norm = normalise_company_name(name)
        if norm:
            index[norm][uscc] += 1
    return index


# A leading place name ("青源市", "平阳县", "某某区") is shared by thousands of local companies, so blocking on
# the first characters of the whole name compares nearly every pair; the core after it discriminates.
_REGION_PREFIX = re.compile(r"^.{1,6}?[省市县区旗州盟]")


def name_core(norm: str) -> str:
    core = _REGION_PREFIX.sub("", norm, count=1)
    return core if len(core) >= 2 else norm


def block_keys(norm: str) -> tuple[str, str]:
    """The two halves of the name's core: a one-character slip leaves at least one half intact."""
    core = name_core(norm)
    half = len(core) // 2
    return "1:" + core[:half], "2:" + core[half:]


def _near_names(norm: str, by_block: dict[str, list[str]]) -> list[tuple[str, float]]:
    """Registered names within Jaro-Winkler NEAR_NAME of `norm`, compared within its blocks only."""
    seen: set[str] = set()
    out = []
    for key in block_keys(norm):
        for other in by_block.get(key, []):
            if other in seen:
                continue
            seen.add(other)
            sim = jellyfish.jaro_winkler_similarity(norm, other)
            if sim >= NEAR_NAME:
                out.append((other, sim))
    return out


def company_candidates(
    index: dict[str, Counter[str]], mentions: list[tuple[str, int, str, str]]
) -> dict[str, list[CompanyCandidate]]:
    """Candidates per mention key for name-only company mentions (table, _rid, field, raw_name).

    The same payee name recurs across thousands of payments: candidates are worked out once per distinct
    normalised name and shared by its mentions.
    """
    by_block: dict[str, list[str]] = defaultdict(list)
    for known in index:
        for key in block_keys(known):
            by_block[key].append(known)
    near_cache: dict[str, list[tuple[str, float]]] = {}
    out: dict[str, list[CompanyCandidate]] = {}
    for table, rid, fld, raw_name in mentions:
        key = f"{table}:{rid}:{fld}"
        norm = normalise_company_name(raw_name)
        cands: list[CompanyCandidate] = []
        if norm and norm in index:
            for uscc, _count in index[norm].most_common():
                cands.append(CompanyCandidate(key, uscc, 1.0, "company_name", {"name:normalised_exact": 1.0}))
        elif norm:
            if norm not in near_cache:
                near_cache[norm] = _near_names(norm, by_block)
            for other, sim in near_cache[norm]:
                for uscc in index[other]:
                    cands.append(
                        CompanyCandidate(
                            key, uscc, round(sim, 4), "company_name_near", {"name:jaro_winkler": sim}
                        )
                    )
            cands.sort(key=lambda c: -c.score)
        out[key] = cands
    return out


def unknown_company_entity(raw_name: str | None) -> str:
    """Entity id for a company known by no uscc: one per normalised name."""
    return "C:~" + stable_hash("company", normalise_company_name(raw_name) or "")
