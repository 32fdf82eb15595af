"""Sessions: idle timeout, absolute lifetime, and revocation (deactivation, password change, sign out everywhere)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiandu.accounts.services import organisation_ensure, user_deactivate, user_ensure
from jiandu.audit.models import AccessEvent
from jiandu.security.signals import SESSION_AUTH_AT
from tests import builders

pytestmark = pytest.mark.django_db


def _login(username: str = "owner", password: str = builders.PASSWORD) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": password}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    return client


def _signed_out(client: Client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_cookie_flags_and_idle_timeout_setting():
    assert django_settings.SESSION_SAVE_EVERY_REQUEST and django_settings.SESSION_COOKIE_HTTPONLY
    assert (
        django_settings.SESSION_COOKIE_AGE == 30 * 60 and django_settings.SESSION_COOKIE_SAMESITE == "Strict"
    )
    assert django_settings.JIANDU_SESSION_ABSOLUTE_SECONDS == 10 * 60 * 60


def test_idle_session_expires(people):
    client = _login()
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert _signed_out(client)


def test_each_request_pushes_the_idle_expiry(people):
    client = _login()
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(seconds=5))
    client.get(reverse("home"))
    assert Session.objects.get().expire_date > timezone.now() + dt.timedelta(minutes=29)


def test_absolute_lifetime_ends_a_busy_session(people, settings):
    client = _login()
    session = client.session
    session[SESSION_AUTH_AT] = int(time.time()) - settings.JIANDU_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _signed_out(client)


def test_deactivation_ends_the_old_session_cookie(people):
    client = _login()
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    user_deactivate(user=people["owner"], by=people["admin"])
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
    assert _signed_out(replay)
    assert _signed_out(client)
    assert AccessEvent.objects.filter(action="change", object_id=str(people["owner"].pk)).exists()
    # Reactivating the account does not bring the old session back.
    org = organisation_ensure(name="x", kind="county_commission", region_code=builders.COUNTY_A)
    user_ensure(username="owner", password=builders.PASSWORD, role="supervisor", organisation=org)
    revived = Client()
    revived.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
    assert _signed_out(revived)


def test_deactivation_by_any_path_stops_the_session(people):
    client = _login()
    user = people["owner"]
    user.is_active = False
    user.save()
    assert _signed_out(client)


def test_password_change_ends_other_sessions_but_keeps_this_one(people):
    here, elsewhere = _login(), _login()
    response = here.post(
        reverse("password_change"),
        {
            "old_password": builders.PASSWORD,
            "new_password1": "Another-pass-9921",
            "new_password2": "Another-pass-9921",
        },
    )
    assert response.status_code == 302
    assert here.get(reverse("home")).status_code == 200
    assert _signed_out(elsewhere)


def test_sign_out_everywhere(people):
    here, elsewhere = _login(), _login()
    other_user = _login("colleague")
    response = here.post(reverse("sessions_end"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert _signed_out(here) and _signed_out(elsewhere)
    assert other_user.get(reverse("home")).status_code == 200
    assert AccessEvent.objects.filter(action="sessions_ended", actor=people["owner"]).exists()
    assert _login().get(reverse("home")).status_code == 200  # signing in again works


def test_sign_out_everywhere_requires_post(people):
    assert _login().get(reverse("sessions_end")).status_code == 405
