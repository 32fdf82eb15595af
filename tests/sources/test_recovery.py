"""A delivery whose process is killed (SIGKILL) mid-import: recovery marks it failed with the reason, none of
its rows are in the registry, and a retry stores it whole. Real child processes on a scratch database of the
kind the suite runs on (SQLite file or PostgreSQL), for both ways an import runs: `jiandu import`, and the task
consumer importing an upload."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from jiandu.analytics.contract import load_contract
from tests.sources.samples import sample_csv, sample_rows
from tests.sources.scratch import ROOT, Scratch

pytestmark = pytest.mark.slow
CONTRACT = load_contract()
ROWS = 500
CONSUMER = ("run_huey", "--workers", "1", "--max-delay", "0.5", "--no-periodic")

ACCEPT = """
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from jiandu.sources.uploads import delivery_accept
path = Path({path!r})
print(delivery_accept(upload=SimpleUploadedFile(path.name, path.read_bytes())).pk)
"""
RETRY = """
from jiandu.sources.models import Delivery
from jiandu.sources.uploads import delivery_retry
print(delivery_retry(delivery=Delivery.objects.get(pk={pk}), user=None).pk)
"""


def delivery(db: Scratch, pk: int) -> dict[str, object]:
    row = db.row(f"SELECT status, message, phase, worker FROM sources_delivery WHERE id = {pk}")
    return dict(zip(["status", "message", "phase", "worker"], row, strict=True))


def test_killed_cli_import_is_marked_failed_by_recover_and_a_rerun_stores_it(tmp_path, scratch):
    db = scratch
    payments = sample_csv(tmp_path / "国库集中支付.csv", "payments", sample_rows(CONTRACT["payments"], ROWS))

    pk = db.killed_import(payments, step="staged")  # keys staged, merge about to start
    assert delivery(db, pk)["status"] == "running"
    assert db.scalar("SELECT COUNT(*) FROM registry_payments") == 0

    recovered = db.jiandu("jobs", "recover")
    assert recovered.returncode == 0, recovered.stderr
    assert f"报送 #{pk}：处理进程中断（进程已退出）" in recovered.stdout
    state = delivery(db, pk)
    assert (state["status"], state["phase"]) == ("failed", "")
    assert str(state["message"]).startswith("处理进程中断（进程已退出）")
    assert db.scalar("SELECT COUNT(*) FROM registry_payments") == 0
    again = db.jiandu("jobs", "recover")  # nothing left to recover; the failed one stays as it is
    assert "没有处理进程已中断的作业" in again.stdout and delivery(db, pk) == state

    rerun = db.jiandu("import", str(payments), "--quiet")
    assert rerun.returncode == 0, rerun.stderr
    last = db.scalar("SELECT MAX(id) FROM sources_delivery")
    assert db.scalar(f"SELECT COUNT(*) FROM registry_payments WHERE delivery_id = {last}") == ROWS
    assert db.scalar("SELECT COUNT(*) FROM registry_payments") == ROWS


def consumer(db: Scratch) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "jiandu", *CONSUMER],
        cwd=ROOT,
        env=db.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def wait_for(db: Scratch, pk: int, status: str, seconds: float = 90) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = delivery(db, pk)
        if state["status"] == status:
            return state
        time.sleep(0.3)
    pytest.fail(f"delivery {pk} did not become {status}: {delivery(db, pk)}")


def test_consumer_killed_mid_import_recovers_on_restart_and_the_retry_stores_the_upload(tmp_path, scratch):
    step = "merged"  # inside the merge transaction: every row written, nothing committed
    db = scratch
    db.env.pop("JIANDU_TASK_BROKER", None)  # the built-in SQLite queue in the scratch data folder
    db.env["JIANDU_TASKS_IMMEDIATE"] = "false"
    payments = sample_csv(tmp_path / "国库集中支付.csv", "payments", sample_rows(CONTRACT["payments"], ROWS))
    accepted = db.jiandu("shell", "-c", ACCEPT.format(path=str(payments)))
    assert accepted.returncode == 0, accepted.stderr
    pk = int(accepted.stdout.split()[-1])
    assert delivery(db, pk)["status"] == "pending"

    killed = db.kill_when_paused(db.paused(step, *CONSUMER), step)
    assert killed == pk
    state = delivery(db, pk)
    assert state["status"] == "running" and f"|{os.getpid()}|" not in str(state["worker"])
    assert db.scalar("SELECT COUNT(*) FROM registry_payments") == 0

    restarted = consumer(db)
    try:
        state = wait_for(db, pk, "failed")  # the consumer's start-up recovery
        assert str(state["message"]).startswith("处理进程中断（进程已退出）")
        assert db.scalar("SELECT COUNT(*) FROM registry_payments") == 0

        retried = db.jiandu("shell", "-c", RETRY.format(pk=pk))
        assert retried.returncode == 0, retried.stderr
        retry = int(retried.stdout.split()[-1])
        wait_for(db, retry, "done")
    finally:
        restarted.send_signal(signal.SIGINT)
        restarted.wait(timeout=30)
    assert db.scalar(f"SELECT retry_of_id FROM sources_delivery WHERE id = {retry}") == pk
    assert db.scalar(f"SELECT COUNT(*) FROM registry_payments WHERE delivery_id = {retry}") == ROWS
    assert db.scalar("SELECT COUNT(*) FROM registry_payments") == ROWS
    assert delivery(db, pk)["status"] == "failed"  # the failure stays on record
