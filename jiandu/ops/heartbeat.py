"""The task consumer's heartbeat: proof, readable from the web process, that a consumer is running.

Huey has no liveness signal of its own. Each consumer process starts one daemon thread (from a huey startup
hook, jiandu/ops/tasks.py) that writes `{at, pid}` into the queue's own key-value store every
HEARTBEAT_SECONDS. The heartbeat travels through the queue, so one read answers both "is the queue
reachable?" and "is a consumer alive?" — for the SQLite queue file and for Redis alike. A consumer killed with
-9 stops beating; /healthz reports it once the beat is older than JIANDU_HEALTH_HEARTBEAT_SECONDS.

The thread beats while a worker is busy with a long import: a busy consumer is alive, not stuck.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "jiandu:consumer-heartbeat"
HEARTBEAT_SECONDS = 5.0

_started_in: int | None = None
_lock = threading.Lock()


def heartbeat_write(huey: Any, *, now: float | None = None) -> None:
    huey.put(HEARTBEAT_KEY, {"at": time.time() if now is None else now, "pid": os.getpid()})


def heartbeat_read(huey: Any) -> dict[str, Any] | None:
    """The last beat ({at, pid}) or None; raises what the queue's storage raises when it is unreachable."""
    beat = huey.get(HEARTBEAT_KEY, peek=True)
    return beat if isinstance(beat, dict) else None


def _beat_forever(huey: Any) -> None:
    while True:
        try:
            heartbeat_write(huey)
        except Exception:  # noqa: BLE001 - a storage hiccup must not kill the beat; /healthz sees it age
            log.warning("任务队列心跳写入失败", exc_info=True)
        time.sleep(HEARTBEAT_SECONDS)


def heartbeat_start(huey: Any) -> bool:
    """Start the beating thread once per process (huey calls startup hooks once per worker)."""
    global _started_in
    with _lock:
        if _started_in == os.getpid():
            return False
        _started_in = os.getpid()
    thread = threading.Thread(target=_beat_forever, args=(huey,), name="jiandu-heartbeat", daemon=True)
    thread.start()
    return True
