"""`jiandu import` on a terminal draws progress bars and logs each stored delivery, and no line of the screen
holds both; off a terminal (a pipe, a log file) no bar is written at all, only the log lines."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios

import pytest

from jiandu.analytics.contract import load_contract
from tests.sources.samples import sample_csv, sample_rows
from tests.sources.scratch import ROOT

pytestmark = pytest.mark.slow
CONTRACT = load_contract()
LOG = re.compile(r"INFO jiandu\.sources\.services delivery \d+ \(\w+\) stored")
BAR = re.compile(r"\d+%\||\d+行/s|\d+/\d+ \[")  # tqdm's percentage, rate or counter


def deliveries(tmp_path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "files"
    folder.mkdir()
    sample_csv(folder / "国库集中支付.csv", "payments", sample_rows(CONTRACT["payments"], 3000))
    sample_csv(folder / "单位.csv", "units", sample_rows(CONTRACT["units"], 2000))
    return folder


def on_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run with stdout and stderr on a pseudo-terminal (so tqdm draws); everything the screen received."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # tqdm draws nothing at 0x0
    child = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL
    )
    os.close(follower)
    received = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 300)
        if not ready:
            child.kill()
            pytest.fail("no output for 300 s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    assert child.wait(timeout=60) == 0, received.decode(errors="replace")
    return received.decode()


def screen_lines(output: str) -> list[str]:
    """What a terminal shows line by line: a carriage return starts the line over, so each piece between
    line feeds and carriage returns is one drawing of a line."""
    return [piece for line in output.split("\n") for piece in line.split("\r")]


def test_log_lines_never_share_a_line_with_a_progress_bar(tmp_path, scratch):
    folder = deliveries(tmp_path)
    command = [sys.executable, "-m", "jiandu", "import", str(folder)]
    env = {**scratch.env, "JIANDU_LOG_FORMAT": "plain", "JIANDU_LOG_LEVEL": "INFO"}
    screen = on_terminal(command, env)
    pieces = screen_lines(screen)
    logs = [p for p in pieces if LOG.search(p)]
    bars = [p for p in pieces if BAR.search(p)]
    assert len(logs) == 2 and bars, screen  # both were drawn: the test sees what it checks
    mixed = [p for p in pieces if LOG.search(p) and BAR.search(p)]
    assert not mixed, mixed
    assert all(LOG.match(p[p.index("INFO") :]) and p.startswith("20") for p in logs), logs

    piped = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True
    )
    assert len(LOG.findall(piped.stderr)) == 2 and not BAR.search(piped.stderr) and "\r" not in piped.stderr
    assert "合计" in piped.stdout
