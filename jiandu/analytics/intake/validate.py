"""From delivered strings to typed, validated rows: the one declarative importer for all 23 tables.

Every table goes through the same two polars stages driven by its contract columns (clean, then type and
check), so a new column or table needs a contract edit only. Rejected cells become `CellError`s; a row
with any rejected cell is left out of the valid rows but never blocks the others.
"""

from __future__ import annotations

import polars as pl

from jiandu.analytics.contract import Column, Table
from jiandu.analytics.intake import expressions
from jiandu.analytics.intake.model import CellError

VALUE_CHARS = 100
SAMPLE_ROWS = 10_000

_DTYPES = {
    "id_number": pl.String,
    "uscc": pl.String,
    "region": pl.String,
    "text": pl.String,
    "enum": pl.String,
    "date": pl.Date,
    "money": expressions.MONEY_DTYPE,
    "int": pl.Int64,
    "bool": pl.Boolean,
    "list": pl.List(pl.String),
}


def empty_valid(table: Table) -> pl.DataFrame:
    """The valid-rows frame of a table with no rows (the schema the store can rely on)."""
    schema: dict[str, pl.DataType] = {"_row": pl.Int64()}
    for column in table.columns:
        schema[column.key] = _DTYPES[column.type]()  # type: ignore[operator]
    return pl.DataFrame(schema=schema)


def drop_blank_rows(raw: pl.DataFrame) -> pl.DataFrame:
    """Rows whose every cell is empty or blank are not data (Excel leaves them around tables)."""
    cells = [c for c in raw.columns if c != "_row"]
    if not cells:
        return raw.clear()
    blank = pl.all_horizontal(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in cells)
    return raw.filter(~blank)


def check_rows(
    raw: pl.DataFrame, table: Table, header_map: dict[str, str]
) -> tuple[pl.DataFrame, list[CellError]]:
    """Normalise and validate `raw` (`_row` + contract keys as strings; absent optional columns allowed).

    Returns the valid rows (`_row` + every contract column, typed) and the errors, ordered by row."""
    header_of = {key: header for header, key in header_map.items()}
    rows = raw["_row"]
    typed: dict[str, pl.Series] = {"_row": rows}
    bad = pl.Series([False] * raw.height, dtype=pl.Boolean)
    errors: list[CellError] = []
    for column in table.columns:
        if column.key in raw.columns:
            delivered = raw[column.key].cast(pl.String)
        else:
            delivered = pl.Series(column.key, [None] * raw.height, dtype=pl.String)
        result = _normalise(delivered, column)
        failing = result["reason"].is_not_null()
        if failing.any():
            bad = bad | failing
            picked = pl.DataFrame({"_row": rows, "raw": result["raw"], "reason": result["reason"]}).filter(
                failing
            )
            header = header_of.get(column.key)
            errors += [
                CellError(row, column.key, header, (value or "")[:VALUE_CHARS], reason)
                for row, value, reason in picked.iter_rows()
            ]
        typed[column.key] = result["typed"].alias(column.key)
    checked = pl.DataFrame(typed)
    valid = checked.filter(~bad)
    passed = raw.filter(~bad)
    valid, duplicate_errors = _drop_duplicate_keys(valid, passed, table)
    errors += duplicate_errors
    order = {c.key: i for i, c in enumerate(table.columns)}
    errors.sort(key=lambda e: (e.row, order.get(e.column or "", len(order))))
    return valid, errors


def _normalise(delivered: pl.Series, column: Column) -> pl.DataFrame:
    """`raw`, `typed`, `reason` for one column. Codes, dates and enum values repeat a lot (a few hundred
    paying units in a million payments), so when a sample shows many repeats, each distinct value is
    normalised once and joined back."""
    sample = delivered.head(SAMPLE_ROWS)
    if column.type != "text" and sample.len() == SAMPLE_ROWS and sample.n_unique() * 2 < SAMPLE_ROWS:
        distinct = expressions.normalise_column(delivered.unique(), column)
        return delivered.to_frame("raw").join(
            distinct, on="raw", how="left", nulls_equal=True, maintain_order="left"
        )
    return expressions.normalise_column(delivered, column)


def _drop_duplicate_keys(
    valid: pl.DataFrame, passed: pl.DataFrame, table: Table
) -> tuple[pl.DataFrame, list[CellError]]:
    """A later row repeating an earlier row's natural key is rejected: which one should win is the
    department's call, not the importer's."""
    keys = list(table.key)
    first = pl.col("_row").min().over(keys, mapping_strategy="group_to_rows").alias("__first")
    marked = valid.with_columns(first)
    duplicate = marked.filter(pl.col("__first") != pl.col("_row"))
    if duplicate.is_empty():
        return valid, []
    delivered = passed.filter(pl.col("_row").is_in(duplicate["_row"].implode())).select(
        "_row", pl.concat_str([pl.col(k).fill_null("") for k in keys], separator=" / ").alias("__key")
    )
    key_text = dict(delivered.iter_rows())
    errors = [
        CellError(row, None, None, key_text.get(row, "")[:VALUE_CHARS], f"主键与第{first_row}行重复")
        for row, first_row in duplicate.select("_row", "__first").iter_rows()
    ]
    return marked.filter(pl.col("__first") == pl.col("_row")).drop("__first"), errors
