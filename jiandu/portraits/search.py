"""Search across officials, units, companies, tenders and petitions by name, pinyin, ID, uscc or number.

Names are matched exactly-contained, by pinyin (full or initials, for "wangjun" / "wj"), and loosely (same
length, at most one character different — a petitioner's wrong character). Identifiers match exactly; an ID
number is matched through its keyed hash (the registry holds no plaintext ID), so only a whole ID finds a
person — no prefix or partial ID search.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from pypinyin import Style, lazy_pinyin

from jiandu.accounts.access import records_for, records_listed
from jiandu.registry.models import REGISTRY
from jiandu.security.idnumbers import id_hash

R: dict[str, Any] = REGISTRY
LIMIT = 20
TARGETS = {
    "officials": ("name", ("id_number_hash",)),
    "units": ("name", ("unit_code",)),
    "companies": ("name", ("uscc", "legal_rep_name")),
    "tenders": ("title", ("tender_no",)),
    "petitions": ("subject_name", ("petition_no", "subject_unit")),
}


def pinyin_keys(text: str) -> tuple[str, str]:
    full = "".join(lazy_pinyin(text))
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER))
    return full.lower(), initials.lower()


def one_character_apart(a: str, b: str) -> bool:
    return len(a) == len(b) >= 2 and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def search(user: Any, query: str) -> dict[str, list[Any]]:
    query = query.strip()
    results: dict[str, list[Any]] = {}
    if not query:
        return results
    ascii_query = re.fullmatch(r"[A-Za-z]+", query) is not None
    for table, (name_field, id_fields) in TARGETS.items():
        rows = records_listed(user, records_for(user, R[table].objects.all()))
        condition = Q(**{f"{name_field}__icontains": query})
        for field in id_fields:
            if field.endswith("_hash"):
                condition |= Q(**{field: id_hash(query)})
                continue
            condition |= Q(**{field: query.upper() if table != "petitions" else query})
            if table == "petitions":
                condition |= Q(**{f"{field}__icontains": query})
        found = list(rows.filter(condition)[:LIMIT])
        if table in ("officials", "petitions") and len(found) < LIMIT:
            found += _loose(rows, name_field, query, ascii_query, {r.pk for r in found})
        results[table] = found[:LIMIT]
    return results


def _loose(rows: Any, name_field: str, query: str, ascii_query: bool, seen: set[int]) -> list[Any]:
    """Pinyin and one-character-off matches among short personal names (bounded scan of the candidates)."""
    wanted = query.lower()
    if ascii_query:
        candidates = rows
    else:
        candidates = rows.filter(**{f"{name_field}__startswith": query[0]}) | rows.filter(
            **{f"{name_field}__endswith": query[-1]}
        )
    out = []
    for row in candidates[:5000]:
        name = getattr(row, name_field) or ""
        if row.pk in seen:
            continue
        full, initials = pinyin_keys(name)
        if ascii_query and wanted in (full, initials):
            out.append(row)
        elif not ascii_query and (one_character_apart(name, query) or pinyin_keys(query)[0] == full):
            out.append(row)
        if len(out) >= LIMIT:
            break
    return out
