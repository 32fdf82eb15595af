"""deploy/: the systemd units start commands jiandu has, the env sample names only settings jiandu reads, and
the nginx sample is a configuration nginx accepts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

from jiandu.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _exec_lines(unit: Path) -> list[str]:
    return [
        line.split("=", 1)[1]
        for line in unit.read_text().splitlines()
        if re.match(r"^Exec(Start|StartPre|Reload)=", line)
    ]


@pytest.mark.parametrize("unit", sorted((DEPLOY / "systemd").glob("*.service")), ids=lambda p: p.name)
def test_units_run_commands_jiandu_has(unit):
    known = set(COMMANDS) | set(get_commands())
    lines = _exec_lines(unit)
    assert lines
    for line in lines:
        words = line.split()
        if words[0].endswith("/jiandu"):
            assert words[1] in known, f"{unit.name}: jiandu {words[1]} is not a command"
    text = unit.read_text()
    assert "EnvironmentFile=/etc/jiandu/jiandu.env" in text


def test_web_unit_lets_gunicorn_be_the_main_process():
    text = (DEPLOY / "systemd" / "jiandu-web.service").read_text()
    # `serve --no-consumer` execs gunicorn, whose arbiter notifies systemd and takes HUP as a graceful reload.
    assert "jiandu serve --no-consumer" in text and "Type=notify" in text and "kill -HUP $MAINPID" in text


def test_env_sample_names_only_settings_jiandu_reads():
    source = "\n".join(p.read_text() for p in (ROOT / "jiandu").rglob("*.py"))
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', source)) | {"DATABASE_URL"}
    sample = (DEPLOY / "systemd" / "jiandu.env.example").read_text()
    names = re.findall(r"^#?([A-Z][A-Z_]+)=", sample, flags=re.M)
    assert names and set(names) <= read, set(names) - read


# A developer's machine may lack nginx; CI installs it (make e2e-deps) and must never skip this check.
@pytest.mark.skipif(
    shutil.which("nginx") is None and not os.environ.get("CI"),
    reason="nginx is not installed on this machine (make e2e-deps installs it; CI runs this test)",
)
def test_nginx_sample_is_accepted_by_nginx(tmp_path):
    from tests.ops.tls import self_signed

    crt, key = self_signed(tmp_path)
    conf = (DEPLOY / "nginx" / "jiandu.conf").read_text()
    conf = conf.replace("/etc/jiandu/tls/jiandu.crt", str(crt)).replace(
        "/etc/jiandu/tls/jiandu.key", str(key)
    )
    conf = conf.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\nhttp {{\n{conf}\n}}\n"
    )
    done = subprocess.run(
        ["nginx", "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
