"""A failed delivery is retried from its page (POST + CSRF, a data clerk who may see it); the page shows the
import's phase while it runs; recovery fails only deliveries whose worker is gone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiandu.accounts.roles import Role
from jiandu.jobs.commands import jobs
from jiandu.jobs.worker import current_worker
from jiandu.registry.models import Payment
from jiandu.sources.hooks import step_observer_add, step_observer_remove
from jiandu.sources.models import Delivery
from jiandu.sources.selectors import delivery_progress
from tests import builders
from tests.jobs.processes import exited_worker
from tests.sources.test_web import client_for, payments_file, upload

pytestmark = pytest.mark.django_db


class Boom(RuntimeError):
    pass


def failed_upload(people, tmp_path) -> Delivery:  # type: ignore[no-untyped-def]
    def fail(delivery: Delivery, step: str) -> None:
        if step == "merged":
            raise Boom("database went away")

    step_observer_add(fail)
    try:
        upload(client_for(people["clerk"]), payments_file(tmp_path, bad=False))
    finally:
        step_observer_remove(fail)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.message) == ("failed", "入库时发生内部错误，已回滚")
    assert not Payment.objects.exists()
    return delivery


def retry(client: Client, delivery: Delivery, csrf: bool = True):  # type: ignore[no-untyped-def]
    url = reverse("delivery_retry", args=[delivery.pk])
    data = {}
    if csrf:
        client.get(reverse("delivery_detail", args=[delivery.pk]))
        data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    return client.post(url, data)


def test_clerk_retries_a_failed_upload_from_its_page(people, tmp_path):
    failed = failed_upload(people, tmp_path)
    clerk = client_for(people["clerk"])
    page = clerk.get(reverse("delivery_detail", args=[failed.pk])).content.decode()
    assert reverse("delivery_retry", args=[failed.pk]) in page and "重试" in page

    response = retry(clerk, failed)
    again = Delivery.objects.exclude(pk=failed.pk).get()
    assert response.status_code == 302 and response.url == reverse("delivery_detail", args=[again.pk])
    assert (again.status, again.accepted, again.retry_of, again.channel) == ("done", 3, failed, "web")
    assert (again.file_hash, again.scope_region) == (failed.file_hash, failed.scope_region)
    assert Payment.objects.filter(delivery=again).count() == 3 == Payment.objects.count()
    failed.refresh_from_db()
    assert failed.status == "failed"  # the failure stays on record, pointing to its retry
    page = clerk.get(reverse("delivery_detail", args=[failed.pk])).content.decode()
    assert f"已重试，见报送 #{again.pk}" in page and reverse("delivery_retry", args=[failed.pk]) not in page
    assert f"#{failed.pk}" in clerk.get(reverse("delivery_detail", args=[again.pk])).content.decode()

    # a second retry of the same failure is refused: the file is already stored
    response = retry(clerk, failed)
    assert response.status_code == 302 and Delivery.objects.count() == 2


def test_retry_is_refused_to_whoever_may_not_deliver_here_and_without_csrf(people, tmp_path):
    failed = failed_upload(people, tmp_path)
    other_clerk = builders.make_user("clerk_b", Role.CLERK, builders.COUNTY_B)
    refused = {
        "other county's clerk": client_for(other_clerk),
        "leader (reads deliveries, does not deliver)": client_for(people["colleague"]),
        "outsider": client_for(people["outsider"]),
        "partner": client_for(people["partner"]),
    }
    for who, client in refused.items():
        client.get(reverse("home"))
        token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
        response = client.post(reverse("delivery_retry", args=[failed.pk]), {"csrfmiddlewaretoken": token})
        assert response.status_code == 404, who
    page = client_for(people["colleague"]).get(reverse("delivery_detail", args=[failed.pk])).content.decode()
    assert reverse("delivery_retry", args=[failed.pk]) not in page  # sees the delivery, not the button
    clerk = client_for(people["clerk"])
    assert retry(clerk, failed, csrf=False).status_code == 403
    assert clerk.get(reverse("delivery_retry", args=[failed.pk])).status_code == 405
    assert Client().post(reverse("delivery_retry", args=[failed.pk])).status_code in (302, 403)
    assert Delivery.objects.count() == 1
    assert retry(clerk, failed).status_code == 302 and Delivery.objects.count() == 2  # positive control


def test_retry_needs_a_failed_delivery_whose_archived_file_is_unchanged(people, tmp_path):
    failed = failed_upload(people, tmp_path)
    clerk = client_for(people["clerk"])
    archived = Path(failed.stored_path)
    original = archived.read_bytes()
    archived.write_bytes(original + b"\n")
    page = clerk.get(reverse("delivery_detail", args=[failed.pk])).content.decode()
    assert "存档中的原文件已不存在或已改变，请重新上传" in page
    assert retry(clerk, failed).status_code == 302 and Delivery.objects.count() == 1
    archived.write_bytes(original)

    cli = Delivery.objects.create(file_name="a.csv", status="failed", scope_region=builders.COUNTY_A)
    page = clerk.get(reverse("delivery_detail", args=[cli.pk])).content.decode()
    assert "请重新运行 jiandu import" in page
    assert retry(clerk, cli).status_code == 302 and Delivery.objects.count() == 2

    Delivery.objects.filter(pk=failed.pk).update(status="done")
    assert retry(clerk, failed).status_code == 302 and Delivery.objects.count() == 2


def test_the_page_reports_the_phase_while_the_rows_are_written(people, tmp_path):
    seen: dict[str, dict] = {}
    reader = client_for(people["colleague"])

    def look(delivery: Delivery, step: str) -> None:
        if step == "staged":  # between the staging and the merge transaction
            seen[step] = reader.get(reverse("delivery_progress", args=[delivery.pk])).json()
            seen["page"] = {
                "html": reader.get(reverse("delivery_detail", args=[delivery.pk])).content.decode()
            }

    step_observer_add(look)
    try:
        upload(client_for(people["clerk"]), payments_file(tmp_path))
    finally:
        step_observer_remove(look)
    progress = seen["staged"]
    assert (progress["status"], progress["phase"], progress["status_label"]) == (
        "running",
        "writing",
        "正在写入登记库（一次提交）",
    )
    assert (progress["processed_rows"], progress["total_rows"], progress["rejected"]) == (4, 4, 1)
    assert not progress["finished"] and "正在写入登记库" in seen["page"]["html"]
    done = delivery_progress(Delivery.objects.get())
    assert (done["status"], done["phase"], done["finished"]) == ("done", "", True)


def test_recover_fails_only_the_deliveries_whose_worker_is_gone(people):
    now = timezone.now()
    running = {"status": "running", "phase": "writing", "scope_region": builders.COUNTY_A}
    Delivery.objects.create(file_name="alive.csv", worker=str(current_worker()), **running)
    dead = Delivery.objects.create(file_name="dead.csv", worker=exited_worker(), message="说明", **running)
    Delivery.objects.create(file_name="elsewhere.csv", worker="other-host|1|b|1", heartbeat_at=now, **running)
    stale = Delivery.objects.create(
        file_name="stale.csv", worker="", heartbeat_at=now - dt.timedelta(days=1), **running
    )
    result = CliRunner().invoke(jobs, ["recover"])
    assert result.exit_code == 0, result.output
    assert f"报送 #{dead.pk}：处理进程中断（进程已退出）" in result.output
    assert f"报送 #{stale.pk}：处理进程中断（超过 21600 秒没有进度）" in result.output
    assert "已标记失败 2 个作业" in result.output
    states = {d.file_name: (d.status, d.phase) for d in Delivery.objects.all()}
    assert states == {
        "alive.csv": ("running", "writing"),
        "dead.csv": ("failed", ""),
        "elsewhere.csv": ("running", "writing"),
        "stale.csv": ("failed", ""),
    }
    dead.refresh_from_db()
    assert dead.message == "处理进程中断（进程已退出）\n说明" and dead.finished_at is not None
    page = client_for(people["clerk"]).get(reverse("delivery_detail", args=[dead.pk])).content.decode()
    assert "处理进程中断（进程已退出）" in page
