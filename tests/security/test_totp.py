"""TOTP second factor in enforced mode (JIANDU_REQUIRE_TOTP=true, the production default)."""

from __future__ import annotations

import base64
import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from jiandu.audit.models import AccessEvent
from jiandu.security.models import TotpDevice
from jiandu.security.totp import ROLES_REQUIRING_TOTP, device_secret, totp_code_check
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def enforced(settings):  # type: ignore[no-untyped-def]
    settings.JIANDU_REQUIRE_TOTP = True


def _login(username: str, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post(reverse("login"), {"username": username, "password": builders.PASSWORD})
    assert response.status_code == 302
    return client


def _code(user, offset_steps: int = 0) -> str:  # type: ignore[no-untyped-def]
    secret = device_secret(TotpDevice.objects.get(user=user))
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def _enrol(user) -> Client:  # type: ignore[no-untyped-def]
    client = _login(user.username)
    client.get(reverse("totp_setup"))
    assert client.post(reverse("totp_setup"), {"code": _code(user)}).status_code == 302
    return client


def test_roles_above_read_only_require_totp():
    assert "auditor" not in ROLES_REQUIRING_TOTP
    assert {"admin", "leader", "supervisor", "clerk"} == set(ROLES_REQUIRING_TOTP)


def test_enforced_login_goes_to_setup_before_any_page(people, enforced):
    client = _login("owner")
    for url in (reverse("home"), reverse("registry_index"), reverse("registry_list", args=["units"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("totp_setup")), url


def test_setup_page_shows_secret_and_local_qr(people, enforced):
    client = _login("owner")
    response = client.get(reverse("totp_setup"))
    body = response.content.decode()
    device = TotpDevice.objects.get(user=people["owner"])
    secret = device_secret(device)
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in body
    assert 'src="data:image/svg+xml;base64,' in body
    svg = base64.b64decode(body.split("data:image/svg+xml;base64,")[1].split('"')[0]).decode()
    assert svg.startswith("<svg") and "<path" in svg
    assert "https://" not in body.replace("http://www.w3.org", "")
    # The secret is stored encrypted (SM4-GCM token), never as the base32 text.
    assert secret not in device.secret_encrypted and device.secret_encrypted.startswith("j1.sm4gcm.")


def test_enrolment_with_a_correct_code_opens_the_pages(people, enforced):
    client = _login("owner")
    client.get(reverse("totp_setup"))
    old_session = client.session.session_key
    assert (
        client.post(
            reverse("totp_setup"), {"code": "000000" if _code(people["owner"]) != "000000" else "111111"}
        ).status_code
        == 200
    )
    response = client.post(
        reverse("totp_setup"), {"code": _code(people["owner"]), "next": reverse("registry_index")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("registry_index")
    assert client.session.session_key != old_session
    assert client.get(reverse("home")).status_code == 200
    assert TotpDevice.objects.get(user=people["owner"]).confirmed
    assert AccessEvent.objects.filter(action="totp_enrolled", actor=people["owner"]).exists()


def test_next_sign_in_asks_for_the_code(people, enforced):
    _enrol(people["owner"])
    client = _login("owner")
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("totp_verify"))
    bad = client.post(reverse("totp_verify"), {"code": "12345x"})
    assert bad.status_code == 200 and client.get(reverse("home")).status_code == 302
    response = client.post(reverse("totp_verify"), {"code": _code(people["owner"], offset_steps=1)})
    assert response.status_code == 302 and client.get(reverse("home")).status_code == 200
    assert AccessEvent.objects.filter(action="totp_verified").count() == 1


def test_a_code_cannot_be_replayed(people, enforced):
    _enrol(people["owner"])
    device = TotpDevice.objects.get(user=people["owner"])
    now = time.time() + 300
    code = pyotp.TOTP(device_secret(device)).at(now)
    assert totp_code_check(device, code, now=now)
    assert not totp_code_check(device, code, now=now)
    assert not totp_code_check(TotpDevice.objects.get(pk=device.pk), code, now=now + 1)
    assert not totp_code_check(device, pyotp.TOTP(device_secret(device)).at(now - 600), now=now)


def test_wrong_codes_count_towards_lockout(people, enforced):
    _enrol(people["owner"])
    client = _login("owner")
    wrong = "000000" if _code(people["owner"]) != "000000" else "111111"
    for _ in range(4):
        assert client.post(reverse("totp_verify"), {"code": wrong}).status_code == 200
    response = client.post(reverse("totp_verify"), {"code": wrong})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert "已暂时锁定" in _try_login("owner")


def _try_login(username: str) -> str:
    return (
        Client()
        .post(reverse("login"), {"username": username, "password": builders.PASSWORD})
        .content.decode()
    )


def test_read_only_role_is_not_forced(people, enforced):
    auditor = builders.make_user("reader", "auditor", builders.CITY)
    client = _login(auditor.username)
    assert client.get(reverse("home")).status_code == 200


def test_dev_mode_does_not_force_but_an_enrolled_device_is_always_asked(people, settings):
    settings.JIANDU_REQUIRE_TOTP = False
    client = _login("owner")
    assert client.get(reverse("home")).status_code == 200
    _enrol(people["owner"])
    assert _login("owner").get(reverse("home"))["Location"].startswith(reverse("totp_verify"))


def test_open_redirect_refused_after_verification(people, enforced):
    client = _login("owner")
    client.get(reverse("totp_setup"))
    response = client.post(
        reverse("totp_setup"), {"code": _code(people["owner"]), "next": "https://evil.example/steal"}
    )
    assert response["Location"] == "/"


@pytest.mark.argon2  # keep the production hashers, which the check also inspects
def test_deploy_check_warns_when_totp_is_off(settings):
    from jiandu.security.checks import security_settings_check

    settings.JIANDU_REQUIRE_TOTP = False
    assert [m.id for m in security_settings_check()] == ["jiandu.W001"]
    settings.JIANDU_REQUIRE_TOTP = True
    assert security_settings_check() == []
