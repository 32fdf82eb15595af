"""The hash chain: canonical serialisation, appends serialised across writers, and anchoring.

Two writers appending at once would both read the same head and fork the chain. Appends therefore lock the
single ChainHead row first: `SELECT … FOR UPDATE` on PostgreSQL; on SQLite, which has no row locks, the
first statement of the append transaction is a write to the head row, which takes SQLite's database write
lock at once (the effect of BEGIN IMMEDIATE) so a second process waits on the busy timeout instead of
reading a stale head, and a process-wide lock keeps this process's threads in line before they even reach
the database. The unique `seq` and `entry_hash` columns are the last line: a fork cannot be committed.

Every `JIANDU_AUDIT_ANCHOR_EVERY` entries the head hash is appended to `DATA_DIR/audit-anchor.log`, a file
outside the database: someone able to rewrite the whole table and recompute every hash still cannot make
the anchored heads match. Ship the file to another host or make it append-only (chattr +a).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from jiandu.audit.models import GENESIS_HASH, AccessEvent, ChainHead
from jiandu.security.crypto import digest, digest_name

HEAD_PK = 1
CHAINED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "scope_region",
    "action",
    "object_type",
    "object_id",
    "path",
    "client_address",
    "user_agent_hash",
    "details",
)
_APPEND_LOCK = threading.Lock()


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(fields: dict[str, Any], prev_hash: str) -> bytes:
    """The exact bytes hashed for one entry: its chained fields as sorted compact JSON, then prev_hash."""
    payload = {name: fields[name] for name in CHAINED_FIELDS}
    payload["at"] = _utc(payload["at"])
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (text + "|" + prev_hash).encode("utf-8")


def entry_fields(event: AccessEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in CHAINED_FIELDS}


def entry_hash_compute(event: AccessEvent) -> str:
    return digest(canonical_bytes(entry_fields(event), event.prev_hash))


def _lock_head() -> ChainHead:
    if connection.vendor == "sqlite":
        # A write first: takes SQLite's write lock now, not at the INSERT after we have read the head.
        if not ChainHead.objects.filter(pk=HEAD_PK).update(seq=F("seq")):
            ChainHead.objects.create(pk=HEAD_PK)
        return ChainHead.objects.get(pk=HEAD_PK)
    try:
        return ChainHead.objects.select_for_update().get(pk=HEAD_PK)
    except ChainHead.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            ChainHead.objects.create(pk=HEAD_PK)
    except IntegrityError:
        pass  # another writer created it first; the lock below waits for it
    return ChainHead.objects.select_for_update().get(pk=HEAD_PK)


def chain_append(fields: dict[str, Any]) -> AccessEvent:
    """Append one entry; `fields` holds every chained field except `seq` (assigned here)."""
    if connection.vendor == "sqlite":
        with _APPEND_LOCK:
            return _append(fields)
    return _append(fields)


def _append(fields: dict[str, Any]) -> AccessEvent:
    with transaction.atomic():
        head = _lock_head()
        seq = head.seq + 1
        values = {**fields, "seq": seq, "at": fields.get("at") or timezone.now()}
        entry_hash = digest(canonical_bytes(values, head.entry_hash))
        event = AccessEvent(**values, prev_hash=head.entry_hash, entry_hash=entry_hash)
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=HEAD_PK).update(seq=seq, entry_hash=entry_hash)
        every = int(getattr(settings, "JIANDU_AUDIT_ANCHOR_EVERY", 100))
        if every > 0 and seq % every == 0:
            transaction.on_commit(lambda: anchor_write(seq, entry_hash))
    return event


def anchor_path() -> Path:
    configured = getattr(settings, "JIANDU_AUDIT_ANCHOR_PATH", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit-anchor.log"


def anchor_write(seq: int, entry_hash: str) -> None:
    """Append `time<TAB>seq<TAB>algorithm<TAB>hash` to the anchor file, synced to disk."""
    line = f"{_utc(timezone.now())}\t{seq}\t{digest_name()}\t{entry_hash}\n"
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def anchor_current_head() -> tuple[int, str] | None:
    """Anchor the present head now (for a scheduled job or before a backup); None for an empty chain."""
    head = ChainHead.objects.filter(pk=HEAD_PK).first()
    if head is None or head.seq == 0:
        return None
    anchor_write(head.seq, head.entry_hash)
    return head.seq, head.entry_hash


def anchors_read() -> list[tuple[int, str, str]]:
    """(seq, algorithm, hash) of every well-formed anchor line; malformed lines are reported by verify."""
    path = anchor_path()
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="ascii", errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[1].isdigit():
            rows.append((int(parts[1]), parts[2], parts[3]))
        else:
            rows.append((-1, "", line[:80]))
    return rows


def anchor_last() -> tuple[dt.datetime, int] | None:
    """(time, seq) of the newest well-formed anchor line, or None when nothing was anchored yet.

    Reads only the file's tail: the health check asks on every probe and the file only grows."""
    path = anchor_path()
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 4096))
        tail = handle.read().decode("ascii", errors="replace")
    for line in reversed(tail.splitlines()):
        parts = line.split("\t")
        if len(parts) == 4 and parts[1].isdigit():
            try:
                at = dt.datetime.strptime(parts[0], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
            except ValueError:
                continue
            return at, int(parts[1])
    return None


__all__ = ["GENESIS_HASH", "chain_append", "canonical_bytes", "entry_hash_compute", "anchor_write"]
