"""Plain builders: an analytics DuckDB shaped as analytics-interface.md says, filled from small dicts."""

from __future__ import annotations

import duckdb

from jiandu.analytics.contract import load_contract
from jiandu.analytics.identifiers import id_check_char, uscc_check_char

DUCK_TYPES = {
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


def empty_db() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, table in load_contract().items():
        cols = ", ".join(f'"{c.key}" {DUCK_TYPES[c.type]}' for c in table.columns)
        con.execute(f'CREATE TABLE "{name}" ({cols}, _rid BIGINT)')
    return con


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> list[int]:
    """Insert rows (missing columns NULL); returns their _rid (continuing the table's numbering)."""
    keys = load_contract()[table].column_keys
    start = con.execute(f'SELECT coalesce(max(_rid), 0) FROM "{table}"').fetchall()[0][0]
    rids = []
    for i, row in enumerate(rows, start=start + 1):
        values = [row.get(k) for k in keys] + [i]
        marks = ", ".join("?" for _ in values)
        con.execute(f'INSERT INTO "{table}" VALUES ({marks})', values)
        rids.append(i)
    return rids


def make_id(region: str, birth: str, seq: int) -> str:
    """A valid 18-char id_number (birth 'YYYYMMDD', seq 0–999; odd = male)."""
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + id_check_char(first17)


def make_uscc(n: int) -> str:
    first17 = f"91110000{n:09d}"
    return first17 + uscc_check_char(first17)


def make_unit_code(n: int) -> str:
    first17 = f"11110000{n:09d}"
    return first17 + uscc_check_char(first17)
