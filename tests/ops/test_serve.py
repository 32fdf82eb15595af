"""`jiandu serve` for real: gunicorn and the consumer answer /healthz; a consumer killed with -9 comes back;
SIGHUP replaces the web workers without a gap; SIGTERM stops everything."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from jiandu.ops.procs import child_pid, children

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _until(condition: Callable[[], object], seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _health(url: str, timeout: float = 5) -> int:
    try:
        return httpx.get(url, timeout=timeout).status_code
    except httpx.HTTPError:
        return 0


def test_serve_supervises_consumer_reloads_and_stops(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JIANDU_TASKS_IMMEDIATE")}
    env.update(JIANDU_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT), JIANDU_ENV="dev")
    subprocess.run([sys.executable, "-m", "jiandu", "migrate", "--noinput", "-v", "0"], env=env, check=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jiandu",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--stop-timeout",
            "15",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _until(lambda: _health(url) == 200, 90, "a healthy service")
        web = child_pid(serve.pid, "gunicorn")
        consumer = child_pid(serve.pid, "run_huey")
        assert web and consumer

        os.kill(consumer, signal.SIGKILL)

        def new_consumer() -> int | None:
            pid = child_pid(serve.pid, "run_huey")
            return pid if pid not in (None, consumer) else None

        restarted = int(_until(new_consumer, 30, "a new consumer"))  # type: ignore[call-overload]
        _until(lambda: _health(url) == 200, 60, "health after the consumer's restart")

        [(worker, _)] = children(web)
        serve.send_signal(signal.SIGHUP)
        _until(lambda: [p for p, _ in children(web)] not in ([], [worker]), 60, "a new web worker")
        # The listening socket stays with the arbiter: a request during the swap waits for the new worker.
        assert _health(url, timeout=60) == 200 and child_pid(serve.pid, "gunicorn") == web

        running = [web, restarted, *(p for p, _ in children(web))]
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(30) == 0
        assert [pid for pid in running if Path(f"/proc/{pid}").exists()] == []
    finally:
        if serve.poll() is None:
            serve.kill()
        log.close()
    text = (tmp_path / "serve.log").read_text(errors="replace")
    assert "任务队列 意外退出（退出码 -9）" in text
