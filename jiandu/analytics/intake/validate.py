"""From delivered strings to typed, validated rows: the one declarative importer for all 23 tables.

Every table goes through the same two polars stages driven by its contract columns (clean, then type and
check), so a new column or table needs a contract edit only. Rejected cells become `CellError`s; a row
with any rejected cell is left out of the valid rows but never blocks the others.
"""

from __future__ import annotations

import polars as pl

from jiandu.analytics.contract import Table
from jiandu.analytics.intake import expressions
from jiandu.analytics.intake.model import CellError

VALUE_CHARS = 100

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


def _cleaned(key: str) -> str:
    return f"__clean_{key}"


def _reason(key: str) -> str:
    return f"__reason_{key}"


def _typed(key: str) -> str:
    return f"__typed_{key}"


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
    missing = [pl.lit(None, dtype=pl.String).alias(c.key) for c in table.columns if c.key not in raw.columns]
    frame = raw.with_columns(missing) if missing else raw
    frame = frame.with_columns(pl.col(c.key).cast(pl.String) for c in table.columns)
    stage_two = []
    for column in table.columns:
        typed, reason = expressions.typed_and_reason(column, pl.col(_cleaned(column.key)))
        stage_two += [typed.alias(_typed(column.key)), reason.alias(_reason(column.key))]
    checked = (
        frame.lazy()
        .with_columns(expressions.clean(c, pl.col(c.key)).alias(_cleaned(c.key)) for c in table.columns)
        .with_columns(stage_two)
        .collect()
    )
    errors: list[CellError] = []
    for column in table.columns:
        failing = checked.filter(pl.col(_reason(column.key)).is_not_null())
        for row, value, reason in failing.select("_row", column.key, _reason(column.key)).iter_rows():
            errors.append(
                CellError(row, column.key, header_of.get(column.key), (value or "")[:VALUE_CHARS], reason)
            )
    bad = pl.any_horizontal(pl.col(_reason(c.key)).is_not_null() for c in table.columns)
    passed = checked.filter(~bad)
    valid = passed.select("_row", *(pl.col(_typed(c.key)).alias(c.key) for c in table.columns))
    valid, duplicate_errors = _drop_duplicate_keys(valid, passed, table)
    errors += duplicate_errors
    order = {c.key: i for i, c in enumerate(table.columns)}
    errors.sort(key=lambda e: (e.row, order.get(e.column or "", len(order))))
    return valid, errors


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
