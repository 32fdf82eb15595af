"""Set-based merge of a staged delivery into the registry, in portable SQL.

A handful of statements per delivery, whatever its size. The key stage (natural key, digest, frame position
of every valid row; jiandu/sources/staging.py) tells how many rows are new, changed and unchanged:

- nothing new or changed: nothing is written (a file delivered again);
- every key new (a first delivery), on PostgreSQL: the rows are COPied straight from the frame into the
  registry (`rows_insert`), their scope looked up per distinct scope key (jiandu/sources/scope.py);
- otherwise only the new and changed rows are staged in full, the previous values of the changed ones are
  copied into RecordVersion (one INSERT … SELECT), then one INSERT … ON CONFLICT (natural key) DO UPDATE …
  WHERE the content digest differs. SQLite (≥ 3.24) and PostgreSQL accept the same statements; only the
  JSON constructor's name differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import UniqueConstraint

from jiandu.analytics.contract import Table
from jiandu.analytics.idcolumns import id_columns, key_columns, stored_columns
from jiandu.registry.models import registry_model
from jiandu.sources.scope import scope_expression, scope_join, scope_values
from jiandu.sources.staging import KEYS, POSITION, STAGE, frame_write


@dataclass(frozen=True)
class Provenance:
    """What every row written by one delivery carries besides its own row number and digest."""

    delivery_id: int
    source_file: str  # the delivered file; a row may name its own (an OCDS batch)
    source_hash: str
    source_sheet: str
    now: dt.datetime


@dataclass(frozen=True)
class MergeCounts:
    accepted: int
    updated: int
    unchanged: int


def _json_object(connection: BaseDatabaseWrapper) -> str:
    return "json_build_object" if connection.vendor == "postgresql" else "json_object"


def _key_match(connection: BaseDatabaseWrapper, table: Table, left: str, right: str) -> str:
    q = connection.ops.quote_name
    return " AND ".join(f"{left}.{q(k)} = {right}.{q(k)}" for k in key_columns(table.name))


def merge_lock(connection: BaseDatabaseWrapper, table: Table) -> None:
    """Serialise merges into one registry table (readers are not blocked): what the key stage counted as
    new, changed or unchanged stays true until this transaction commits. SQLite has one writer anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE registry_{table.name} IN SHARE ROW EXCLUSIVE MODE")


def merge_counts(connection: BaseDatabaseWrapper, table: Table) -> MergeCounts:
    target = f"registry_{table.name}"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COUNT(t.id), "
            "COALESCE(SUM(CASE WHEN t.row_hash = s.row_hash THEN 1 ELSE 0 END), 0) "
            f"FROM {KEYS} s LEFT JOIN {target} t ON {_key_match(connection, table, 't', 's')}"
        )
        total, existing, same = cursor.fetchone()
    return MergeCounts(accepted=total - existing, updated=existing - same, unchanged=same)


def positions_to_write(connection: BaseDatabaseWrapper, table: Table) -> list[int]:
    """Frame positions of the key stage's rows that are new or whose content differs from the registry's."""
    target = f"registry_{table.name}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.{POSITION} FROM {KEYS} s LEFT JOIN {target} t "
            f"ON {_key_match(connection, table, 't', 's')} WHERE t.id IS NULL OR t.row_hash <> s.row_hash"
        )
        return [position for (position,) in cursor.fetchall()]


def _is_list(table: Table, name: str) -> bool:
    """Whether stored column `name` holds a JSON list (a list column, or a protected form of one)."""
    lists = {c.key for c in table.columns if c.type == "list"}
    for spec in id_columns(table.name).values():
        if spec.kind == "list":
            lists.update(spec.stored)
    return name in lists


def _version_value(connection: BaseDatabaseWrapper, table: Table, key: str) -> str:
    q = connection.ops.quote_name
    if _is_list(table, key) and connection.vendor != "postgresql":
        return f"json(t.{q(key)})"
    if _is_list(table, key):
        return f"t.{q(key)}"
    return f"CAST(t.{q(key)} AS TEXT)"


def versions_keep(
    connection: BaseDatabaseWrapper, table: Table, delivery_id: int, user_id: int | None, now: dt.datetime
) -> int:
    """Copy the current values of every row the staged delivery will change into RecordVersion.

    The values are the stored columns, so an ID is kept as hash, token and masked form, never in plaintext."""
    target = f"registry_{table.name}"
    build = _json_object(connection)
    values = ", ".join(f"'{k}', {_version_value(connection, table, k)}" for k in stored_columns(table.name))
    source = (
        "'delivery_id', t.delivery_id, 'source_file', t.source_file, 'source_hash', t.source_hash, "
        "'source_sheet', t.source_sheet, 'source_row', t.source_row, 'row_hash', t.row_hash"
    )
    sql = (
        'INSERT INTO registry_recordversion (table_name, record_id, "values", source, '
        "replaced_by_delivery_id, replaced_by_user_id, replaced_at) "
        f"SELECT %s, t.id, {build}({values}), {build}({source}), %s, %s, %s "
        f"FROM {target} t JOIN {STAGE} s ON {_key_match(connection, table, 't', 's')} "
        "WHERE t.row_hash <> s.row_hash"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [table.name, delivery_id, user_id, now])
        return max(cursor.rowcount, 0)


