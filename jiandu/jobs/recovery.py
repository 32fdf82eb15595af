"""Recovery of jobs whose process died: the registry the job-owning apps fill, and the shared claim/fail steps.

A job model (sources.Delivery, alerts.Scan) has `status`, `phase`, `worker`, `heartbeat_at`, `message` and
`finished_at`. Its app claims a job with `job_claim()` when it starts running it, writes `job_heartbeat()` with
its progress, and registers a recoverer in its AppConfig.ready (this module knows no app above it). Recovery
runs when the task consumer starts, every few minutes in the consumer, and on `jiandu jobs recover`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from jiandu.jobs.worker import current_worker, worker_gone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recovered:
    kind: str  # what the job is, in Chinese (报送, 扫描)
    pk: int
    reason: str


Recoverer = Callable[[], list[Recovered]]
_RECOVERERS: dict[str, Recoverer] = {}


def recoverer_register(name: str, recoverer: Recoverer) -> None:
    """Called from an app's AppConfig.ready; registering the same name again replaces it."""
    _RECOVERERS[name] = recoverer


def job_model_register(model: type[Model], *, kind: str) -> None:
    """Register the recovery of a job model that has the fields listed in the module docstring and a
    `Status` with RUNNING and FAILED."""
    recoverer_register(model._meta.label, lambda: dead_jobs_fail(model, kind=kind))


def jobs_recover() -> list[Recovered]:
    """Mark failed every running job whose worker is gone, for every registered kind of job."""
    found: list[Recovered] = []
    for name in sorted(_RECOVERERS):
        found += _RECOVERERS[name]()
    return found


def job_claim() -> dict[str, Any]:
    """The fields that record this process as the job's worker (saved with the job's move to running)."""
    return {"worker": str(current_worker()), "heartbeat_at": timezone.now()}


class Throttle:
    """Rate-limits progress writes: `due()` is true at most once per `seconds` (and on the first call)."""

    def __init__(self, seconds: float = 1.0) -> None:
        self.seconds = seconds
        self.last = float("-inf")

    def due(self) -> bool:
        now = time.monotonic()
        if now - self.last < self.seconds:
            return False
        self.last = now
        return True


def dead_jobs_fail(model: type[Model], *, kind: str) -> list[Recovered]:
    """Fail the running rows of `model` whose worker is gone; the update is conditional on the row still
    being running under the same worker, so two recoveries at once, or a job that just finished, are safe."""
    running, failed = model.Status.RUNNING, model.Status.FAILED  # type: ignore[attr-defined]
    now = timezone.now()
    lease = int(settings.JIANDU_JOB_LEASE_SECONDS)
    manager: Any = model._default_manager
    recovered = []
    for pk, worker, heartbeat, message in manager.filter(status=running).values_list(
        "pk", "worker", "heartbeat_at", "message"
    ):
        reason = worker_gone(worker, heartbeat=heartbeat, now=now, lease_seconds=lease)
        if reason is None:
            continue
        changed = manager.filter(pk=pk, status=running, worker=worker).update(
            status=failed, phase="", finished_at=now, message="\n".join(filter(None, [reason, message]))
        )
        if changed:
            log.warning("%s #%s marked failed: %s (worker %s)", kind, pk, reason, worker or "unknown")
            recovered.append(Recovered(kind, pk, reason))
    return recovered
