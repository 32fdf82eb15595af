"""Company mentions without a uscc (a payee or bank counterpart named only by name) resolved by name.

The uscc decides when a row has one. Otherwise the name is normalised (full-width, traditional characters,
brackets, company-form suffixes: 有限公司 / 有限责任公司 / 公司 …) and looked up in every name the data gives
for a known uscc (the market-regulation register, bids, coded payments). One uscc → linked; several usccs
sharing the normalised name, or only a near name (Jaro-Winkler ≥ 0.93), → proposed for review. Names that
match nothing become one entity per normalised name ("C:~<hash>").
"""

from __future__ import annotations

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


def company_candidates(
    index: dict[str, Counter[str]], mentions: list[tuple[str, int, str, str]]
) -> dict[str, list[CompanyCandidate]]:
    """Candidates per mention key for name-only company mentions (table, _rid, field, raw_name)."""
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for norm in index:
        by_prefix[norm[:2]].append(norm)
    out: dict[str, list[CompanyCandidate]] = {}
    for table, rid, fld, raw_name in mentions:
        key = f"{table}:{rid}:{fld}"
        normalised = normalise_company_name(raw_name)
        cands: list[CompanyCandidate] = []
        if normalised and normalised in index:
            for uscc, _count in index[normalised].most_common():
                cands.append(CompanyCandidate(key, uscc, 1.0, "company_name", {"name:normalised_exact": 1.0}))
        elif normalised:
            for other in by_prefix.get(normalised[:2], []):
                sim = jellyfish.jaro_winkler_similarity(normalised, other)
                if sim >= NEAR_NAME:
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
