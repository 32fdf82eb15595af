"""The UI shell: login, logout, password change, language, headers, assets served locally."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_login_page_is_chinese_by_default(db):
    body = Client().get(reverse("login")).content.decode()
    assert "登录" in body and 'lang="zh-hans"' in body


def test_english_available(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    body = client.get(reverse("login")).content.decode()
    assert "Sign in" in body and 'lang="en"' in body


def test_login_logout_and_password_change(people):
    client = Client()
    response = client.post(reverse("login"), {"username": "owner", "password": builders.PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200 and "登记数据概览" in home.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": builders.PASSWORD,
            "new_password1": "Another-pass-9921",
            "new_password2": "Another-pass-9921",
        },
    )
    assert response.status_code == 302
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
    assert Client().login(username="owner", password="Another-pass-9921")


def test_wrong_password_refused(people):
    response = Client().post(reverse("login"), {"username": "owner", "password": "wrong"})
    assert response.status_code == 200 and "不正确" in response.content.decode()


def test_security_headers_and_no_store(people):
    client = Client()
    client.force_login(people["owner"])
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_reference_no_external_assets(people):
    client = Client()
    client.force_login(people["city"])
    for url in (reverse("home"), reverse("login"), reverse("registry_index")):
        body = client.get(url).content.decode()
        assert "http://" not in body and "https://" not in body, url


@pytest.mark.argon2
def test_passwords_hashed_with_argon2(db):
    user = builders.make_user("hashed")
    assert user.password.startswith("argon2")


def test_deploy_check_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "JIANDU_ENV": "production",
        "JIANDU_SECRET_KEY": "k" * 20 + "production-secret-for-the-deploy-check-only-1234567890",
        "JIANDU_ALLOWED_HOSTS": "jiandu.example.gov",
        "JIANDU_DATA_DIR": str(tmp_path),
        # Production refuses to start without a real master data key (jiandu/security/keys.py).
        "JIANDU_DATA_KEY": "q0L3VbN1YkzB7cE5oX2tR9mH4sJ6wP8uA1dF3gK5lZ0=",
    }
    env.pop("JIANDU_DEBUG", None)
    env.pop("JIANDU_REQUIRE_TOTP", None)
    result = subprocess.run(
        [sys.executable, "-m", "jiandu", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "value", "needle"),
    [
        ("JIANDU_DEBUG", "perhaps", "JIANDU_DEBUG"),
        ("JIANDU_SESSION_SECONDS", "ten", "JIANDU_SESSION_SECONDS"),
        ("JIANDU_ENV", "staging", "JIANDU_ENV"),
        ("JIANDU_SCORE_WEIGHTS", "红:ten", "JIANDU_SCORE_WEIGHTS"),
    ],
)
def test_bad_settings_fail_loudly(tmp_path, name, value, needle):
    env = {**os.environ, name: value, "JIANDU_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "jiandu", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and needle in result.stderr


def test_cli_runs_django_and_own_commands(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "JIANDU_DATA_DIR": str(tmp_path),
    }
    migrate = subprocess.run(
        [sys.executable, "-m", "jiandu", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    assert (tmp_path / "cli.sqlite3").exists()
    accounts = subprocess.run(
        [sys.executable, "-m", "jiandu", "demo-accounts"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert accounts.returncode == 0, accounts.stderr
    assert "supervisor" in accounts.stdout and "county" in accounts.stdout
