"""Validated sheet frames → rows ready for the staging table, with a stable content digest per row.

Both databases accept the same plain forms (ISO dates, decimal strings, JSON text for lists), so one
conversion serves SQLite's executemany and PostgreSQL's COPY. The digest (`row_hash`) is what makes a
re-delivery idempotent: a row whose normalised values did not change is left alone.
"""

from __future__ import annotations

import json

import polars as pl

from jiandu.analytics.contract import Table

# Unit separator and a null marker that cannot occur in normalised text (control characters are stripped).
_SEPARATOR = "\x1f"
_NULL = "\x00"

PROVENANCE_COLUMNS = ("source_row", "row_hash", "source_file")


def _json_list(values: pl.Series | None) -> str | None:
    if values is None:
        return None
    return json.dumps(list(values), ensure_ascii=False)


def _as_text(table: Table, name: str) -> pl.Expr:
    column = table.column(name)
    expr = pl.col(name)
    if column.type == "list":
        return expr.map_elements(_json_list, return_dtype=pl.Utf8, skip_nulls=False)
    if column.type == "bool":
        return pl.when(expr).then(pl.lit("true")).when(~expr).then(pl.lit("false")).otherwise(None)
    return expr.cast(pl.Utf8)


def row_digests(texts: pl.DataFrame) -> pl.Series:
    """SHA-256 of the row's normalised values; stable across library versions (unlike polars' hash).

    The values are joined with the unit separator (null as NUL) and hashed as UTF-8, the digest written as
    64 hex digits: the same bytes whichever engine hashes them. DuckDB's `sha256` does it vectorised on all
    cores (about half the CPU of hashlib called per row from Python, tests/sources/test_frames.py checks the
    two agree)."""
    import duckdb

    values = ", ".join(f'coalesce("{name}", chr({ord(_NULL)}))' for name in texts.columns)
    con = duckdb.connect()
    try:
        con.register("texts", texts)
        digests = con.sql(
            f"SELECT sha256(concat_ws(chr({ord(_SEPARATOR)}), {values})) AS row_hash FROM texts"
        )
        return pl.Series("row_hash", digests.to_arrow_table().column("row_hash"), dtype=pl.Utf8)
    finally:
        con.close()


def staging_frame(table: Table, valid: pl.DataFrame) -> pl.DataFrame:
    """Contract columns in contract order (lists as JSON text, the rest typed), `source_row`, `row_hash` and
    `source_file` — null (the delivery's file) unless the sheet names a file per row in `_source_file`, as an
    OCDS import does when one delivery gathers processes read from many files."""
    keys = list(table.column_keys)
    missing = [k for k in keys if k not in valid.columns]
    if missing:
        raise ValueError(f"sheet frame lacks columns {missing} of table {table.name}")
    texts = valid.select([_as_text(table, k).alias(k) for k in keys])
    lists = [c.key for c in table.columns if c.type == "list"]
    frame = valid.select(keys).with_columns([texts[k] for k in lists]) if lists else valid.select(keys)
    per_row_file = (
        valid["_source_file"].cast(pl.Utf8)
        if "_source_file" in valid.columns
        else pl.repeat(None, valid.height, dtype=pl.Utf8, eager=True)
    )
    return frame.with_columns(
        valid["_row"].cast(pl.Int64).alias("source_row"),
        row_digests(texts),
        per_row_file.alias("source_file"),
    )
