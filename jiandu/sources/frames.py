"""Validated sheet frames → rows ready for the staging table, with a stable content digest per row.

Both databases accept the same plain forms (ISO dates, decimal strings, JSON text for lists), so one
conversion serves SQLite's executemany and PostgreSQL's COPY. The digest (`row_hash`) is what makes a
re-delivery idempotent: a row whose normalised values did not change is left alone.

Resident IDs leave memory only in their protected forms (jiandu/analytics/idcolumns.py): the frame carries
`X_hash`, `X_enc`, `X_masked` instead of `X`, and the digest is taken over the keyed hash, not the ID (an
unkeyed digest of a row holding an ID could be brute-forced back to it).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import polars as pl

from jiandu.analytics.contract import Table
from jiandu.analytics.idcolumns import id_columns, stored_columns
from jiandu.security.idnumbers import id_hashes, protect_values

# Unit separator and a null marker that cannot occur in normalised text (control characters are stripped).
_SEPARATOR = "\x1f"
_NULL = "\x00"

PROVENANCE_COLUMNS = ("source_row", "row_hash", "source_file")


def _json_list(values: pl.Series | Sequence[str | None] | None) -> str | None:
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


def _protected(table: Table, valid: pl.DataFrame) -> tuple[dict[str, pl.Series], dict[str, pl.Series]]:
    """(stored columns, digest texts) of the table's ID columns, computed in one pass per column."""
    stored: dict[str, pl.Series] = {}
    digests: dict[str, pl.Series] = {}
    for key, spec in id_columns(table.name).items():
        if spec.kind == "list":
            lists = valid[key].to_list()
            items = [v for values in lists if values for v in values]
            protected, _ = protect_values(items)  # every item of a list column is hashed
            hashes, tokens, masks = [], [], []
            at = 0
            for values in lists:
                n = len(values) if values else 0
                hashes.append(_json_list(protected.hashes[at : at + n]) if values is not None else None)
                tokens.append(_json_list(protected.tokens[at : at + n]) if values is not None else None)
                masks.append(_json_list(protected.masked[at : at + n]) if values is not None else None)
                at += n
            for name, column in ((spec.hash, hashes), (spec.enc, tokens), (spec.masked, masks)):
                stored[name] = pl.Series(name, column, dtype=pl.Utf8)
            digests[key] = stored[spec.hash].alias(key)
            continue
        values = valid[key].to_list()
        protected, plain = protect_values(values, mixed=spec.kind == "mixed")
        if spec.kind == "mixed":
            stored[spec.code] = pl.Series(spec.code, plain, dtype=pl.Utf8)
        stored[spec.hash] = pl.Series(spec.hash, protected.hashes, dtype=pl.Utf8)
        stored[spec.enc] = pl.Series(spec.enc, protected.tokens, dtype=pl.Utf8)
        stored[spec.masked] = pl.Series(spec.masked, protected.masked, dtype=pl.Utf8)
        # the digest takes the keyed hash; a mixed value that is no ID (so has no stored hash) is hashed for it
        pairs = list(zip(values, plain, protected.hashes, strict=True))
        keyed = id_hashes(v for v, code, h in pairs if v and code is None and h is None)
        digests[key] = pl.Series(key, [code or h or keyed.get(v) for v, code, h in pairs], dtype=pl.Utf8)
    return stored, digests


def row_digest_texts(table: Table, valid: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, pl.Series]]:
    """The texts the row digest is taken over (IDs as keyed hashes), and the protected stored columns."""
    stored, digests = _protected(table, valid)
    texts = valid.select(
        [
            pl.lit(None, dtype=pl.Utf8).alias(k) if k in digests else _as_text(table, k).alias(k)
            for k in table.column_keys
        ]
    ).with_columns(list(digests.values()))
    return texts, stored


def staging_frame(table: Table, valid: pl.DataFrame) -> pl.DataFrame:
    """Stored columns in contract order (lists as JSON text, IDs protected, the rest typed), `source_row`, `row_hash` and
    `source_file` — null (the delivery's file) unless the sheet names a file per row in `_source_file`, as an
    OCDS import does when one delivery gathers processes read from many files."""
    keys = list(table.column_keys)
    missing = [k for k in keys if k not in valid.columns]
    if missing:
        raise ValueError(f"sheet frame lacks columns {missing} of table {table.name}")
    texts, stored = row_digest_texts(table, valid)
    lists = [c.key for c in table.columns if c.type == "list" and c.key not in stored]
    plain = [k for k in keys if k not in id_columns(table.name)]
    frame = valid.select(plain).with_columns([texts[k] for k in lists])
    frame = frame.with_columns(list(stored.values())).select(stored_columns(table.name))
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
