"""Sign-in hardening: lockout per account + address with a cool-off, and a higher per-address brake."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.audit.models import AccessEvent
from jiandu.security.models import SignInFailure
from tests import builders

pytestmark = pytest.mark.django_db
HOME = "/"


def _try(username: str, password: str, address: str = "10.1.1.1"):  # type: ignore[no-untyped-def]
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": username, "password": password})


def _signed_in(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302


def _fail(username: str, times: int, address: str = "10.1.1.1") -> None:
    for _ in range(times):
        assert not _signed_in(_try(username, "Wrong-password-1", address))


def test_five_failures_lock_the_account_from_that_address(people):
    _fail("owner", 5)
    response = _try("owner", builders.PASSWORD)
    assert not _signed_in(response)
    body = response.content.decode()
    assert "已暂时锁定" in body and "15 分钟" in body
    assert AccessEvent.objects.filter(action="locked_out").count() == 1
    assert SignInFailure.objects.count() == 5  # the attempt while locked is logged, not counted


def test_lock_is_per_account_and_address_never_address_alone(people):
    _fail("owner", 5)
    assert _signed_in(_try("owner", builders.PASSWORD, address="10.1.1.2"))  # same account, other address
    assert _signed_in(_try("colleague", builders.PASSWORD))  # other account, same (shared NAT) address


def test_four_failures_do_not_lock_and_success_clears_them(people):
    _fail("owner", 4)
    assert _signed_in(_try("owner", builders.PASSWORD))
    assert SignInFailure.objects.count() == 0
    _fail("owner", 4)
    assert _signed_in(_try("owner", builders.PASSWORD))


def test_lock_lifts_after_the_cool_off(people, settings):
    _fail("owner", 5)
    assert not _signed_in(_try("owner", builders.PASSWORD))
    past = dt.timedelta(seconds=settings.JIANDU_LOCKOUT_COOL_OFF_SECONDS + 1)
    for failure in SignInFailure.objects.all():
        SignInFailure.objects.filter(pk=failure.pk).update(at=failure.at - past)
    assert _signed_in(_try("owner", builders.PASSWORD))


def test_unknown_accounts_lock_the_same_way(people):
    """No user enumeration through lockout: a made-up name shows the same lock message."""
    _fail("no-such-user", 5)
    assert "已暂时锁定" in _try("no-such-user", "whatever").content.decode()


def test_spraying_many_accounts_from_one_address_is_braked(people, settings):
    settings.JIANDU_LOCKOUT_ADDRESS_FAILURES = 6
    for name in ("a1", "a2", "a3", "a4", "a5", "a6"):
        _fail(name, 1, address="10.9.9.9")
    assert not _signed_in(_try("owner", builders.PASSWORD, address="10.9.9.9"))
    assert _signed_in(_try("owner", builders.PASSWORD, address="10.9.9.8"))


def test_failures_store_no_plain_username(people):
    _fail("someone.typed.their.password", 1)
    failure = SignInFailure.objects.get()
    assert "someone" not in failure.username_hash and len(failure.username_hash) == 64


def test_forwarded_address_used_only_behind_a_trusted_proxy(people, settings):
    from django.test import RequestFactory

    from jiandu.security.client import client_address

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.2.2.2")
    assert client_address(request) == "10.0.0.1"
    settings.JIANDU_TRUSTED_PROXIES = 1
    assert client_address(request) == "10.2.2.2"  # the entry our proxy added, not the client-written one
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_address(request) == ""
