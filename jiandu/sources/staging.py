"""The staging table: a delivery's valid rows, loaded before any registry row is touched.

Staging happens outside the delivery's transaction (a temporary table is private to the connection), so the
page can show progress while it runs and a crash during staging leaves nothing behind. The merge that follows
(jiandu/sources/merge.py) is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from jiandu.analytics.contract import Table
from jiandu.analytics.idcolumns import stored_columns
from jiandu.registry.models import registry_model
from jiandu.sources.frames import PROVENANCE_COLUMNS

STAGE = "jiandu_stage"
CHUNK_ROWS = 100_000


def stage_columns(table: Table) -> list[str]:
    return [*stored_columns(table.name), *PROVENANCE_COLUMNS]


def stage_create(connection: BaseDatabaseWrapper, table: Table) -> str:
    """(Re)create the temp staging table with the registry's column types; returns its name."""
    model = registry_model(table.name)
    q = connection.ops.quote_name
    defs = []
    for key in stored_columns(table.name):
        db_type = model._meta.get_field(key).db_type(connection)
        defs.append(f"{q(key)} {db_type}")
    defs += ["source_row integer", "row_hash varchar(64)", "source_file varchar(255)"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({', '.join(defs)})")
    return STAGE


def _sqlite_rows(table: Table, frame: pl.DataFrame) -> list[tuple[Any, ...]]:
    text_types = ("date", "money")
    casts = [pl.col(c.key).cast(pl.Utf8) for c in table.columns if c.type in text_types]
    return frame.with_columns(casts).rows() if casts else frame.rows()


def stage_load(
    connection: BaseDatabaseWrapper,
    table: Table,
    frame: pl.DataFrame,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Load the staging frame in chunks, reporting the rows staged so far."""
    columns = stage_columns(table)
    if connection.vendor == "postgresql":
        from jiandu.sources.pgcopy import copy_frame

        with connection.cursor() as cursor:
            copy_frame(cursor, STAGE, columns, frame, CHUNK_ROWS)
            cursor.execute(f"ANALYZE {STAGE}")
        if progress is not None:
            progress(frame.height)
        return
    q = connection.ops.quote_name
    insert = (
        f"INSERT INTO {STAGE} ({', '.join(q(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    done = 0
    for offset in range(0, frame.height, CHUNK_ROWS):
        chunk = frame.slice(offset, CHUNK_ROWS)
        # One transaction per chunk only batches the temp-table writes; the registry is not touched here.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, _sqlite_rows(table, chunk.select(columns)))
        done += chunk.height
        if progress is not None:
            progress(done)


def stage_drop(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
