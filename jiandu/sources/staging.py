"""Staging tables: a delivery's rows, loaded on the connection before the registry is touched.

Two temporary tables (private to the connection, gone at its end):

- the key stage, `jiandu_stage_keys`: every valid row's natural key, content digest and position in the
  sheet's frame. It is loaded outside the delivery's transaction (the page shows progress meanwhile) and is
  all the merge needs to count new, changed and unchanged rows: a million-row file delivered again unchanged
  is compared on three narrow columns and nothing else is sent to the database.
- the row stage, `jiandu_stage`: the full rows of new or changed records only, loaded inside the merge
  transaction when a delivery mixes new, changed and unchanged rows (jiandu/sources/merge.py).

On PostgreSQL a first delivery of a table (every key new) skips the row stage and is COPied straight into
the registry (`frame_write` with the registry table as target); on SQLite it is staged whole, which measured
faster there than inserting into the indexed registry table directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from jiandu.analytics.contract import Table
from jiandu.analytics.idcolumns import key_columns, stored_columns
from jiandu.registry.frames import PROVENANCE_COLUMNS
from jiandu.registry.models import registry_model
from jiandu.sources.pgcopy import copy_frame

STAGE = "jiandu_stage"
KEYS = "jiandu_stage_keys"
POSITION = "frame_pos"  # the row's index in the sheet's frame (source_row is not unique across an OCDS batch)
CHUNK_ROWS = 100_000
COPY_CHUNK_ROWS = 20_000  # rendered while the server stores the previous chunk; 100,000 left it idle longer
_EXTRA_TYPES = {
    "source_row": "integer",
    "row_hash": "varchar(64)",
    "source_file": "varchar(255)",
    POSITION: "integer",
}


def stage_columns(table: Table) -> list[str]:
    return [*stored_columns(table.name), *PROVENANCE_COLUMNS]


def key_stage_columns(table: Table) -> list[str]:
    return [*key_columns(table.name), "row_hash", POSITION]


def stage_create(
    connection: BaseDatabaseWrapper, table: Table, name: str = STAGE, columns: Sequence[str] | None = None
) -> str:
    """(Re)create the temporary table `name` with the registry's column types; returns its name."""
    defs = column_definitions(connection, table, columns if columns is not None else stage_columns(table))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({defs})")
    return name


def column_definitions(connection: BaseDatabaseWrapper, table: Table, columns: Sequence[str]) -> str:
    """`"col" type, …` for `columns` typed as in the registry table (stage-only columns by _EXTRA_TYPES)."""
    model = registry_model(table.name)
    q = connection.ops.quote_name
    return ", ".join(
        f"{q(key)} {_EXTRA_TYPES.get(key) or model._meta.get_field(key).db_type(connection)}"
        for key in columns
    )


def _sqlite_rows(table: Table | None, frame: pl.DataFrame) -> list[tuple[Any, ...]]:
    text_types = ("date", "money")
    columns = table.columns if table is not None else ()
    casts = [pl.col(c.key).cast(pl.Utf8) for c in columns if c.type in text_types and c.key in frame]
    return frame.with_columns(casts).rows() if casts else frame.rows()


def frame_write(
    connection: BaseDatabaseWrapper,
    table: Table | None,
    target: str,
    columns: Sequence[str],
    frame: pl.DataFrame,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Append `frame`'s `columns` to `target` (a staging table, or the registry table for a first delivery):
    COPY on PostgreSQL, batched INSERTs on SQLite (where `table`'s dates and amounts go as text)."""
    frame = frame.select(list(columns))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_frame(cursor, target, columns, frame, COPY_CHUNK_ROWS)
        if progress is not None:
            progress(frame.height)
        return
    q = connection.ops.quote_name
    insert = (
        f"INSERT INTO {target} ({', '.join(q(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    done = 0
    for offset in range(0, frame.height, CHUNK_ROWS):
        chunk = frame.slice(offset, CHUNK_ROWS)
        # Inside a caller's transaction this only makes a savepoint; outside, it batches the writes.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, _sqlite_rows(table, chunk))
        done += chunk.height
        if progress is not None:
            progress(done)


def stage_load(
    connection: BaseDatabaseWrapper,
    table: Table,
    frame: pl.DataFrame,
    progress: Callable[[int], None] | None = None,
    name: str = STAGE,
    columns: Sequence[str] | None = None,
) -> None:
    """Load a staging table in chunks, reporting the rows staged so far; then give the planner its size."""
    frame_write(connection, table, name, columns or stage_columns(table), frame, progress)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {name}")


def stage_drop(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"DROP TABLE IF EXISTS {KEYS}")
