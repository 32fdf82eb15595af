"""A delivery is atomic: kill -9 of a real import process mid-merge leaves none of its rows, and a re-run
imports everything. Runs against the database the suite runs on (SQLite file, or a scratch PostgreSQL db)."""

from __future__ import annotations

import pytest

from jiandu.analytics.contract import load_contract
from tests.sources.samples import sample_csv, sample_rows

pytestmark = pytest.mark.slow
CONTRACT = load_contract()


def test_kill_during_merge_leaves_nothing_and_rerun_imports_all(tmp_path, scratch):
    db = scratch
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
