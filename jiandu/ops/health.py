"""What /healthz checks: the database, the task queue and its consumer, disk space, the access log's anchor.

Each check answers ok or not with a few numbers a monitor can graph and nothing else: no personal data, no
paths, no host names, no exception messages (they can carry connection strings) — an error is named by its
class only. Thresholds are settings (docs/runbooks.md, "Health check").
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

from jiandu.ops.heartbeat import heartbeat_read


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)


def database_check() -> Check:
    began = time.perf_counter()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure to answer is "down"
        return Check("database", False, {"error": type(exc).__name__})
    return Check("database", True, {"ms": round((time.perf_counter() - began) * 1000, 1)})


def queue_check(huey: Any, *, max_age_seconds: float, now: float | None = None) -> Check:
    """Reachable queue storage and a consumer heartbeat younger than `max_age_seconds`."""
    if huey.immediate:  # tasks run inline (tests): there is no consumer to watch
        return Check("task_queue", True, {"mode": "immediate"})
    try:
        pending = huey.pending_count()
        beat = heartbeat_read(huey)
    except Exception as exc:  # noqa: BLE001 - storage down, file unreadable, Redis refused
        return Check("task_queue", False, {"reachable": False, "error": type(exc).__name__})
    detail: dict[str, Any] = {"reachable": True, "pending": pending, "max_heartbeat_age_s": max_age_seconds}
    if beat is None:
        return Check("task_queue", False, {**detail, "consumer": "never seen"})
    age = (time.time() if now is None else now) - float(beat["at"])
    detail["heartbeat_age_s"] = round(age, 1)
    return Check("task_queue", age <= max_age_seconds, detail)


def disk_check(path: Path, *, min_free_mb: int) -> Check:
    try:
        usage = shutil.disk_usage(path)
    except OSError as exc:
        return Check("disk", False, {"error": type(exc).__name__})
    free_mb = usage.free // (1024 * 1024)
    detail = {
        "free_mb": free_mb,
        "min_free_mb": min_free_mb,
        "free_percent": round(100 * usage.free / usage.total, 1),
    }
    return Check("disk", free_mb >= min_free_mb, detail)


def anchor_check(*, max_age_hours: float) -> Check:
    """Fails when access-log entries have waited longer than `max_age_hours` for an anchor (the daily
    `jiandu audit anchor` stopped running), or when the anchor file names entries the log no longer has."""
    from jiandu.audit.chain import anchor_last
    from jiandu.audit.models import AccessEvent, ChainHead

    try:
        head = ChainHead.objects.order_by("pk").first()
        last = anchor_last()
    except Exception as exc:  # noqa: BLE001 - unreadable anchor file, database down
        return Check("audit_anchor", False, {"error": type(exc).__name__})
    head_seq = head.seq if head is not None else 0
    anchored_seq = last[1] if last is not None else 0
    now = timezone.now()
    detail: dict[str, Any] = {
        "max_age_h": max_age_hours,
        "unanchored_entries": max(0, head_seq - anchored_seq),
    }
    if last is not None:
        detail["last_anchor_age_h"] = round((now - last[0]).total_seconds() / 3600, 2)
    if anchored_seq > head_seq:
        return Check("audit_anchor", False, {**detail, "problem": "anchor ahead of the log"})
    if anchored_seq == head_seq:
        return Check("audit_anchor", True, detail)
    oldest = AccessEvent.objects.filter(seq=anchored_seq + 1).values_list("at", flat=True).first()
    if oldest is None:  # the entry after the anchor is missing: verify will say more
        return Check("audit_anchor", False, {**detail, "problem": "entry after the anchor missing"})
    waited = (now - oldest).total_seconds() / 3600
    detail["oldest_unanchored_age_h"] = round(waited, 2)
    return Check("audit_anchor", waited <= max_age_hours, detail)


def task_queue() -> Any:
    from huey.contrib.djhuey import HUEY

    return HUEY


def health_report() -> tuple[bool, dict[str, Any]]:
    checks = [
        database_check(),
        queue_check(task_queue(), max_age_seconds=settings.JIANDU_HEALTH_HEARTBEAT_SECONDS),
        disk_check(Path(settings.DATA_DIR), min_free_mb=settings.JIANDU_HEALTH_DISK_MIN_FREE_MB),
        anchor_check(max_age_hours=settings.JIANDU_HEALTH_ANCHOR_MAX_HOURS),
    ]
    healthy = all(c.ok for c in checks)
    body = {
        "status": "ok" if healthy else "fail",
        "checks": {c.name: {"ok": c.ok, **c.detail} for c in checks},
    }
    return healthy, body
