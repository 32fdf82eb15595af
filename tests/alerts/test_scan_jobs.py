"""A scan is a tracked job: recorded as running from its start with its progress, done with its alerts in one
transaction, failed with its reason when it raises or when its process is killed; its page shows all of this
to readers of alerts and to no one else."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.alerts import scanning
from jiandu.alerts.models import Alert, Scan
from jiandu.alerts.scanning import scan_run
from jiandu.analytics.rules.engine import RuleParameterError
from jiandu.jobs.recovery import jobs_recover
from jiandu.jobs.worker import current_worker
from tests.alerts.test_alerts import AS_OF, client_for, plant_coi02
from tests.jobs.processes import exited_worker
from tests.sources.scratch import ROOT


@pytest.mark.django_db
def test_a_scan_reports_its_phase_and_progress_while_it_runs(people):
    plant_coi02()
    seen = []

    def progress(code: str, done: int, total: int) -> None:
        seen.append(Scan.objects.values_list("status", "phase", "steps_done", "steps_total", "worker").get())

    scan = scan_run(as_of=AS_OF, codes=["COI-02", "COI-01"], progress=progress)
    first, last = seen[0], seen[-1]
    assert first == ("running", "rules", 1, 2, str(current_worker()))  # the first rule is written at once
    assert last == ("running", "rules", 2, 2, str(current_worker()))
    scan.refresh_from_db()
    assert (scan.status, scan.phase, scan.steps_done, scan.finished_at is not None) == ("done", "", 2, True)
    assert Alert.objects.filter(last_scan=scan).count() == scan.summary["counts"]["new"] == 1


@pytest.mark.django_db
def test_a_scan_that_raises_is_failed_with_its_reason_and_changes_no_alert(people, monkeypatch):
    plant_coi02()
    kept = scan_run(as_of=AS_OF, codes=["COI-02"])
    alerts = list(Alert.objects.values_list("fingerprint", "last_scan"))

    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(scanning, "alerts_reconcile", broken)
    with pytest.raises(RuntimeError):
        scan_run(as_of=AS_OF, codes=["COI-02"])
    failed = Scan.objects.exclude(pk=kept.pk).get()
    assert (failed.status, failed.phase, failed.message) == ("failed", "", "扫描时发生内部错误，预警未改变")
    assert list(Alert.objects.values_list("fingerprint", "last_scan")) == alerts

    with pytest.raises(RuleParameterError):  # refused before anything is recorded
        scan_run(as_of=AS_OF, codes=["NOPE-01"])
    assert Scan.objects.count() == 2


@pytest.mark.django_db
def test_recovery_fails_a_running_scan_whose_process_is_gone(people):
    dead = Scan.objects.create(as_of=AS_OF, status="running", phase="rules", worker=exited_worker())
    alive = Scan.objects.create(as_of=AS_OF, status="running", phase="rules", worker=str(current_worker()))
    assert [(r.kind, r.pk, r.reason) for r in jobs_recover()] == [
        ("扫描", dead.pk, "处理进程中断（进程已退出）")
    ]
    dead.refresh_from_db(), alive.refresh_from_db()
    assert (dead.status, dead.phase, dead.message) == ("failed", "", "处理进程中断（进程已退出）")
    assert alive.status == "running"
    page = client_for(people["owner"]).get(reverse("scan_detail", args=[dead.pk])).content.decode()
    assert "处理进程中断（进程已退出）" in page and "重新运行 jiandu scan" in page


@pytest.mark.django_db
def test_scan_pages_are_for_readers_of_alerts_only(people):
    scan = Scan.objects.create(as_of=AS_OF, status="running", phase="rules", steps_done=3, steps_total=40)
    urls = [
        reverse("scan_list"),
        reverse("scan_detail", args=[scan.pk]),
        reverse("scan_progress", args=[scan.pk]),
    ]
    for name in ("owner", "colleague", "outsider", "city"):  # every role that reads alerts, any region
        for url in urls:
            assert client_for(people[name]).get(url).status_code == 200, (name, url)
    progress = client_for(people["owner"]).get(urls[2]).json()
    assert progress | {"status": "running", "status_label": "正在运行规则", "percent": 8} == progress
    page = client_for(people["owner"]).get(urls[1]).content.decode()
    assert "正在运行规则" in page and 'data-progress-url="' + urls[2] in page
    for name in ("clerk", "admin", "partner"):  # without the right to read alerts (partners are withheld it)
        for url in urls:
            assert client_for(people[name]).get(url).status_code == 404, (name, url)
    assert client_for(people["owner"]).get(reverse("scan_detail", args=[scan.pk + 1])).status_code == 404
    assert Client().get(urls[0]).status_code == 302


HOLD = """
import datetime as dt, sys, time
from jiandu.alerts.scanning import scan_run

def hold(code, done, total):
    sys.stderr.write("SCAN_RUNNING\\n")
    sys.stderr.flush()
    time.sleep(120)

scan_run(as_of=dt.date(2026, 6, 30), progress=hold)
"""


@pytest.mark.slow
def test_a_scan_killed_mid_run_is_reported_failed(scratch):
    child = subprocess.Popen(
        [sys.executable, "-m", "jiandu", "shell", "-c", HOLD],
        cwd=ROOT,
        env=scratch.env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert child.stderr is not None
    for line in child.stderr:
        if line.startswith("SCAN_RUNNING"):
            break
    else:
        pytest.fail("the scan ended without running a rule")
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    assert scratch.row("SELECT status, phase, steps_done FROM alerts_scan") == ("running", "rules", 1)

    recovered = scratch.jiandu("jobs", "recover")
    assert recovered.returncode == 0, recovered.stderr
    assert "扫描 #" in recovered.stdout and "处理进程中断（进程已退出）" in recovered.stdout
    assert scratch.row("SELECT status, message FROM alerts_scan") == ("failed", "处理进程中断（进程已退出）")
    assert scratch.scalar("SELECT COUNT(*) FROM alerts_alert") == 0
