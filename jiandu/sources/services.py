"""Writes of the sources app: import a delivered file into the registry, accept uploads, issue API tokens.

One Delivery per sheet (a CSV or JSON-lines file is one sheet; an XLSX file gives one delivery per non-empty
sheet, the later ones pointing to the first through `parent`). Each delivery is atomic: the keys and digests
of its valid rows are staged outside any transaction, then the rows are written in one transaction together
with the version history, the scope refresh and the delivery's final status — a crash leaves all of its
valid rows or none (jiandu/sources/merge.py says which rows are written how).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jiandu.analytics.contract import load_contract
from jiandu.analytics.intake import DeliveryError, read_file
from jiandu.analytics.intake.model import Limits
from jiandu.jobs.recovery import Throttle, job_claim
from jiandu.registry.frames import staging_frame
from jiandu.sources.hooks import import_step_reached
from jiandu.sources.merge import (
    MergeCounts,
    Provenance,
    indexes_rebuilt,
    merge_counts,
    merge_lock,
    positions_to_write,
    rebuild_pays,
    rows_insert,
    rows_upsert,
    versions_keep,
)
from jiandu.sources.models import Delivery
from jiandu.sources.reports import error_reports_write
from jiandu.sources.scope import scope_refresh
from jiandu.sources.staging import KEYS, POSITION, key_stage_columns, stage_create, stage_drop, stage_load

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
DELIVERY_SUFFIXES = (".csv", ".xlsx", ".jsonl", ".txt")


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _set(delivery: Delivery, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(delivery, name, value)
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


def size_limit(channel: str) -> int:
    """The largest file the reader accepts on this channel.

    Uploads (web, API) come from other machines and are capped by JIANDU_MAX_UPLOAD_BYTES; a file imported
    with `jiandu import` is already on the server, put there by an operator, and a year of a city's treasury
    payments is larger than any sensible upload cap (the scale-10 demo city's is 224 MB), so the command
    line has its own, higher limit.
    """
    if channel == Delivery.Channel.CLI:
        return int(settings.JIANDU_MAX_IMPORT_BYTES)
    return int(settings.JIANDU_MAX_UPLOAD_BYTES)


def delivery_import(
    *,
    path: Path,
    table: str | None = None,
    user: Any = None,
    organisation: Any = None,
    channel: str = Delivery.Channel.CLI,
    original_name: str | None = None,
    progress: Progress | None = None,
    delivery: Delivery | None = None,
    allowed_tables: frozenset[str] | None = None,
) -> list[Delivery]:
    """Read `path`, store every sheet's valid rows with provenance, write error reports; one Delivery per sheet.

    `delivery` is the record created when a file was accepted for background import (web, API);
    `allowed_tables` limits what an API token may deliver. A file that cannot be read at all gives one
    FAILED delivery whose message says why (in Chinese).
    """
    path = Path(path)
    name = original_name or path.name
    if delivery is None:
        delivery = Delivery.objects.create(
            file_name=name,
            file_hash=file_digest(path),
            file_size=path.stat().st_size,
            table_name=table or "",
            channel=channel,
            organisation=organisation,
            submitted_by=user if getattr(user, "pk", None) else None,
            scope_region=organisation.region_code if organisation is not None else "",
        )
    _set(
        delivery,
        status=Delivery.Status.RUNNING,
        phase=Delivery.Phase.READING,
        started_at=timezone.now(),
        **job_claim(),
    )
    began = time.perf_counter()
    try:
        sheets = read_file(path, table=table, limits=Limits(max_bytes=size_limit(channel)))
    except DeliveryError as exc:
        _set(delivery, status=Delivery.Status.FAILED, phase="", message=str(exc), finished_at=timezone.now())
        return [delivery]
    except Exception:
        _set(
            delivery,
            status=Delivery.Status.FAILED,
            phase="",
            message="文件读取时发生内部错误",
            finished_at=timezone.now(),
        )
        raise
    if not sheets:
        _set(
            delivery,
            status=Delivery.Status.FAILED,
            phase="",
            message=f"{name}：文件中没有数据",
            finished_at=timezone.now(),
        )
        return [delivery]
    read_seconds = time.perf_counter() - began
    results = []
    for index, sheet in enumerate(sheets):
        current = delivery if index == 0 else _sibling(delivery)
        sheet.source_file = name
        results.append(
            sheet_store(
                sheet=sheet,
                delivery=current,
                user=user,
                path=path,
                progress=progress,
                allowed_tables=allowed_tables,
            )
        )
    results[0].timings["read"] = read_seconds  # type: ignore[attr-defined]
    return results


def _sibling(first: Delivery) -> Delivery:
    return Delivery.objects.create(
        file_name=first.file_name,
        file_hash=first.file_hash,
        file_size=first.file_size,
        channel=first.channel,
        organisation=first.organisation,
        submitted_by=first.submitted_by,
        scope_region=first.scope_region,
        stored_path=first.stored_path,
        api_token=first.api_token,
        parent=first,
        retry_of=first.retry_of,
        status=Delivery.Status.RUNNING,
        phase=Delivery.Phase.READING,
        started_at=timezone.now(),
        **job_claim(),
    )


def sheet_store(
    *,
    sheet: Any,
    delivery: Delivery,
    user: Any = None,
    path: Path | None = None,
    progress: Progress | None = None,
    allowed_tables: frozenset[str] | None = None,
) -> Delivery:
    """Store one read sheet (a `jiandu.analytics.intake.Sheet`) as `delivery`; see the module docstring."""
    table = load_contract()[sheet.table]
    timings: dict[str, float] = {}
    delivery.timings = timings  # type: ignore[attr-defined]  # phase durations for the benchmark; not stored
    rejected = len({error.row for error in sheet.errors})
    notices = "\n".join(getattr(sheet, "notices", []) or [])
    _set(
        delivery,
        table_name=table.name,
        source_sheet=sheet.sheet,
        message=notices,
        total_rows=sheet.total_rows,
        processed_rows=rejected,
        rejected=rejected,
        status=Delivery.Status.RUNNING,
        phase=Delivery.Phase.STAGING,
        **job_claim(),
    )
    if allowed_tables is not None and table.name not in allowed_tables:
        _set(
            delivery,
            status=Delivery.Status.FAILED,
            phase="",
            finished_at=timezone.now(),
            processed_rows=0,
            rejected=0,
            message=f"该接口令牌无权报送「{table.zh}」（{table.name}）",
        )
        return delivery
    began = time.perf_counter()
    frame = staging_frame(table, sheet.valid).with_row_index(POSITION)
    timings["digest"] = time.perf_counter() - began
    # The error report is Python work on files only (no database): written in a thread while the key stage
    # and the merge keep the database busy — started after the digest, whose Python parts it would slow by
    # holding the interpreter lock — and awaited inside the merge transaction, so a delivery whose report
    # could not be written stores nothing.
    report = _REPORTS.submit(_report_write, delivery, sheet, path, timings) if sheet.errors and path else None

    throttle = Throttle(1.0)

    def staged(done: int) -> None:
        if throttle.due() or done == len(frame):
            Delivery.objects.filter(pk=delivery.pk).update(
                processed_rows=rejected + done, heartbeat_at=timezone.now()
            )
        if progress is not None:
            progress(rejected + done, sheet.total_rows)

    try:
        began = time.perf_counter()
        columns = key_stage_columns(table)
        stage_create(connection, table, KEYS, columns)
        stage_load(connection, table, frame, staged, KEYS, columns)
        timings["stage"] = time.perf_counter() - began
        _set(delivery, phase=Delivery.Phase.WRITING, heartbeat_at=timezone.now())
        import_step_reached(delivery, "staged")
        began = time.perf_counter()
        _merge(
            table=table,
            delivery=delivery,
            user=user,
            frame=frame,
            sheet=sheet.sheet,
            source=sheet.source_file,
            report=report,
        )
    except Exception:
        if report is not None:
            report.cancel()
        _set(
            delivery,
            status=Delivery.Status.FAILED,
            phase="",
            message="入库时发生内部错误，已回滚",
            finished_at=timezone.now(),
        )
        raise
    finally:
        stage_drop(connection)
    timings["merge"] = time.perf_counter() - began
    if progress is not None:
        progress(sheet.total_rows, sheet.total_rows)
    return delivery


_REPORTS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jiandu-report")


def _report_write(delivery: Delivery, sheet: Any, path: Path, timings: dict[str, float]) -> None:
    began = time.perf_counter()
    error_reports_write(delivery=delivery, sheet=sheet, path=path)
    timings["report"] = time.perf_counter() - began


def _merge(
    *,
    table: Any,
    delivery: Delivery,
    user: Any,
    frame: Any,
    sheet: str,
    source: str,
    report: Future[None] | None,
) -> None:
    now = timezone.now()
    user_id = user.pk if getattr(user, "pk", None) else None
    provenance = Provenance(delivery.pk, source, delivery.file_hash, sheet, now)
    with transaction.atomic():
        merge_lock(connection, table)
        counts = merge_counts(connection, table)
        all_new = counts.updated == 0 and counts.unchanged == 0
        if counts.accepted or counts.updated:  # a file delivered again unchanged writes nothing
            rebuild = all_new and rebuild_pays(connection, table, counts.accepted)
            with indexes_rebuilt(connection, table, enabled=rebuild):
                if all_new and connection.vendor == "postgresql":
                    rows_insert(connection, table, frame, provenance)
                else:  # on SQLite, staging then INSERT … SELECT measured faster than inserting directly
                    _changes_write(table, user_id, frame, counts, provenance)
        scope_refresh(connection, table.name)
        if report is not None:
            report.result()  # a report that failed rolls the delivery back
        import_step_reached(delivery, "merged")
        _set(
            delivery,
            status=Delivery.Status.DONE,
            phase="",
            finished_at=timezone.now(),
            accepted=counts.accepted,
            updated=counts.updated,
            unchanged=counts.unchanged,
            processed_rows=delivery.total_rows,
        )
    log.info(
        "delivery %s (%s) stored: %s new, %s updated, %s unchanged, %s rejected",
        delivery.pk,
        table.name,
        counts.accepted,
        counts.updated,
        counts.unchanged,
        delivery.rejected,
    )


def _changes_write(
    table: Any, user_id: int | None, frame: pl.DataFrame, counts: MergeCounts, provenance: Provenance
) -> None:
    """A delivery mixing new, changed and unchanged rows: stage the new and changed rows in full, keep the
    previous values of the changed ones, then insert or overwrite (inside the merge transaction)."""
    if counts.updated or counts.unchanged:
        frame = frame.filter(pl.col(POSITION).is_in(positions_to_write(connection, table)))
    stage_create(connection, table)
    stage_load(connection, table, frame)
    if counts.updated:
        versions_keep(connection, table, provenance.delivery_id, user_id, provenance.now)
    rows_upsert(connection, table, provenance, all_new=not (counts.updated or counts.unchanged))


def delivery_files(path: Path) -> list[Path]:
    """The delivery files under `path` (itself if a file), recursively, in a stable order."""
    path = Path(path)
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and p.suffix.lower() in DELIVERY_SUFFIXES and not p.name.startswith((".", "~$"))
    )


def folder_import(
    path: Path,
    *,
    table: str | None = None,
    user: Any = None,
    organisation: Any = None,
    progress: Callable[[Path, int, int], None] | None = None,
) -> list[Delivery]:
    """Import every delivery file under `path` (the demo loading step and `jiandu import` use this).

    Order does not matter for the result: a delivery of units, positions or tenders refreshes the scope of
    the rows that depend on them.
    """
    deliveries: list[Delivery] = []
    for file in delivery_files(path):
        callback = (lambda done, total, f=file: progress(f, done, total)) if progress else None
        deliveries += delivery_import(
            path=file, table=table, user=user, organisation=organisation, progress=callback
        )
    return deliveries


def delivery_run(delivery_id: int) -> list[Delivery]:
    """Import an accepted delivery (called by the task queue)."""
    delivery = Delivery.objects.select_related("api_token", "organisation", "submitted_by").get(
        pk=delivery_id
    )
    if delivery.status != Delivery.Status.PENDING:
        return [delivery]
    token = delivery.api_token
    allowed = frozenset(token.tables) if token is not None else None
    return delivery_import(
        path=Path(delivery.stored_path),
        table=delivery.table_name or None,
        user=delivery.submitted_by,
        organisation=delivery.organisation,
        channel=delivery.channel,
        original_name=delivery.file_name,
        delivery=delivery,
        allowed_tables=allowed,
    )
