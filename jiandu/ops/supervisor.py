"""Two children, one lifetime: gunicorn and the task consumer under `jiandu serve`.

- the consumer is restarted when it exits on its own (crash, kill -9, out of memory), after a back-off that
  doubles from 1 s to 30 s while it keeps dying young and resets once it has lived a minute;
- the web server exiting on its own ends the whole service (exit 1), so systemd or the operator sees it;
- SIGHUP is passed to both: gunicorn starts new workers and retires the old ones gracefully, the consumer
  finishes its running task and re-executes itself (new code after an upgrade);
- SIGTERM/SIGINT stop both gracefully (gunicorn TERM, consumer INT: its running task may finish), and kill
  whatever is still there after `stop_timeout` seconds — an import is atomic, so that is safe.
Children get SIGTERM if this process itself dies (Linux PR_SET_PDEATHSIG), so nothing is left orphaned.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

log = logging.getLogger("jiandu.ops.serve")

BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
LIVED_LONG_ENOUGH = 60.0
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux/glibc: systemd's cgroup still stops the children
        pass


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    stop_signal: signal.Signals
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    restarts: int = 0
    backoff: float = BACKOFF_FIRST
    restart_at: float | None = None
    exits: list[int] = field(default_factory=list)

    def spawn(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(list(self.argv), env=env, preexec_fn=_die_with_parent)  # noqa: S603
        self.started = time.monotonic()
        self.restart_at = None
        log.info("%s 已启动（进程 %s）", self.name, self.process.pid)

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def signal(self, signum: int) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signum)


class Supervisor:
    def __init__(
        self, web: Child, consumer: Child | None, env: dict[str, str], *, stop_timeout: float
    ) -> None:
        self.web = web
        self.consumer = consumer
        self.env = env
        self.stop_timeout = stop_timeout
        self._stop: int | None = None
        self._reload = False

    def _on_stop(self, signum: int, frame: object) -> None:
        self._stop = signum

    def _on_reload(self, signum: int, frame: object) -> None:
        self._reload = True

    def children(self) -> list[Child]:
        return [c for c in (self.web, self.consumer) if c is not None]

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_reload)
        for child in self.children():
            child.spawn(self.env)
        while True:
            time.sleep(0.2)
            if self._stop is not None:
                log.info("收到停止信号，正在停止网页服务与任务队列")
                self.shutdown()
                return 0
            if self._reload:
                self._reload = False
                log.info("收到 SIGHUP：网页服务平滑重启工作进程，任务队列完成当前任务后重新加载")
                for child in self.children():
                    child.signal(signal.SIGHUP)
            code = self.web.exited()
            if code is not None:
                log.error("网页服务意外退出（退出码 %s），停止全部服务", code)
                self.shutdown()
                return 1
            if self.consumer is not None:
                self._tend(self.consumer)

    def _tend(self, child: Child) -> None:
        code = child.exited()
        if code is None:
            return
        now = time.monotonic()
        if child.restart_at is None:
            if now - child.started >= LIVED_LONG_ENOUGH:
                child.backoff = BACKOFF_FIRST
            child.exits.append(code)
            child.restart_at = now + child.backoff
            log.warning("%s 意外退出（退出码 %s），%.0f 秒后重启", child.name, code, child.backoff)
            child.backoff = min(child.backoff * 2, BACKOFF_MAX)
            return
        if now >= child.restart_at:
            child.restarts += 1
            child.spawn(self.env)

    def shutdown(self) -> None:
        for child in self.children():
            child.signal(child.stop_signal)
        deadline = time.monotonic() + self.stop_timeout
        for child in self.children():
            if child.process is None:
                continue
            try:
                child.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s 未在 %.0f 秒内停止，强制结束", child.name, self.stop_timeout)
                child.process.kill()
                child.process.wait()
