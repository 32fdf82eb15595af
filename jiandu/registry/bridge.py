"""Registry → DuckDB: the hand-over from the transactional store to the analytical engine.

Rows move through Arrow (never through DuckDB's sqlite/postgres scanner extensions, which download at run
time). The target shape is the analytics interface (`jiandu.analytics.duck`): one table per contract table
named as in the contract, contract column keys, `_rid` = the registry row id. Type differences between the
databases (SQLite returns dates as text and JSON lists as text) are settled here, once, with DuckDB casts.

DuckDB receives no plaintext ID: a protected column `X` (jiandu/analytics/idcolumns.py) arrives as its keyed
hash under the name `X` (a mixed column as the hash or, for a company, its uscc), so rules join on equality
exactly as before. What resolution needs from inside an ID (gender, region) is read from the masked form into
the `id_facts` table; the birth date is not (with the masked form it would give the whole ID back).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import duckdb
import pyarrow as pa
from django.db import connection

from jiandu.analytics.duck import create_empty_tables, quote, table_columns
from jiandu.analytics.idcolumns import id_columns
from jiandu.registry.ids import hash_sources
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


def _source(table: str, name: str) -> str:
    """The registry expression behind analytics column `name`: the hash for a protected ID column."""
    q = connection.ops.quote_name
    if name == "_rid":
        return "id"
    spec = id_columns(table).get(name)
    if spec is None:
        return q(name)
    if spec.kind == "mixed":
        return f"COALESCE({q(spec.hash)}, {q(spec.code)})"
    return q(spec.hash)


def _gender(masked: str) -> str | None:
    """GB 11643: the 17th character (kept by the mask) is odd for men, even for women."""
    if len(masked) == 18 and masked[16].isdigit():
        return "男" if int(masked[16]) % 2 else "女"
    return None


def id_facts_to_duckdb(con: duckdb.DuckDBPyConnection) -> int:
    """Fill `id_facts` (hash, gender, region) from the masked forms of every ID column; returns its size."""
    q = connection.ops.quote_name
    facts: dict[str, tuple[str | None, str]] = {}
    with connection.cursor() as cursor:
        for table, spec in hash_sources():
            cursor.execute(
                f"SELECT DISTINCT {q(spec.hash)}, {q(spec.masked)} FROM {REGISTRY[table]._meta.db_table} "
                f"WHERE {q(spec.hash)} IS NOT NULL"
            )
            for digest, masked in cursor.fetchall():
                if digest not in facts and masked:
                    facts[digest] = (_gender(masked), masked[:6])
    con.execute("DELETE FROM id_facts")
    if facts:
        arrow = pa.table(
            {
                "id_number": pa.array(list(facts), pa.string()),
                "gender": pa.array([f[0] for f in facts.values()], pa.string()),
                "region": pa.array([f[1] for f in facts.values()], pa.string()),
            }
        )
        con.register("_facts", arrow)
        try:
            con.execute("INSERT INTO id_facts SELECT * FROM _facts")
        finally:
            con.unregister("_facts")
    return len(facts)


def table_to_duckdb(con: duckdb.DuckDBPyConnection, table: str, *, scope_prefix: str | None = None) -> int:
    """Copy one registry table into the DuckDB table of the same name; returns the row count."""
    model = REGISTRY[table]
    columns = table_columns(table)
    sql = f"SELECT {', '.join(_source(table, name) for name, _ in columns)} FROM {model._meta.db_table}"
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
    id_facts_to_duckdb(con)
    return counts
