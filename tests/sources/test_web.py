"""The clerk's pages: upload, result with progress, error report, list; everyone else gets 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jiandu.analytics.contract import load_contract
from jiandu.registry.models import Payment
from jiandu.sources.models import Delivery
from tests import builders
from tests.sources.samples import sample_csv, sample_rows

pytestmark = pytest.mark.django_db
CONTRACT = load_contract()


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def payments_file(tmp_path, bad: bool = True) -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    rows = sample_rows(CONTRACT["payments"], 3)
    path = sample_csv(tmp_path / "国库集中支付.csv", "payments", rows)
    if bad:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"P-BAD,{rows[0]['payer_code']},某公司,,abc,2025-01-01,,\n")
    return SimpleUploadedFile("国库集中支付.csv", path.read_bytes(), content_type="text/csv")


def upload(client: Client, file: SimpleUploadedFile):  # type: ignore[no-untyped-def]
    page = client.get(reverse("delivery_upload"))
    token = (
        page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    )
    return client.post(reverse("delivery_upload"), {"file": file, "csrfmiddlewaretoken": token})


def test_clerk_uploads_sees_result_and_downloads_error_report(people, tmp_path):
    clerk = client_for(people["clerk"])
    response = upload(clerk, payments_file(tmp_path))
    delivery = Delivery.objects.get()
    assert response.status_code == 302 and response.url == reverse("delivery_detail", args=[delivery.pk])
    assert (delivery.status, delivery.accepted, delivery.rejected, delivery.channel) == ("done", 3, 1, "web")
    assert delivery.scope_region == builders.COUNTY_A and delivery.submitted_by == people["clerk"]
    assert Payment.objects.filter(delivery=delivery).count() == 3
    page = clerk.get(response.url).content.decode()
    assert "已完成" in page and "sources/progress.js" in page and "<script>" not in page
    progress = clerk.get(reverse("delivery_progress", args=[delivery.pk])).json()
    assert progress | {"status": "done", "processed_rows": 4, "total_rows": 4, "percent": 100} == progress
    # while the checked rows are written in the merge transaction, the page says so instead of sitting at 100 %
    Delivery.objects.filter(pk=delivery.pk).update(status="running")
    progress = clerk.get(reverse("delivery_progress", args=[delivery.pk])).json()
    assert (progress["percent"], progress["status_label"]) == (100, "正在写入登记库（一次提交）")
    assert "正在写入登记库" in clerk.get(response.url).content.decode()
    Delivery.objects.filter(pk=delivery.pk).update(status="done")
    report = clerk.get(reverse("delivery_errors", args=[delivery.pk, "csv"]))
    body = b"".join(report.streaming_content).decode("utf-8-sig")
    assert "P-BAD" in body and "金额" in body
    xlsx = clerk.get(reverse("delivery_errors", args=[delivery.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    listing = clerk.get(reverse("delivery_list")).content.decode()
    assert "国库集中支付.csv" in listing


def test_upload_without_csrf_token_is_refused(people, tmp_path):
    clerk = client_for(people["clerk"])
    response = clerk.post(reverse("delivery_upload"), {"file": payments_file(tmp_path)})
    assert response.status_code == 403
    assert not Delivery.objects.exists()


def test_other_county_and_roles_without_right_get_404(people, tmp_path):
    upload(client_for(people["clerk"]), payments_file(tmp_path))
    delivery = Delivery.objects.get()
    urls = [
        reverse("delivery_detail", args=[delivery.pk]),
        reverse("delivery_progress", args=[delivery.pk]),
        reverse("delivery_errors", args=[delivery.pk, "csv"]),
        reverse("delivery_errors", args=[delivery.pk, "xlsx"]),
    ]
    for url in urls:
        assert client_for(people["colleague"]).get(url).status_code == 200, url
        assert client_for(people["city"]).get(url).status_code == 200, url
        assert client_for(people["outsider"]).get(url).status_code == 404, url
        assert client_for(people["partner"]).get(url).status_code == 404, url
    assert (
        "国库集中支付.csv"
        not in client_for(people["outsider"]).get(reverse("delivery_list")).content.decode()
    )
    # Only data clerks upload; reading roles are refused the upload page.
    for name in ("owner", "outsider", "partner", "admin"):
        assert client_for(people[name]).get(reverse("delivery_upload")).status_code == 404, name
    assert client_for(people["partner"]).get(reverse("delivery_list")).status_code == 404
    assert Client().get(reverse("delivery_list")).status_code == 302


def test_nav_shows_deliveries_to_clerks_only(people):
    assert "数据报送" in client_for(people["clerk"]).get(reverse("home")).content.decode()
    assert "数据报送" not in client_for(people["partner"]).get(reverse("home")).content.decode()


def test_templates_download(people):
    clerk = client_for(people["clerk"])
    assert "国库集中支付" in clerk.get(reverse("template_list")).content.decode()
    response = clerk.get(reverse("template_download", args=["payments"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert clerk.get(reverse("template_download", args=["nope"])).status_code == 404
    assert client_for(people["partner"]).get(reverse("template_list")).status_code == 404
