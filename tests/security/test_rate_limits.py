"""Anti-automation on intake (ASVS 2.4.1), through the web layer and the API: uploads per user, API pushes per
token, lead registrations per user. Each limit answers 429 in Chinese (JSON for the API) and logs the refusal
as denied / rate_limited, like the read throttle (test_fail_secure.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiandu.accounts.models import Organisation
from jiandu.analytics.contract import load_contract
from jiandu.audit.models import AccessEvent
from jiandu.leads.models import Lead
from jiandu.sources.models import ApiToken, Delivery
from jiandu.sources.tokens import api_token_create
from tests import builders
from tests.leads.helpers import client_for, register
from tests.sources.samples import sample_csv, sample_rows

pytestmark = pytest.mark.django_db
CREATE = "/api/v1/deliveries/"


def payments_file(tmp_path, n: int) -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    rows = sample_rows(load_contract()["payments"], 2)
    path = sample_csv(tmp_path / f"支付{n}.csv", "payments", rows)
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")


def rate_limited_events(limit: str) -> list[AccessEvent]:
    rows = AccessEvent.objects.filter(action="denied", details__reason="rate_limited", details__limit=limit)
    return list(rows.order_by("seq"))


def test_uploads_per_user_are_limited(people, tmp_path, settings):
    settings.JIANDU_UPLOADS_PER_HOUR = 2
    clerk = client_for(people["clerk"])
    url = reverse("delivery_upload")
    statuses = [clerk.post(url, {"file": payments_file(tmp_path, i)}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    refused = clerk.post(url, {"file": payments_file(tmp_path, 9)})
    body = refused.content.decode()
    assert refused.status_code == 429 and "上传文件过于频繁" in body and "每小时最多 2 次" in body
    assert int(refused["Retry-After"]) > 3500
    assert Delivery.objects.count() == 2  # nothing of the refused files was stored
    assert clerk.get(url).status_code == 200  # the form itself stays open
    events = rate_limited_events("uploads_per_hour")
    assert [(e.actor, e.object_type, e.path) for e in events] == [
        (people["clerk"], "sources.delivery", url)
    ] * 2
    # per user: another clerk still uploads; an hour later the first one does too
    other = builders.make_user("clerk2", "clerk", builders.COUNTY_A)
    assert client_for(other).post(url, {"file": payments_file(tmp_path, 5)}).status_code == 302
    Delivery.objects.filter(submitted_by=people["clerk"]).update(
        created_at=timezone.now() - dt.timedelta(minutes=61)
    )
    assert clerk.post(url, {"file": payments_file(tmp_path, 6)}).status_code == 302


def test_api_pushes_per_token_are_limited_with_a_json_answer(tmp_path, settings):
    settings.JIANDU_API_PUSHES_PER_HOUR = 2
    org = builders.make_org(Organisation.Kind.FINANCE_BUREAU, builders.COUNTY_A, name="财政局")
    _, token = api_token_create(name="一体化系统", organisation=org, tables=["payments"])
    _, other = api_token_create(name="另一系统", organisation=org, tables=["payments"])

    def push(secret: str, n: int):  # type: ignore[no-untyped-def]
        return Client().post(
            CREATE, {"file": payments_file(tmp_path, n)}, HTTP_AUTHORIZATION=f"Bearer {secret}"
        )

    assert [push(token, i).status_code for i in range(2)] == [202, 202]
    refused = push(token, 3)
    assert refused.status_code == 429 and refused["Content-Type"] == "application/json"
    body = refused.json()
    assert body["code"] == "rate_limited" and body["limit_per_hour"] == 2
    assert "推送报送文件过于频繁" in body["detail"] and body["retry_after_seconds"] > 3500
    assert refused["Retry-After"] == str(body["retry_after_seconds"])
    assert push(other, 4).status_code == 202  # per token
    (event,) = rate_limited_events("api_pushes_per_hour")
    token_pk = ApiToken.objects.get(name="一体化系统").pk
    assert (event.actor, event.object_type, event.object_id) == (None, "sources.apitoken", str(token_pk))
    assert Delivery.objects.count() == 3


def test_api_use_by_a_signed_in_user_counts_as_their_uploads(people, tmp_path, settings):
    settings.JIANDU_UPLOADS_PER_HOUR = 1
    clerk = client_for(people["clerk"])
    assert clerk.post(reverse("delivery_upload"), {"file": payments_file(tmp_path, 1)}).status_code == 302
    refused = clerk.post(CREATE, {"file": payments_file(tmp_path, 2)})
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert len(rate_limited_events("uploads_per_hour")) == 1


def test_lead_registrations_per_user_are_limited(people, settings):
    settings.JIANDU_LEADS_PER_HOUR = 2
    owner = client_for(people["owner"])
    statuses = [register(owner, subject_id_1=builders.make_id(seq=40 + i)).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert Lead.objects.count() == 2
    assert "登记问题线索过于频繁" in register(owner).content.decode()
    assert owner.get(reverse("lead_new")).status_code == 200
    # registering from a registry record is the same act and counts the same
    petition = builders.make_record("petitions", builders.COUNTY_A, petition_no="XF-9")
    from_record = owner.post(reverse("lead_from_registry", args=["petitions", petition.pk]))
    assert from_record.status_code == 429
    events = rate_limited_events("leads_per_hour")
    assert len(events) == 3 and {e.object_type for e in events} == {"leads.lead"}
    assert client_for(people["colleague"]).get(reverse("lead_new")).status_code == 200
    assert register(client_for(people["colleague"]), subject_id_1=builders.make_id(seq=49)).status_code == 302


def test_limits_are_off_when_zero(people, tmp_path, settings):
    settings.JIANDU_UPLOADS_PER_HOUR = 0
    clerk = client_for(people["clerk"])
    for i in range(4):
        assert clerk.post(reverse("delivery_upload"), {"file": payments_file(tmp_path, i)}).status_code == 302
    assert not rate_limited_events("uploads_per_hour")
