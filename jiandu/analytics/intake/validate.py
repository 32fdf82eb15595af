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
# An amount the fast path may cast directly: no sign, unit or separator, at most 2 decimals, in range.
PLAIN_AMOUNT = r"^[0-9]{1,16}(?:\.[0-9]{1,2})?$"

DTYPES: dict[str, pl.DataType] = {
    "id_number": pl.String(),
    "uscc": pl.String(),
    "region": pl.String(),
    "text": pl.String(),
    "enum": pl.String(),
    "date": pl.Date(),
    "money": expressions.MONEY_DTYPE,
    "int": pl.Int64(),
    "bool": pl.Boolean(),
    "list": pl.List(pl.String),
}


def empty_valid(table: Table) -> pl.DataFrame:
    """The valid-rows frame of a table with no rows (the schema the store can rely on)."""
    schema: dict[str, pl.DataType] = {"_row": pl.Int64()}
    schema.update((column.key, DTYPES[column.type]) for column in table.columns)
    return pl.DataFrame(schema=schema)


def check_rows(
    raw: pl.DataFrame,
    table: Table,
    header_map: dict[str, str],
    in_wan: frozenset[str] | set[str] = frozenset(),
) -> tuple[pl.DataFrame, list[CellError], int]:
    """Normalise and validate `raw` (`_row` + contract keys as strings; absent optional columns allowed).

    Returns the valid rows (`_row` + every contract column, typed), the errors ordered by row, and the
    number of data rows. A row left with no value in any column is not data (Excel leaves blank rows
    around tables): it is neither valid nor rejected nor counted."""
    header_of = {key: header for header, key in header_map.items()}
    results: dict[str, pl.DataFrame] = {}
    for column in table.columns:
        if column.key in raw.columns:
            results[column.key] = _normalise(raw[column.key].cast(pl.String), column, column.key in in_wan)
    blank = pl.all_horizontal(r["empty"] for r in results.values()) if results else None
    keep = raw.select(~blank).to_series() if blank is not None else pl.repeat(False, raw.height, eager=True)
    rows = raw["_row"].filter(keep)
    bad = pl.repeat(False, rows.len(), eager=True)
    errors: list[CellError] = []
    typed: dict[str, pl.Series] = {"_row": rows}
    for column in table.columns:
        if column.key in results:
            result = results[column.key].filter(keep)
        else:
            result = _normalise(pl.repeat(None, rows.len(), dtype=pl.String, eager=True), column, False)
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
    valid = pl.DataFrame(typed).filter(~bad)
    valid, duplicate_errors = _drop_duplicate_keys(valid, raw, table)
    errors += duplicate_errors
    order = {c.key: i for i, c in enumerate(table.columns)}
    errors.sort(key=lambda e: (e.row, order.get(e.column or "", len(order))))
    return valid, errors, rows.len()


def _normalise(delivered: pl.Series, column: Column, in_wan: bool) -> pl.DataFrame:
    """`raw`, `typed`, `reason`, `empty` for one column. Codes, dates and enum values repeat a lot (a few
    hundred paying units in a million payments), so when a sample shows many repeats, each distinct value
    is normalised once and joined back. Plain amounts ("1234.50") are cast directly; only the other forms
    take the full money path."""
    sample = delivered.head(SAMPLE_ROWS)
    if column.type != "text" and sample.len() == SAMPLE_ROWS and sample.n_unique() * 2 < SAMPLE_ROWS:
        distinct = expressions.normalise_column(delivered.unique(), column, in_wan=in_wan)
        return delivered.to_frame("raw").join(
            distinct, on="raw", how="left", nulls_equal=True, maintain_order="left"
        )
    if column.type == "money" and not in_wan:
        return _money(delivered, column)
    return expressions.normalise_column(delivered, column, in_wan=in_wan)


def _money(delivered: pl.Series, column: Column) -> pl.DataFrame:
    simple = delivered.str.contains(PLAIN_AMOUNT).fill_null(False)
    if not simple.any():
        return expressions.normalise_column(delivered, column)
    index = pl.int_range(delivered.len(), eager=True, dtype=pl.UInt32).alias("i")
    fast = pl.DataFrame(
        {
            "i": index.filter(simple),
            "raw": delivered.filter(simple),
        }
    ).with_columns(
        pl.col("raw").cast(expressions.MONEY_DTYPE).alias("typed"),
        pl.lit(None, dtype=pl.String).alias("reason"),
        pl.lit(False).alias("empty"),
    )
    if simple.all():
        return fast.drop("i")
    rest = expressions.normalise_column(delivered.filter(~simple), column)
    rest = rest.with_columns(index.filter(~simple)).select(fast.columns)
    return pl.concat([fast, rest]).sort("i").drop("i")


def _drop_duplicate_keys(
    valid: pl.DataFrame, passed: pl.DataFrame, table: Table
) -> tuple[pl.DataFrame, list[CellError]]:
    """A later row repeating an earlier row's natural key is rejected: which one should win is the
    department's call, not the importer's."""
    keys = list(table.key)
    identity = pl.col(keys[0]) if len(keys) == 1 else pl.struct(keys)
    # distinct 64-bit hashes prove distinct keys, and cost a fraction of hashing the strings into a set
    if valid.select(identity.hash().n_unique()).item() == valid.height:
        return valid, []
    first_seen = valid.select(identity.is_first_distinct()).to_series()
    if first_seen.all():
        return valid, []
    firsts = valid.filter(first_seen).select(*keys, pl.col("_row").alias("__first"))
    duplicate = valid.filter(~first_seen).join(firsts, on=keys, how="left", nulls_equal=True)
    delivered = passed.filter(pl.col("_row").is_in(duplicate["_row"].implode())).select(
        "_row", pl.concat_str([pl.col(k).fill_null("") for k in keys], separator=" / ").alias("__key")
    )
    key_text = dict(delivered.iter_rows())
    errors = [
        CellError(row, None, None, key_text.get(row, "")[:VALUE_CHARS], f"主键与第{first_row}行重复")
        for row, first_row in duplicate.select("_row", "__first").iter_rows()
    ]
    return valid.filter(first_seen), errors
