"""Worker identities of real child processes, for tests of recovery."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jiandu.jobs.worker import Worker, current_worker


def sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])


def stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name: state first, start time at index 19."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def worker_of(child: subprocess.Popen[bytes]) -> Worker:
    me = current_worker()
    return Worker(me.host, child.pid, me.boot_id, stat_fields(child.pid)[19])


def exited_worker() -> str:
    """The recorded identity of a process on this host that has exited since."""
    child = sleeper()
    try:
        worker = worker_of(child)
    finally:
        child.kill()
        child.wait()
    return str(worker)
