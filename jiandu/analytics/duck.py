"""The registry as DuckDB tables: one per contract table, plus `entity_links` and `leads`.

The platform exports the registry into DuckDB through Arrow; framework-free code (resolution, rules,
evaluation) relies on the exact shape described in the analytics interface. `create_empty_tables` builds that
shape from the contract so a fixture, a benchmark or a partial export only fills the tables it needs and every
rule still finds every table it joins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa

from jiandu.analytics.contract import Table, load_contract

SQL_TYPES = {
    "id_number": "VARCHAR",
    "uscc": "VARCHAR",
    "region": "VARCHAR",
    "text": "VARCHAR",
    "enum": "VARCHAR",
    "date": "DATE",
    "money": "DECIMAL(18,2)",
    "int": "BIGINT",
    "bool": "BOOLEAN",
    "list": "VARCHAR[]",
}

# Tables contributed by entity resolution, the lead register and the OCDS adapter (not delivered by departments).
# `process_currencies`: the currencies an imported procurement process (tender_no = OCDS ocid) states for its
# amounts, one row per currency, currency NULL when its amounts state none. Rows of a process not listed are
# in yuan, as the contract's money type says (departmental deliveries). `id_facts`: what the registry says
# about each hashed ID (gender and region read from the masked form); empty when a fixture loads plaintext IDs,
# from which resolution reads them directly.
EXTRA_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "process_currencies": (
        ("tender_no", "VARCHAR"),
        ("currency", "VARCHAR"),
    ),
    "id_facts": (
        ("id_number", "VARCHAR"),
        ("gender", "VARCHAR"),
        ("region", "VARCHAR"),
    ),
    "entity_links": (
        ("source_table", "VARCHAR"),
        ("_rid", "BIGINT"),
        ("field", "VARCHAR"),
        ("entity_id", "VARCHAR"),
        ("id_number", "VARCHAR"),
        ("uscc", "VARCHAR"),
        ("method", "VARCHAR"),
        ("score", "DOUBLE"),
        ("status", "VARCHAR"),
    ),
    "leads": (
        ("_rid", "BIGINT"),
        ("lead_no", "VARCHAR"),
        ("opened", "DATE"),
        ("closed", "DATE"),
        ("source_table", "VARCHAR"),
        ("source_rid", "BIGINT"),
        ("subject_id", "VARCHAR"),
        ("status", "VARCHAR"),
    ),
}


def quote(name: str) -> str:
    """Quote every identifier: some contract columns are SQL reserved words (`by`, `round`, `leave` …)."""
    return '"' + name.replace('"', '""') + '"'


def table_columns(name: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) of a contract or extra table, `_rid` first for contract tables."""
    if name in EXTRA_TABLES:
        return list(EXTRA_TABLES[name])
    tbl: Table = load_contract()[name]
    return [("_rid", "BIGINT")] + [(c.key, SQL_TYPES[c.type]) for c in tbl.columns]


def all_table_names() -> list[str]:
    return [*load_contract(), *EXTRA_TABLES]


def table_ddl(name: str) -> str:
    cols = ", ".join(f"{quote(c)} {t}" for c, t in table_columns(name))
    return f"CREATE TABLE IF NOT EXISTS {quote(name)} ({cols})"


def create_empty_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every contract table (typed per the interface) plus the extra interface tables, if absent."""
    for name in all_table_names():
        con.execute(table_ddl(name))


def _coerce(value: Any, sql_type: str) -> Any:
    """Turn a YAML/JSON value into what DuckDB expects for the column type (dates may come as strings)."""
    if value is None or value == "":
        return None
    if sql_type == "DATE" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if sql_type.startswith("DECIMAL"):
        return Decimal(str(value))
    if sql_type == "VARCHAR[]" and isinstance(value, str):
        return [v.strip() for v in value.replace("；", ";").replace("、", ";").split(";") if v.strip()]
    if sql_type == "VARCHAR" and not isinstance(value, str):
        return str(value)
    return value


ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "DECIMAL(18,2)": pa.decimal128(18, 2),
    "BIGINT": pa.int64(),
    "BOOLEAN": pa.bool_(),
    "VARCHAR[]": pa.list_(pa.string()),
    "DOUBLE": pa.float64(),
}


def _money(value: Any) -> Any:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def load_rows(con: duckdb.DuckDBPyConnection, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> None:
    """Insert rows given as dicts keyed by contract column keys (plus `_rid`) into the DuckDB tables.

    Missing columns become NULL; an unknown table or column is an error (a typo in a fixture must not pass
    silently as an empty column).
    """
    create_empty_tables(con)
    for name, rows in tables.items():
        if name not in all_table_names():
            raise KeyError(f"未知的表：{name}")
        cols = table_columns(name)
        known = {c for c, _ in cols}
        columns: dict[str, list[Any]] = {c: [] for c, _ in cols}
        for row in rows:
            unknown = set(row) - known
            if unknown:
                raise KeyError(f"表 {name} 没有列：{', '.join(sorted(unknown))}")
            for c, t in cols:
                v = _coerce(row.get(c), t)
                columns[c].append(_money(v) if t.startswith("DECIMAL") else v)
        if columns and columns[cols[0][0]]:
            # through Arrow: row-by-row INSERTs are far too slow for a city-sized load
            batch = pa.table({c: pa.array(columns[c], type=ARROW_TYPES[t]) for c, t in cols})
            con.register("_jiandu_load", batch)
            try:
                con.execute(f"INSERT INTO {quote(name)} SELECT * FROM _jiandu_load")
            finally:
                con.unregister("_jiandu_load")
