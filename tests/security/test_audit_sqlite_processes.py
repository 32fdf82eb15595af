"""On SQLite, two processes appending at once must not fork the chain (write lock taken before the read)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PER_PROCESS = 40
APPENDER = f"""
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
django.setup()
from jiandu.audit.services import access_event_record
for i in range({PER_PROCESS}):
    access_event_record(request_or_user=None, action="view", object_type="registry.officials", object_id=i)
"""


@pytest.mark.slow
def test_two_processes_append_to_one_sqlite_chain(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'chain.sqlite3'}",
        "JIANDU_DATA_DIR": str(tmp_path),
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    migrate = subprocess.run([sys.executable, "-m", "jiandu", "migrate", "--noinput"], **run)
    assert migrate.returncode == 0, migrate.stderr
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", APPENDER], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    for writer in writers:
        _, stderr = writer.communicate(timeout=300)
        assert writer.returncode == 0, stderr
    verify = subprocess.run([sys.executable, "-m", "jiandu", "audit", "verify"], **run)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert f"已校验 {3 * PER_PROCESS} 条" in verify.stdout
