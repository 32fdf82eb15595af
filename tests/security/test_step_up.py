"""Step-up re-authentication before sensitive operations (ASVS 7.5.3), through the web layer.

The clearance DOCX, the alert list's Excel export and the lead statistics export ask for the password (and
the TOTP code of an enrolled user) unless it was re-entered within JIANDU_STEP_UP_MINUTES; the page is
Chinese and CSRF-protected; successes and failures are in the access log; failures count towards lockout.
"""

from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from jiandu.audit.models import AccessEvent
from jiandu.security.models import SignInFailure, TotpDevice
from jiandu.security.signals import SESSION_STEP_UP_AT
from jiandu.security.totp import device_secret, totp_device_issue
from tests import builders
from tests.builders import step_up

pytestmark = pytest.mark.django_db
WRONG = "Wrong-password-1"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def official(people):  # type: ignore[no-untyped-def]
    return builders.make_record(
        "officials", builders.COUNTY_A, id_number=builders.make_id(seq=5), name="王某"
    )


def _clearance(official) -> str:  # type: ignore[no-untyped-def]
    return reverse("official_clearance", args=[official.pk])


def _is_step_up(response, next_url: str) -> bool:  # type: ignore[no-untyped-def]
    from urllib.parse import quote

    return response.status_code == 302 and response["Location"] == (
        reverse("step_up") + "?next=" + quote(next_url, safe="")
    )


def test_clearance_docx_needs_a_fresh_step_up(people, official):
    owner = client_for(people["owner"])
    url = _clearance(official)
    assert _is_step_up(owner.get(url), url)
    page = owner.get(reverse("step_up") + "?next=" + url)
    body = page.content.decode()
    assert page.status_code == 200 and "再次验证身份" in body and "登录密码" in body
    assert 'name="code"' not in body  # no TOTP device, not enforced: the password alone
    response = step_up(owner, next_url=url)
    assert response.status_code == 302 and response["Location"] == url
    docx = owner.get(url)
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert owner.get(url).status_code == 200  # within the window: no second prompt
    event = AccessEvent.objects.get(action="step_up")
    assert (event.actor, event.details) == (people["owner"], {"factors": "password"})
    export = AccessEvent.objects.filter(action="export", object_type="registry.officials").first()
    assert export is not None and export.details["ids"] == [str(official.pk)]
    assert export.details["format"] == "docx"
    # an outsider is refused as always (404), without being asked for a password first
    assert client_for(people["outsider"]).get(url).status_code == 404


def test_the_step_up_expires(people, official, settings):
    settings.JIANDU_STEP_UP_MINUTES = 5
    owner = client_for(people["owner"])
    step_up(owner)
    url = _clearance(official)
    assert owner.get(url).status_code == 200
    session = owner.session
    session[SESSION_STEP_UP_AT] = time.time() - 5 * 60 - 1
    session.save()
    assert _is_step_up(owner.get(url), url)
    session[SESSION_STEP_UP_AT] = time.time() - 5 * 60 + 30
    session.save()
    assert owner.get(url).status_code == 200


def test_signing_in_again_does_not_count_and_clears_it(people, official):
    client = Client()
    assert (
        client.post(reverse("login"), {"username": "owner", "password": builders.PASSWORD}).status_code == 302
    )
    url = _clearance(official)
    assert _is_step_up(client.get(url), url)  # a sign-in is not a step-up
    step_up(client)
    assert client.get(url).status_code == 200
    client.post(reverse("login"), {"username": "owner", "password": builders.PASSWORD})
    assert _is_step_up(client.get(url), url)


def test_exports_of_lists_need_it_and_the_lists_do_not(people):
    owner = client_for(people["owner"])
    for name in ("alert_list", "lead_stats"):
        assert owner.get(reverse(name)).status_code == 200, name
        url = reverse(name) + "?export=xlsx"
        assert _is_step_up(owner.get(url), url), name
    step_up(owner)
    # no alert matches: the export is still a file (headers only), and logged
    response = owner.get(reverse("alert_list") + "?export=xlsx&severity=红&subject=王某")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    event = AccessEvent.objects.get(action="export", object_type="alerts.alert")
    # filters that could name a person are logged only as "set"
    assert event.details["filters"] == {"severity": "红", "subject": "set"}
    assert "王某" not in str(event.details)


def test_wrong_password_is_logged_and_counts_towards_lockout(people, official, settings):
    settings.JIANDU_LOCKOUT_FAILURES = 3
    owner = client_for(people["owner"])
    for _ in range(2):
        response = step_up(owner, password=WRONG)
        assert response.status_code == 200 and "密码或验证码不正确" in response.content.decode()
    assert SignInFailure.objects.filter(kind="step_up").count() == 2
    failed = AccessEvent.objects.filter(action="step_up_failed", actor=people["owner"])
    assert [e.details for e in failed] == [{"factor": "password"}] * 2
    response = step_up(owner, password=WRONG)  # the third failure locks the pair and ends the session
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert owner.get(_clearance(official))["Location"].startswith(reverse("login"))
    signin = Client().post(reverse("login"), {"username": "owner", "password": builders.PASSWORD})
    assert "已暂时锁定" in signin.content.decode()
    assert not AccessEvent.objects.filter(action="step_up").exists()


def test_a_locked_pair_cannot_test_passwords_on_the_step_up_page(people, settings):
    settings.JIANDU_LOCKOUT_FAILURES = 2
    for _ in range(2):
        Client().post(reverse("login"), {"username": "owner", "password": WRONG})
    owner = client_for(people["owner"])  # a session opened before the lock (force_login)
    response = step_up(owner)  # the right password
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not AccessEvent.objects.filter(action="step_up").exists()


def test_an_enrolled_user_gives_the_totp_code_too(people, official):
    secret = totp_device_issue(people["owner"])
    owner = client_for(people["owner"])
    session = owner.session
    session["jiandu_totp_ok"] = True  # passed the TOTP step at sign-in
    session.save()
    body = owner.get(reverse("step_up")).content.decode()
    assert 'name="code"' in body and "动态验证码" in body
    assert step_up(owner).status_code == 200  # the password alone is not enough
    now = pyotp.TOTP(secret).now()
    wrong = "000000" if now != "000000" else "111111"
    assert step_up(owner, code=wrong).status_code == 200
    assert AccessEvent.objects.filter(action="step_up_failed", details__factor="totp").count() == 1
    assert SignInFailure.objects.filter(kind="totp").count() == 1
    device = TotpDevice.objects.get(user=people["owner"])
    response = step_up(owner, next_url=_clearance(official), code=pyotp.TOTP(device_secret(device)).now())
    assert response.status_code == 302 and response["Location"] == _clearance(official)
    assert AccessEvent.objects.get(action="step_up").details == {"factors": "password+totp"}


def test_the_page_is_csrf_protected_and_never_redirects_off_site(people):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["owner"])
    assert strict.post(reverse("step_up"), {"password": builders.PASSWORD}).status_code == 403
    assert not AccessEvent.objects.filter(action__in=("step_up", "step_up_failed")).exists()
    owner = client_for(people["owner"])
    response = step_up(owner, next_url="https://evil.example/steal")
    assert response.status_code == 302 and response["Location"] == "/"


def test_anonymous_visitors_are_sent_to_sign_in(people, official):
    response = Client().get(reverse("step_up"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Client().get(_clearance(official))["Location"].startswith(reverse("login"))