def rows_upsert(
    connection: BaseDatabaseWrapper, table: Table, provenance: Provenance, *, all_new: bool = False
) -> int:
    """Insert the row stage's new rows and overwrite its changed ones (with this delivery's provenance).

    `all_new` (the counts, taken under the merge lock, found no staged key in the registry) drops the
    ON CONFLICT clause: a plain INSERT … SELECT measured faster (SQLite's first delivery, docs/benchmarks.md)."""
    q = connection.ops.quote_name
    target = f"registry_{table.name}"
    keys = stored_columns(table.name)
    carried = ["delivery_id", "source_file", "source_hash", "source_sheet", "source_row", "row_hash"]
    columns = [*keys, *carried, "scope_region", "created_at", "updated_at"]
    joined = scope_join(connection, table.name, "s")
    join_clause, scope = joined if joined else ("", scope_expression(connection, table.name, "s"))
    select = [
        *(f"s.{q(k)}" for k in keys),
        "%s",
        "COALESCE(s.source_file, %s)",
        "%s",
        "%s",
        "s.source_row",
        "s.row_hash",
        scope,
        "%s",
        "%s",
    ]
    overwrite = [c for c in columns if c != "created_at"]
    insert = (
        f"INSERT INTO {target} ({', '.join(q(c) for c in columns)}) "
        f"SELECT {', '.join(select)} FROM {STAGE} s {join_clause} WHERE 1 = 1"
    )
    sql = (
        insert
        if all_new
        else f"{insert} ON CONFLICT ({', '.join(q(k) for k in key_columns(table.name))}) DO UPDATE SET "
        + ", ".join(f"{q(c)} = excluded.{q(c)}" for c in overwrite)
        + f" WHERE {target}.row_hash <> excluded.row_hash"
    )
    with connection.cursor() as cursor:
        p = provenance
        cursor.execute(sql, [p.delivery_id, p.source_file, p.source_hash, p.source_sheet, p.now, p.now])
        return max(cursor.rowcount, 0)


def rows_insert(
    connection: BaseDatabaseWrapper, table: Table, frame: pl.DataFrame, provenance: Provenance
) -> int:
    """PostgreSQL: COPY a delivery whose keys are all new straight into the registry, with provenance and scope.

    The same columns `rows_upsert` writes, without staging the rows first: staging a million rows and
    copying them over cost twice the writing (docs/benchmarks.md). Runs inside the merge transaction. Both
    timestamps come from the columns' default (registry migration 0005, the statement's start): parsing two
    timestamps per row was a third of the COPY's server time."""
    p = provenance
    rows = frame.select(
        *stored_columns(table.name),
        pl.lit(p.delivery_id, dtype=pl.Int64).alias("delivery_id"),
        pl.col("source_file").fill_null(p.source_file),
        pl.lit(p.source_hash, dtype=pl.Utf8).alias("source_hash"),
        pl.lit(p.source_sheet, dtype=pl.Utf8).alias("source_sheet"),
        "source_row",
        "row_hash",
        scope_values(connection, table.name, frame).alias("scope_region"),
    )
    frame_write(connection, table, f"registry_{table.name}", rows.columns, rows)
    return rows.height


REBUILD_MIN_ROWS = 50_000


def rebuild_pays(connection: BaseDatabaseWrapper, table: Table, new_rows: int) -> bool:
    """Whether to drop the secondary indexes for this insert and build them afterwards: only for a large
    delivery of new rows into a table holding fewer rows than it (a first load, typically). Building an index
    once from sorted rows costs about a third of maintaining it row by row (docs/benchmarks.md), but the
    dropped index locks the table against readers until the delivery commits."""
    if new_rows < REBUILD_MIN_ROWS:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM registry_{table.name} LIMIT %s) t", [new_rows])
        (present,) = cursor.fetchone()
    return present < new_rows


@contextmanager
def indexes_rebuilt(connection: BaseDatabaseWrapper, table: Table, enabled: bool = True) -> Iterator[None]:
    """Drop the table's declared indexes (and on PostgreSQL its natural-key constraint) around the block and
    create them again after it, inside the caller's transaction: DDL is transactional in both databases, so a
    failure or a crash leaves the indexes as they were. Rebuilding the unique constraint checks every key."""
    if not enabled:
        yield
        return
    model = registry_model(table.name)
    editor = connection.schema_editor()  # only to render Django's own DDL; not entered, so it runs nothing
    editor.deferred_sql = []
    parts: list[Any] = list(model._meta.indexes)
    if connection.vendor == "postgresql":  # SQLite keeps a table's unique constraints in its definition
        parts += [c for c in model._meta.constraints if isinstance(c, UniqueConstraint)]
    with connection.cursor() as cursor:
        for part in parts:
            cursor.execute(str(part.remove_sql(model, editor)))
        yield
        for part in parts:
            cursor.execute(str(part.create_sql(model, editor)))
