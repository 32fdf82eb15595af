"""Registry → DuckDB: the hand-over from the transactional store to the analytical engine.

Rows move through Arrow (never through DuckDB's sqlite/postgres scanner extensions, which download at run
time). The target shape is the analytics interface (`jiandu.analytics.duck`): one table per contract table
named as in the contract, contract column keys, `_rid` = the registry row id. Type differences between the
databases (SQLite returns dates as text and JSON lists as text) are settled here, once, with DuckDB casts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import duckdb
import pyarrow as pa
from django.db import connection

from jiandu.analytics.duck import create_empty_tables, quote, table_columns
from jiandu.registry.models import REGISTRY

ProgressFn = Callable[[str, int, int], None]


def _column_array(values: list[Any], duck_type: str) -> pa.Array:
    if duck_type == "VARCHAR[]":
        values = [json.loads(v) if isinstance(v, str) else v for v in values]
        return pa.array(values, type=pa.list_(pa.string()))
    if duck_type == "VARCHAR":
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())
    if duck_type.startswith("DECIMAL"):
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())
    if duck_type == "DATE":
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())
    return pa.array(values)


def _cast(name: str, duck_type: str) -> str:
    if duck_type == "VARCHAR[]":
        return quote(name)
    return f"CAST({quote(name)} AS {duck_type}) AS {quote(name)}"


def table_to_duckdb(con: duckdb.DuckDBPyConnection, table: str, *, scope_prefix: str | None = None) -> int:
    """Copy one registry table into the DuckDB table of the same name; returns the row count."""
    model = REGISTRY[table]
    columns = table_columns(table)
    db_columns = ["id" if name == "_rid" else name for name, _ in columns]
    sql = f"SELECT {', '.join(connection.ops.quote_name(c) for c in db_columns)} FROM {model._meta.db_table}"
    params: list[Any] = []
    if scope_prefix is not None:
        sql += " WHERE scope_region LIKE %s"
        params.append(scope_prefix + "%")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return 0
    transposed = list(zip(*rows, strict=True))
    arrow = pa.table(
        {
            name: _column_array(list(values), duck_type)
            for (name, duck_type), values in zip(columns, transposed, strict=True)
        }
    )
    con.register("_incoming", arrow)
    try:
        casts = ", ".join(_cast(name, duck_type) for name, duck_type in columns)
        con.execute(f"INSERT INTO {quote(table)} SELECT {casts} FROM _incoming")
    finally:
        con.unregister("_incoming")
    return len(rows)


def registry_to_duckdb(
    con: duckdb.DuckDBPyConnection,
    *,
    tables: Iterable[str] | None = None,
    scope_prefix: str | None = None,
    progress: ProgressFn | None = None,
) -> dict[str, int]:
    """Copy the registry (all tables by default) into `con`; every interface table exists afterwards."""
    create_empty_tables(con)
    names = list(tables) if tables is not None else list(REGISTRY)
    counts: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        con.execute(f"DELETE FROM {quote(name)}")
        counts[name] = table_to_duckdb(con, name, scope_prefix=scope_prefix)
        if progress:
            progress(name, i, len(names))
    return counts
