"""The partner API: token-scoped pushes with the web upload's validation and results, and its schema."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Organisation
from jiandu.analytics.contract import load_contract
from jiandu.registry.models import Payment, Unit
from jiandu.sources.models import ApiToken, Delivery
from jiandu.sources.tokens import api_token_create
from tests import builders
from tests.sources.samples import sample_csv, sample_rows

pytestmark = pytest.mark.django_db
CONTRACT = load_contract()
CREATE = "/api/v1/deliveries/"


def token_for(tables: list[str], name: str = "财政一体化系统") -> str:
    org = builders.make_org(Organisation.Kind.FINANCE_BUREAU, builders.COUNTY_A, name=f"财政局-{name}")
    return api_token_create(name=name, organisation=org, tables=tables)[1]


def file_of(tmp_path, table: str, name: str, bad: bool = False) -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    rows = sample_rows(CONTRACT[table], 2)
    path = sample_csv(tmp_path / name, table, rows)
    if bad:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"P-BAD,{rows[0]['payer_code']},某公司,,abc,2025-01-01,,\n")
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def push(token: str, file: SimpleUploadedFile, **extra: str):  # type: ignore[no-untyped-def]
    return Client().post(CREATE, {"file": file, **extra}, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_token_pushes_its_table_and_reads_the_result(tmp_path):
    token = token_for(["payments"])
    response = push(token, file_of(tmp_path, "payments", "国库集中支付.csv", bad=True))
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["table_name"], body["accepted"], body["rejected"]) == (
        "done",
        "payments",
        2,
        1,
    )
    assert body["errors"][0]["row"] == 4 and "金额" in body["errors"][0]["reasons"]
    assert response["Location"] == f"{CREATE}{body['id']}/"
    delivery = Delivery.objects.get(pk=body["id"])
    assert delivery.channel == "api" and delivery.scope_region == builders.COUNTY_A
    assert Payment.objects.filter(delivery=delivery).count() == 2
    read = Client().get(f"{CREATE}{body['id']}/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert read.status_code == 200 and read.json()["accepted"] == 2
    again = push(token, file_of(tmp_path, "payments", "国库集中支付.csv", bad=True)).json()
    assert (again["accepted"], again["unchanged"], again["rejected"]) == (0, 2, 1)


def test_token_for_one_table_cannot_deliver_another(tmp_path):
    token = token_for(["payments"])
    response = push(token, file_of(tmp_path, "units", "单位名录.csv"), table="units")
    assert response.status_code == 403
    assert not Delivery.objects.exists()
    # Without naming the table, the file is read and refused once it is recognised.
    body = push(token, file_of(tmp_path, "units", "单位名录.csv")).json()
    assert body["status"] == "failed" and "无权" in body["message"]
    assert not Unit.objects.exists()


def test_token_cannot_read_other_deliveries(people, tmp_path):
    mine, theirs = token_for(["payments"], "甲系统"), token_for(["payments"], "乙系统")
    other = push(theirs, file_of(tmp_path, "payments", "a.csv")).json()["id"]
    web = builders.make_delivery(scope_region=builders.COUNTY_A)
    for pk in (other, web.pk, 999999):
        assert Client().get(f"{CREATE}{pk}/", HTTP_AUTHORIZATION=f"Bearer {mine}").status_code == 404


def test_bad_revoked_or_missing_tokens_are_refused(tmp_path):
    token = token_for(["payments"])
    assert Client().post(CREATE, {"file": file_of(tmp_path, "payments", "a.csv")}).status_code in (401, 403)
    assert push("jd_wrong", file_of(tmp_path, "payments", "a.csv")).status_code == 401
    from django.utils import timezone

    ApiToken.objects.update(revoked_at=timezone.now())
    assert push(token, file_of(tmp_path, "payments", "a.csv")).status_code == 401
    assert not Delivery.objects.exists()


def test_token_is_stored_only_as_keyed_digest():
    token = token_for(["payments"])
    record = ApiToken.objects.get()
    assert token not in (record.digest, record.name) and len(record.digest) == 64
    assert record.algorithm == "sm3"


def test_session_users_follow_their_capabilities(people, tmp_path):
    clerk, partner = Client(), Client()
    clerk.force_login(people["clerk"])
    partner.force_login(people["partner"])
    ok = clerk.post(CREATE, {"file": file_of(tmp_path, "payments", "a.csv")})
    assert ok.status_code == 202 and ok.json()["accepted"] == 2
    assert partner.post(CREATE, {"file": file_of(tmp_path, "payments", "b.csv")}).status_code == 404
    assert partner.get(f"{CREATE}{ok.json()['id']}/").status_code == 404
    outsider = Client()
    outsider.force_login(people["outsider"])
    assert outsider.get(f"{CREATE}{ok.json()['id']}/").status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["clerk"])
    assert strict.post(CREATE, {"file": file_of(tmp_path, "payments", "c.csv")}).status_code == 403


def test_openapi_schema_describes_the_endpoints(tmp_path):
    token = token_for(["payments"])
    response = Client().get(reverse("api_schema"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "/api/v1/deliveries/" in text and "/api/v1/deliveries/{id}/" in text and "multipart/form-data" in text
    )
    assert "partnerToken" in text and "bearer" in text


def test_api_token_command_prints_the_token_once_and_it_works(tmp_path):
    from click.testing import CliRunner

    from jiandu.sources.commands import api_token_command

    org = builders.make_org(Organisation.Kind.FINANCE_BUREAU, builders.COUNTY_A, name="某县财政局")
    args = ["--name", "一体化", "--organisation", org.name, "--tables", "payments,contracts"]
    result = CliRunner().invoke(api_token_command, args)
    assert result.exit_code == 0, result.output
    token = result.output.splitlines()[1]
    assert ApiToken.objects.get().tables == ["contracts", "payments"]
    assert push(token, file_of(tmp_path, "payments", "a.csv")).status_code == 202
    bad = CliRunner().invoke(api_token_command, [*args[:4], "--tables", "nope"])
    assert bad.exit_code != 0 and "未知的数据表" in bad.output
