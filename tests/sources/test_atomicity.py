"""A delivery is atomic: kill -9 of a real import process mid-merge leaves none of its rows, and a re-run
imports everything. Runs against the database the suite runs on (SQLite file, or a scratch PostgreSQL db)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from jiandu.analytics.contract import load_contract
from tests.sources.samples import sample_csv, sample_rows

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
CONTRACT = load_contract()


class Scratch:
    """A migrated database of its own, reachable by child processes."""

    def __init__(self, tmp_path: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
        self.env["JIANDU_DATA_DIR"] = str(tmp_path / "data")
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith("postgres")
        if self.postgres:
            import psycopg

            base, _, name = url.rpartition("/")
            self.url = f"{base}/{name}_kill"
            with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
                con.execute(f"DROP DATABASE IF EXISTS {name}_kill WITH (FORCE)")
                con.execute(f"CREATE DATABASE {name}_kill")
            self.env["DATABASE_URL"] = self.url
        else:
            self.env.pop("DATABASE_URL", None)
            self.path = tmp_path / "data" / "jiandu.sqlite3"
        self.jiandu("migrate", "--noinput", "-v", "0")

    def jiandu(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "jiandu", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def killed_import(self, path: Path) -> None:
        """Start `jiandu import`, wait until it holds its merge transaction open, then SIGKILL it."""
        child = subprocess.Popen(
            [sys.executable, "-m", "jiandu", "import", str(path), "--quiet"],
            cwd=ROOT,
            env={**self.env, "JIANDU_IMPORT_PAUSE": "merged", "JIANDU_IMPORT_PAUSE_SECONDS": "60"},
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        assert child.stderr is not None
        for line in child.stderr:
            if line.startswith("JIANDU_IMPORT_PAUSED merged"):
                break
        else:
            pytest.fail("the import ended without pausing")
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL

    def scalar(self, sql: str) -> object:
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url) as con:
                row = con.execute(sql).fetchone()
        else:
            con = sqlite3.connect(self.path)
            try:
                row = con.execute(sql).fetchone()
            finally:
                con.close()
        return row[0] if row else None


def test_kill_during_merge_leaves_nothing_and_rerun_imports_all(tmp_path):
    db = Scratch(tmp_path)
    rows = sample_rows(CONTRACT["payments"], 500)
    payments = sample_csv(tmp_path / "国库集中支付.csv", "payments", rows)

    db.killed_import(payments)
    assert db.scalar("SELECT COUNT(*) FROM registry_payments") == 0
    assert db.scalar("SELECT status FROM sources_delivery ORDER BY id DESC LIMIT 1") == "running"

    rerun = db.jiandu("import", str(payments), "--quiet")
    assert rerun.returncode == 0, rerun.stderr
    assert db.scalar("SELECT COUNT(*) FROM registry_payments") == 500
    last = db.scalar("SELECT MAX(id) FROM sources_delivery")
    assert db.scalar(f"SELECT COUNT(*) FROM registry_payments WHERE delivery_id = {last}") == 500
    orphans = "SELECT COUNT(*) FROM registry_payments r LEFT JOIN sources_delivery d ON d.id = r.delivery_id "
    assert db.scalar(orphans + "WHERE d.id IS NULL") == 0

    # An update is atomic too: killed mid-merge, neither the new values nor the history appear.
    before = db.scalar("SELECT SUM(LENGTH(row_hash) * id) || MAX(row_hash) FROM registry_payments")
    sample_csv(payments, "payments", sample_rows(CONTRACT["payments"], 500, salt=3))
    db.killed_import(payments)
    assert db.scalar("SELECT SUM(LENGTH(row_hash) * id) || MAX(row_hash) FROM registry_payments") == before
    assert db.scalar("SELECT COUNT(*) FROM registry_recordversion") == 0
