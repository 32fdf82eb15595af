"""Where the contract's tables mention people and companies: a declarative map, and the SQL that collects them.

Each mention is one (table, _rid, field) — `field` is always the column of the identifier that names the
person or company (`holder_id`, `subject_id`, `payee_code` …), also when the row gave only a name, so that a
rule can join `entity_links` on (source_table, _rid, field) without knowing whether the row had an ID.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from jiandu.analytics.resolution.normalise import (
    classify_identifier,
    is_company_name,
    looks_like_person_name,
)


@dataclass(frozen=True)
class Mention:
    """A column that identifies a person or company in a table, with the name column beside it (if any)."""

    table: str
    field: str
    name: str | None = None
    kind: str = "person"  # 'person' | 'company' | 'mixed' (a text column that holds either)
    is_list: bool = False


PERSON_MENTIONS: tuple[Mention, ...] = (
    Mention("officials", "id_number", "name"),
    Mention("positions", "id_number"),
    Mention("family_members", "declarant_id"),
    Mention("family_members", "id_number", "name"),
    Mention("declared_assets", "declarant_id"),
    Mention("companies", "legal_rep_id", "legal_rep_name"),
    Mention("petitions", "subject_id", "subject_name"),
    Mention("audit_findings", "leader_id"),
    Mention("inspection_findings", "person_ids", is_list=True),
    Mention("travel_approvals", "id_number"),
    Mention("border_crossings", "id_number", "name"),
    Mention("real_estate", "owner_id", "owner_name"),
    Mention("tax_income", "id_number"),
    Mention("bank_transactions", "holder_id"),
    Mention("discipline_records", "id_number"),
    Mention("talks", "id_number"),
    Mention("evaluations", "id_number"),
)

COMPANY_MENTIONS: tuple[Mention, ...] = (
    Mention("companies", "uscc", "name", kind="company"),
    Mention("company_roles", "uscc", kind="company"),
    Mention("bids", "bidder_code", "bidder_name", kind="company"),
    Mention("contracts", "supplier_code", kind="company"),
    Mention("declared_assets", "counterpart_code", kind="company"),
)

# Text columns that hold an id_number for a person or a uscc for a company (contract: type text).
MIXED_MENTIONS: tuple[Mention, ...] = (
    Mention("company_roles", "holder_id", "holder_name", kind="mixed"),
    Mention("payments", "payee_code", "payee_name", kind="mixed"),
    Mention("bank_transactions", "counterpart_id", "counterpart_name", kind="mixed"),
)

MENTION_COLUMNS = (
    "source_table VARCHAR, _rid BIGINT, field VARCHAR, kind VARCHAR, ident VARCHAR, raw_name VARCHAR"
)


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return {r[0] for r in rows}


def _rid_filter(table: str, changed: dict[str, list[int]] | None) -> str:
    if changed is None:
        return ""
    rids = changed.get(table)
    if not rids:
        return " AND FALSE"
    return f" AND _rid IN (SELECT unnest({sorted(set(int(r) for r in rids))}::BIGINT[]))"


def collect_mentions(
    con: duckdb.DuckDBPyConnection, target: str, changed: dict[str, list[int]] | None = None
) -> None:
    """Fill table `target` with every person/company mention (of changed rows only, when `changed` is given).

    Typed columns (id_number, uscc) are trusted as normalised by the importer; mixed text columns are
    classified in Python over their distinct values (a few thousand at most), then joined back in SQL.
    """
    tables = existing_tables(con)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {target} ({MENTION_COLUMNS})")
    for m in (*PERSON_MENTIONS, *COMPANY_MENTIONS):
        if m.table not in tables:
            continue
        name = f'"{m.name}"' if m.name else "NULL"
        where = _rid_filter(m.table, changed)
        if m.is_list:
            con.execute(
                f"""INSERT INTO {target} SELECT '{m.table}', _rid, '{m.field}', '{m.kind}', u.ident, NULL
                FROM (SELECT _rid, unnest("{m.field}") AS ident FROM "{m.table}" WHERE TRUE{where}) u
                WHERE u.ident IS NOT NULL"""
            )
            continue
        con.execute(
            f"""INSERT INTO {target} SELECT '{m.table}', _rid, '{m.field}', '{m.kind}', "{m.field}", {name}
            FROM "{m.table}" WHERE ("{m.field}" IS NOT NULL OR {name} IS NOT NULL){where}"""
        )
    for m in MIXED_MENTIONS:
        if m.table not in tables:
            continue
        where = _rid_filter(m.table, changed)
        raw = con.execute(
            f"""SELECT _rid, "{m.field}", "{m.name}" FROM "{m.table}"
            WHERE ("{m.field}" IS NOT NULL OR "{m.name}" IS NOT NULL){where}"""
        ).fetchall()
        rows = [_classify_mixed(m, rid, ident, name) for rid, ident, name in raw]
        _insert_rows(con, target, rows)


def _classify_mixed(m: Mention, rid: int, ident: str | None, name: str | None) -> tuple:
    known = classify_identifier(ident)
    if known is not None:
        return (m.table, rid, m.field, known[0], known[1], name)
    if looks_like_person_name(name) and not is_company_name(name):
        kind = "person"
    else:
        kind = "company"
    return (m.table, rid, m.field, kind, None, name)


def _insert_rows(con: duckdb.DuckDBPyConnection, target: str, rows: Iterable[tuple]) -> None:
    rows = list(rows)
    if not rows:
        return
    cols = list(zip(*rows, strict=True))
    batch = pa.table(
        {
            "source_table": pa.array(cols[0], pa.string()),
            "_rid": pa.array(cols[1], pa.int64()),
            "field": pa.array(cols[2], pa.string()),
            "kind": pa.array(cols[3], pa.string()),
            "ident": pa.array(cols[4], pa.string()),
            "raw_name": pa.array(cols[5], pa.string()),
        }
    )
    con.register("_er_batch", batch)
    try:
        con.execute(f"INSERT INTO {target} SELECT * FROM _er_batch")
    finally:
        con.unregister("_er_batch")
