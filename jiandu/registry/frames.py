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

import duckdb
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


def _distinct_protected(values: pl.Series, *, mixed: bool) -> pl.DataFrame:
    """The protected forms of each distinct value of an ID column, one row per value, to join back.

    Hashing and encrypting happen once per distinct value (a payments file repeats a few thousand payees a
    million times); the join that spreads them over the rows is polars' work, not a Python loop per row.
    The digest text is the keyed hash — for a mixed column's uscc its readable code, and for a mixed value
    that is neither (stored unhashed) its keyed hash all the same — so no row digest is taken over an ID."""
    present = values.cast(pl.Utf8).drop_nulls().unique()
    distinct = present.filter(present != "").to_list()
    protected, plain = protect_values(distinct, mixed=mixed)
    keyed = id_hashes(
        v for v, code, h in zip(distinct, plain, protected.hashes, strict=True) if code is None and h is None
    )
    digest = [code or h or keyed.get(v) for v, code, h in zip(distinct, plain, protected.hashes, strict=True)]
    text = pl.Utf8
    return pl.DataFrame(
        {
            "value": pl.Series(distinct, dtype=text),
            "code": pl.Series(plain, dtype=text),
            "hash": pl.Series(protected.hashes, dtype=text),
            "token": pl.Series(protected.tokens, dtype=text),
            "masked": pl.Series(protected.masked, dtype=text),
            "digest": pl.Series(digest, dtype=text),
        }
    )


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
        forms = _distinct_protected(valid[key], mixed=spec.kind == "mixed")
        mapped = valid.select(pl.col(key).cast(pl.Utf8).alias("value")).join(
            forms, on="value", how="left", maintain_order="left"
        )
        if spec.kind == "mixed":
            stored[spec.code] = mapped["code"].alias(spec.code)
        stored[spec.hash] = mapped["hash"].alias(spec.hash)
        stored[spec.enc] = mapped["token"].alias(spec.enc)
        stored[spec.masked] = mapped["masked"].alias(spec.masked)
        digests[key] = mapped["digest"].alias(key)
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
