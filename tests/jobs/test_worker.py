"""Whether a job's worker is gone: by process identity on this host, by the lease for other hosts."""

from __future__ import annotations

import datetime as dt
import os
import time

from jiandu.jobs.worker import Worker, current_worker, worker_gone
from tests.jobs.processes import exited_worker, sleeper, stat_fields, worker_of

NOW = dt.datetime(2026, 12, 8, 5, 0, tzinfo=dt.UTC)
LEASE = 600


def gone(worker: object, heartbeat: dt.datetime | None = NOW) -> str | None:
    return worker_gone(str(worker), heartbeat=heartbeat, now=NOW, lease_seconds=LEASE)


def test_this_process_is_alive():
    me = current_worker()
    assert me.pid == os.getpid() and Worker.parse(str(me)) == me
    assert gone(me, heartbeat=None) is None  # no heartbeat needed: the process itself is checked


def test_an_exited_process_is_gone_and_a_reused_pid_is_not_taken_for_it():
    child = sleeper()
    try:
        recorded = worker_of(child)
        assert gone(recorded) is None
    finally:
        child.kill()
        child.wait()
    assert gone(recorded) == "处理进程中断（进程已退出）"
    assert gone(exited_worker()) == "处理进程中断（进程已退出）"
    # the pid of a live process, but another start time: the pid was reused after the worker died
    reused = Worker(recorded.host, os.getpid(), recorded.boot_id, str(int(current_worker().started) + 1))
    assert gone(reused) == "处理进程中断（进程已退出）"


def test_a_zombie_is_gone():
    child = sleeper()
    recorded = worker_of(child)
    child.kill()
    for _ in range(100):  # killed but not yet reaped: state Z
        if stat_fields(child.pid)[0] == "Z":
            break
        time.sleep(0.05)
    try:
        assert gone(recorded) == "处理进程中断（进程已退出）"
    finally:
        child.wait()


def test_a_worker_from_before_a_reboot_is_gone():
    me = current_worker()
    assert gone(Worker(me.host, me.pid, "another-boot", me.started)) == "处理进程中断（服务器已重启）"


def test_another_hosts_worker_is_judged_by_its_heartbeat():
    elsewhere = Worker("another-host", 1, "boot", "1")
    assert gone(elsewhere, heartbeat=NOW - dt.timedelta(seconds=LEASE - 1)) is None
    assert gone(elsewhere, heartbeat=NOW - dt.timedelta(seconds=LEASE + 1)) == (
        f"处理进程中断（超过 {LEASE} 秒没有进度）"
    )
    # a job recorded before workers were: only the lease can tell
    assert gone("", heartbeat=None) == f"处理进程中断（超过 {LEASE} 秒没有进度）"
    assert gone("", heartbeat=NOW) is None
