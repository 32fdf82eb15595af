"""Shared helpers: run one value through both normalisers, write delivery files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from jiandu.analytics.contract import Column
from jiandu.analytics.intake import CellValueError, normalise_value
from jiandu.analytics.intake.expressions import normalise_column

VALID_USCC = "91350100M000100Y43"
VALID_ID = "11010519491231002X"


def scalar(column: Column, raw: str | None, *, in_wan: bool = False) -> tuple[object, str | None]:
    try:
        return normalise_value(column, raw, in_wan=in_wan), None
    except CellValueError as exc:
        return None, exc.reason


def vectorised(
    column: Column, values: list[str | None], *, in_wan: bool = False
) -> list[tuple[object, str | None]]:
    result = normalise_column(pl.Series("raw", values, dtype=pl.String), column, in_wan=in_wan)
    pairs = zip(result["typed"].to_list(), result["reason"].to_list(), strict=True)
    return [(None if reason else typed, reason) for typed, reason in pairs]


def both(column: Column, raw: str | None) -> tuple[object, str | None]:
    """(value, reason) — asserting the vectorised path agrees with the scalar reference."""
    expected = scalar(column, raw)
    assert vectorised(column, [raw]) == [expected], raw
    return expected


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
