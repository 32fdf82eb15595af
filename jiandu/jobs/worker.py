"""Who runs a job, and whether that process still exists (framework-free).

A running delivery or scan records the identity of the process that runs it: host name, process id, the
kernel's boot id and the process's start time (clock ticks since boot, /proc/<pid>/stat field 22). On the same
host this tells for certain whether the worker is gone — a pid reused after a crash or a reboot has another
start time or boot id — without the worker writing anything while it works. That matters: an import spends
its longest phase inside one merge transaction, where a heartbeat written on its own connection is invisible
(PostgreSQL) or blocked by the writer's lock (SQLite). A job owned by another host cannot be checked this way;
for those the caller falls back on the last heartbeat (the last progress write) and a lease. See
docs/import.md, "When a worker dies".
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Worker:
    host: str
    pid: int
    boot_id: str  # "" where /proc is not available
    started: str  # start time of the process in clock ticks since boot; "" where /proc is not available

    def __str__(self) -> str:
        return f"{self.host}|{self.pid}|{self.boot_id}|{self.started}"

    @classmethod
    def parse(cls, text: str) -> Worker | None:
        parts = text.split("|")
        if len(parts) != 4 or not parts[1].isdigit():
            return None
        return cls(parts[0], int(parts[1]), parts[2], parts[3])


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _boot_id() -> str:
    return _read(PROC / "sys" / "kernel" / "random" / "boot_id")


def _start_ticks(pid: int) -> str:
    """Field 22 of /proc/<pid>/stat ("" if there is no such live process: a zombie has exited already).

    The command name (field 2) may contain spaces and parentheses, so the fields are counted after its last ')'.
    """
    stat = _read(PROC / str(pid) / "stat")
    if not stat:
        return ""
    fields = stat.rsplit(")", 1)[1].split()
    return "" if fields[0] in ("Z", "X") else fields[19]


def current_worker() -> Worker:
    pid = os.getpid()
    return Worker(socket.gethostname(), pid, _boot_id(), _start_ticks(pid))


def worker_gone(
    recorded: str, *, heartbeat: dt.datetime | None, now: dt.datetime, lease_seconds: int
) -> str | None:
    """Why the job's worker is known to be gone (Chinese, shown to users), or None if it may still run.

    `recorded` is str(Worker) as stored on the job ("" for jobs started before workers were recorded);
    `heartbeat` the job's last progress write.
    """
    worker = Worker.parse(recorded)
    here = current_worker()
    if worker is None or worker.host != here.host:
        if heartbeat is None or (now - heartbeat).total_seconds() > lease_seconds:
            return f"处理进程中断（超过 {lease_seconds} 秒没有进度）"
        return None
    if worker.boot_id and here.boot_id and worker.boot_id != here.boot_id:
        return "处理进程中断（服务器已重启）"
    if not _alive(worker):
        return "处理进程中断（进程已退出）"
    return None


def _alive(worker: Worker) -> bool:
    if worker.started:
        return _start_ticks(worker.pid) == worker.started
    try:  # no /proc (not Linux): the pid alone, which a reused pid can fool
        os.kill(worker.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
