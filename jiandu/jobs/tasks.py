"""Recovery in the task consumer: when it starts (it may be the restart after a crash) and every five minutes
(a `jiandu import` or `jiandu scan` killed on this host while the consumer kept running)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import close_db, db_periodic_task, on_startup

from jiandu.jobs.recovery import jobs_recover


@on_startup()
@close_db
def jobs_recover_on_start() -> None:
    jobs_recover()


@db_periodic_task(crontab(minute="*/5"))
def jobs_recover_periodically() -> None:
    jobs_recover()
