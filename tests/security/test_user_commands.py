"""Operator commands: deactivate (sessions end), sign out everywhere, TOTP reset, demo accounts with TOTP."""

from __future__ import annotations

import pyotp
import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from jiandu.accounts.commands import users
from jiandu.accounts.models import User
from jiandu.demo_accounts import demo_accounts
from jiandu.security.models import TotpDevice
from jiandu.security.totp import device_secret, totp_code_check
from tests import builders

pytestmark = pytest.mark.django_db


def _login(username: str) -> Client:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": builders.PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    return client


def _signed_out(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 302


def test_users_deactivate(people):
    client = _login("owner")
    result = CliRunner().invoke(users, ["deactivate", "owner"])
    assert result.exit_code == 0, result.output
    assert not User.objects.get(username="owner").is_active and _signed_out(client)


def test_users_sessions_end_and_unknown_user(people):
    client = _login("owner")
    assert CliRunner().invoke(users, ["sessions-end", "owner"]).exit_code == 0
    assert _signed_out(client)
    result = CliRunner().invoke(users, ["sessions-end", "ghost"])
    assert result.exit_code != 0 and "不存在" in result.output


def test_users_totp_reset(people, settings):
    settings.JIANDU_REQUIRE_TOTP = True
    from jiandu.security.totp import totp_device_issue

    totp_device_issue(people["owner"])
    assert CliRunner().invoke(users, ["totp-reset", "owner"]).exit_code == 0
    assert not TotpDevice.objects.filter(user=people["owner"]).exists()


def test_demo_accounts_with_totp_print_working_secrets(db):
    result = CliRunner().invoke(demo_accounts, ["--city", "349900", "--totp"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.strip().startswith("leader"))
    secret = line.split("TOTP密钥:")[1].strip()
    device = TotpDevice.objects.get(user__username="leader")
    assert device.confirmed and device_secret(device) == secret
    assert totp_code_check(device, pyotp.TOTP(secret).now())


def test_users_totp_issue_prints_a_working_secret(people):
    result = CliRunner().invoke(users, ["totp-issue", "owner"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().rsplit("：", 1)[1]
    device = TotpDevice.objects.get(user=people["owner"])
    assert device.confirmed and totp_code_check(device, pyotp.TOTP(secret).now())
