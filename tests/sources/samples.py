"""Tiny valid deliveries built from the contract itself, so every table is covered without hand-written data.

`sample_rows` gives normalised Python values per contract column; `sample_sheet` wraps them in an object with
the shape of `jiandu.analytics.intake.Sheet` (used until the reader is merged, and to test storage alone);
`sample_csv` writes them as a delivered CSV with Chinese headers for end-to-end tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from jiandu.analytics.contract import Table, load_contract
from tests.builders import COUNTY_A, make_id, make_uscc

POLARS_TYPES = {
    "date": pl.Date,
    "money": pl.Decimal(18, 2),
    "int": pl.Int64,
    "bool": pl.Boolean,
    "list": pl.List(pl.Utf8),
}


@dataclass(frozen=True)
class Cell:
    row: int
    column: str | None
    header: str | None
    value: str
    reason: str


@dataclass
class FakeSheet:
    source_file: str
    sheet: str
    table: str
    encoding: str
    header_map: dict[str, str]
    valid: pl.DataFrame
    errors: list[Cell] = field(default_factory=list)
    total_rows: int = 0


def sample_value(kind: str, values: tuple[str, ...], n: int, salt: int = 0) -> Any:
    if kind == "id_number":
        return make_id(seq=n + 1)
    if kind == "uscc":
        return make_uscc(serial=n + 1)
    if kind == "region":
        return COUNTY_A
    if kind == "date":
        return dt.date(2024, 1, 1) + dt.timedelta(days=n + salt)
    if kind == "money":
        return decimal.Decimal(f"{1000 + n + salt}.50")
    if kind == "int":
        return n + 1 + salt
    if kind == "bool":
        return n % 2 == 0
    if kind == "enum":
        return values[n % len(values)]
    if kind == "list":
        return [f"领域{n}", "交通"]
    return f"内容{n}-{salt}"


def sample_rows(table: Table, count: int = 3, salt: int = 0) -> list[dict[str, Any]]:
    """`count` rows with distinct natural keys; `salt` changes non-key values (to test updates)."""
    rows = []
    for n in range(count):
        row = {}
        for column in table.columns:
            varies = salt if column.key not in table.key else 0
            row[column.key] = sample_value(column.type, column.values, n, varies)
        rows.append(row)
    return rows


def sample_frame(table: Table, rows: list[dict[str, Any]], first_row: int = 2) -> pl.DataFrame:
    schema: dict[str, Any] = {"_row": pl.Int64}
    for column in table.columns:
        schema[column.key] = POLARS_TYPES.get(column.type, pl.Utf8)
    data = [{"_row": first_row + i, **row} for i, row in enumerate(rows)]
    return pl.DataFrame(data, schema=schema)


def sample_sheet(
    table_name: str, rows: list[dict[str, Any]], errors: list[Cell] | None = None, file: str = "sample.csv"
) -> FakeSheet:
    table = load_contract()[table_name]
    errors = errors or []
    return FakeSheet(
        source_file=file,
        sheet="",
        table=table_name,
        encoding="utf-8",
        header_map={c.zh: c.key for c in table.columns},
        valid=sample_frame(table, rows),
        errors=errors,
        total_rows=len(rows) + len({e.row for e in errors}),
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def sample_csv(path: Path, table_name: str, rows: list[dict[str, Any]]) -> Path:
    table = load_contract()[table_name]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.zh for c in table.columns])
        for row in rows:
            writer.writerow([_cell(row[c.key]) for c in table.columns])
    return path
