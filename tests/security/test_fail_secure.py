"""Failing closed, immediate authorization changes, log injection, and no account enumeration by message."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.audit.models import AccessEvent
from jiandu.audit.services import access_event_record
from jiandu.audit.verify import chain_verify
from tests import builders

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_no_record_is_shown_when_the_access_log_cannot_be_written(people, monkeypatch):
    record = builders.make_record("officials", builders.COUNTY_A, name="张三")
    client = client_for(people["owner"])

    def broken(fields):  # type: ignore[no-untyped-def]
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("jiandu.audit.services.chain_append", broken)
    response = client.get(reverse("registry_detail", args=["officials", record.pk]))
    assert response.status_code == 500 and "张三" not in response.content.decode()


def test_role_change_takes_effect_on_the_next_request(people):
    record = builders.make_record("officials", builders.COUNTY_A)
    user = people["owner"]
    client = client_for(user)
    url = reverse("registry_detail", args=["officials", record.pk])
    assert client.get(url).status_code == 200
    user.role = "clerk"
    user.save()
    assert client.get(url).status_code == 404
    user.role = "supervisor"
    user.jurisdiction = builders.COUNTY_B
    user.save()
    assert client.get(url).status_code == 404


def test_control_characters_stay_data_and_do_not_break_the_chain(people):
    nasty = "x\r\nINFO forged line\u2028\x00end"
    event = access_event_record(
        request_or_user=people["city"],
        action="view",
        object_type="registry.officials",
        object_id=nasty,
        details={"note": nasty},
    )
    stored = AccessEvent.objects.get(pk=event.pk)
    assert stored.object_id == stored.details["note"] == "x\r\nINFO forged line\u2028end"
    assert chain_verify().intact


def _error_message(response) -> str:  # type: ignore[no-untyped-def]
    body = response.content.decode()
    return body.split('<p class="error">')[1].split("</p>")[0]


def test_unknown_account_and_wrong_password_get_the_same_answer(people):
    known = Client().post(reverse("login"), {"username": "owner", "password": "Wrong-pass-123"})
    unknown = Client().post(reverse("login"), {"username": "nobody", "password": "Wrong-pass-123"})
    assert known.status_code == unknown.status_code == 200
    assert _error_message(known) == _error_message(unknown) == "用户名或密码不正确，请重新输入。"


def test_a_burst_of_list_and_search_pages_is_throttled(people, settings):
    settings.JIANDU_READ_PAGES_PER_MINUTE = 3
    client = client_for(people["owner"])
    url = reverse("registry_list", args=["officials"])
    statuses = [client.get(url, {"q": f"name{i}"} if i % 2 else {}).status_code for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert AccessEvent.objects.filter(action="denied", details__reason="rate_limited").count() == 2
    assert client_for(people["colleague"]).get(url).status_code == 200  # per user, not per address
