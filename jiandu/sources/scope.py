"""Jurisdiction (`scope_region`) of registry rows, derived set-based in portable SQL.

The access module shows a user the rows whose `scope_region` starts with their jurisdiction's prefix, so the
importer must say where each row belongs (docs/import.md, "Jurisdiction"):

- units: their own region_code;
- rows about a unit (positions, tenders, contracts, payments, decisions, audit and inspection findings):
  that unit's region;
- bids: their tender's scope;
- companies and company roles: the registering authority's region, characters 3–8 of the uscc (GB 32100);
- rows about a person: the region of the unit of the person's latest position (by start_date);
- petitions: the same for subject_id when known, else '' (visible to the city only).

People are matched through the keyed hashes of their IDs (`X_hash`), the registry holds no plaintext ID.

The expression for a row is written once per table against an alias and used twice: while merging a delivery
(so its rows land with the right scope) and when a delivery of units, positions or tenders changes the scope
of rows that depend on them (`scope_refresh`).
"""

from __future__ import annotations

import polars as pl
from django.db.backends.base.base import BaseDatabaseWrapper

from jiandu.sources.staging import frame_write

UNIT_COLUMN = {
    "positions": "unit_code",
    "tenders": "buyer_code",
    "contracts": "buyer_code",
    "payments": "payer_code",
    "decisions": "unit_code",
    "audit_findings": "unit_code",
    "inspection_findings": "unit_code",
}

PERSON_COLUMN = {
    "officials": "id_number",
    "family_members": "declarant_id",
    "declared_assets": "declarant_id",
    "travel_approvals": "id_number",
    "border_crossings": "id_number",
    "real_estate": "owner_id",
    "tax_income": "id_number",
    "bank_transactions": "holder_id",
    "discipline_records": "id_number",
    "talks": "id_number",
    "evaluations": "id_number",
    "petitions": "subject_id",
}

USCC_COLUMN = {"companies": "uscc", "company_roles": "uscc"}

# Which tables' scopes a delivery of a table can change besides its own rows.
DEPENDENTS: dict[str, tuple[str, ...]] = {
    "units": tuple(UNIT_COLUMN) + ("bids",) + tuple(PERSON_COLUMN),
    "positions": tuple(PERSON_COLUMN),
    "tenders": ("bids",),
}


def _q(connection: BaseDatabaseWrapper, name: str) -> str:
    return connection.ops.quote_name(name)


def scope_expression(connection: BaseDatabaseWrapper, table: str, alias: str) -> str:
    """A SQL expression (never NULL) giving the scope of the row `alias` of `table`."""
    q = _q(connection, alias)
    if table == "units":
        return f"COALESCE({q}.region_code, '')"
    if table in UNIT_COLUMN:
        column = UNIT_COLUMN[table]
        return (
            f"COALESCE((SELECT su.region_code FROM registry_units su WHERE su.unit_code = {q}.{column}), '')"
        )
    if table == "bids":
        return (
            "COALESCE((SELECT st.scope_region FROM registry_tenders st "
            f"WHERE st.tender_no = {q}.tender_no), '')"
        )
    if table in USCC_COLUMN:
        return f"COALESCE(SUBSTR({q}.{USCC_COLUMN[table]}, 3, 6), '')"
    if table in PERSON_COLUMN:
        column = PERSON_COLUMN[table]
        return (
            "COALESCE((SELECT su.region_code FROM registry_positions sp "
            "JOIN registry_units su ON su.unit_code = sp.unit_code "
            f"WHERE sp.id_number_hash = {q}.{column}_hash "
            "ORDER BY sp.start_date DESC, sp.id DESC LIMIT 1), '')"
        )
    raise KeyError(table)


def scope_source(table: str) -> str:
    """The one stored column of `table` its scope expression reads."""
    if table == "units":
        return "region_code"
    if table in UNIT_COLUMN:
        return UNIT_COLUMN[table]
    if table == "bids":
        return "tender_no"
    if table in USCC_COLUMN:
        return USCC_COLUMN[table]
    if table in PERSON_COLUMN:
        return f"{PERSON_COLUMN[table]}_hash"
    raise KeyError(table)


SCOPE_KEYS = "jiandu_scope_keys"


def scope_values(connection: BaseDatabaseWrapper, table: str, frame: pl.DataFrame) -> pl.Series:
    """The scope of every row of `frame` (rows of `table` in stored form), by the same expression as the
    merge: evaluated once per distinct scope key in a temporary table, then joined back to the rows.

    A first delivery written straight into the registry (jiandu/sources/merge.py, `rows_insert`) takes its
    scopes from here; a million payments from 300 paying units cost 300 lookups."""
    column = scope_source(table)
    keys = frame.select(pl.col(column).cast(pl.Utf8)).unique().drop_nulls()
    q = _q(connection, column)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCOPE_KEYS}")
        cursor.execute(f"CREATE TEMPORARY TABLE {SCOPE_KEYS} ({q} text)")
    try:
        frame_write(connection, None, SCOPE_KEYS, [column], keys)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT s.{q}, {scope_expression(connection, table, 's')} FROM {SCOPE_KEYS} s")
            found = cursor.fetchall()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {SCOPE_KEYS}")
    scopes = pl.DataFrame(found, schema={column: pl.Utf8, "scope": pl.Utf8}, orient="row")
    joined = frame.select(pl.col(column).cast(pl.Utf8)).join(
        scopes, on=column, how="left", maintain_order="left"
    )
    return joined["scope"].fill_null("")


def scope_join(connection: BaseDatabaseWrapper, table: str, alias: str) -> tuple[str, str] | None:
    """A LEFT JOIN form (join clause, expression) for the high-volume tables, faster than a subquery per row.

    Only unit-referencing tables and bids have one; the merge uses it when present.
    """
    q = _q(connection, alias)
    if table in UNIT_COLUMN:
        join = f"LEFT JOIN registry_units su ON su.unit_code = {q}.{UNIT_COLUMN[table]}"
        return join, "COALESCE(su.region_code, '')"
    if table == "bids":
        return (
            f"LEFT JOIN registry_tenders st ON st.tender_no = {q}.tender_no",
            "COALESCE(st.scope_region, '')",
        )
    return None


def scope_refresh(connection: BaseDatabaseWrapper, delivered_table: str) -> int:
    """Recompute the scope of rows that depend on `delivered_table`; returns the number of rows changed.

    Runs inside the delivery's transaction, so scopes are never seen half-updated.
    """
    changed = 0
    with connection.cursor() as cursor:
        for table in DEPENDENTS.get(delivered_table, ()):
            target = f"registry_{table}"
            expression = scope_expression(connection, table, target)
            cursor.execute(
                f"UPDATE {target} SET scope_region = {expression} WHERE scope_region <> {expression}"
            )
            changed += max(cursor.rowcount, 0)
    return changed
