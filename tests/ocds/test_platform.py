"""The indicators on the platform's own tables (the analytics interface shape) give the platform rules' hits."""

import datetime as dt
from pathlib import Path

import duckdb

from jiandu.ocds.platform import platform_indicators_run
from jiandu.ocds.settings import settings_load

PRESET = Path(__file__).parents[2] / "jiandu" / "ocds" / "presets" / "platform.ini"


def _platform() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE tenders (_rid BIGINT, tender_no VARCHAR, buyer_code VARCHAR, method VARCHAR, notice_date DATE, deadline DATE)"
    )
    con.execute(
        "CREATE TABLE bids (_rid BIGINT, tender_no VARCHAR, bidder_code VARCHAR, price DECIMAL(18,2), won BOOLEAN, rejected_reason VARCHAR)"
    )
    day = dt.date(2024, 3, 1)
    con.executemany(
        "INSERT INTO tenders VALUES (?, ?, ?, ?, ?, ?)",
        [
            (1, "T-SHORT", "U1", "公开招标", day, day + dt.timedelta(days=19)),  # PRC-03: 19 < 20
            (2, "T-OK", "U1", "公开招标", day, day + dt.timedelta(days=20)),
            (3, "T-TALK", "U1", "竞争性谈判", day, day + dt.timedelta(days=3)),  # 3 ≥ 3
            (4, "T-SINGLE", "U1", "邀请招标", day, day + dt.timedelta(days=25)),  # PRC-01
            (5, "T-REJECT", "U1", "公开招标", day, day + dt.timedelta(days=25)),  # PRC-10, PRC-09
        ],
    )
    con.executemany(
        "INSERT INTO bids VALUES (?, ?, ?, ?, ?, ?)",
        [
            (1, "T-OK", "C1", 100, True, None),
            (2, "T-OK", "C2", 120, False, None),
            (3, "T-SINGLE", "C1", 100, True, None),
            (4, "T-REJECT", "C1", 100, True, None),
            (5, "T-REJECT", "C2", 90, False, "资格不符"),
            (6, "T-REJECT", "C3", 90, False, "资格不符"),
        ],
    )
    return con


def test_platform_tables_run_through_the_same_indicators() -> None:
    results = platform_indicators_run(_platform(), settings_load(PRESET)).as_json(meta=False)
    assert results["OCID"]["T-SHORT"] == {"R003": 1.0}
    assert "R003" not in results["OCID"].get("T-OK", {}) and "T-TALK" not in results["OCID"]
    # One price difference only: its own fences are degenerate, so R024 and R058 both flag it (Cardinal's way).
    assert results["OCID"]["T-OK"] == {"R024": 0.2, "R058": 0.2}
    assert results["OCID"]["T-SINGLE"] == {"R018": 1.0}
    assert results["OCID"]["T-REJECT"] == {"R028": 1.0, "R035": 2.0, "R036": 1.0}
    assert results["Tenderer"]["C1"]["R035"] == 0.0


def test_rule_hits_carry_evidence_rows() -> None:
    from jiandu.ocds.platform import platform_rule_hits

    hits = {(hit.rule, hit.subject): hit for hit in platform_rule_hits(_platform(), settings_load(PRESET))}
    assert hits[("PRC-03", "T-SHORT")].evidence == (("tenders", 1),)
    assert hits[("PRC-01", "T-SINGLE")].evidence == (("tenders", 4), ("bids", 3))
    assert hits[("PRC-10", "T-REJECT")].value == 2.0
    assert hits[("PRC-10", "T-REJECT")].evidence == (("tenders", 5), ("bids", 4))
    assert hits[("PRC-09", "T-REJECT")].evidence == (("tenders", 5), ("bids", 5), ("bids", 6))
    assert ("PRC-01", "T-OK") not in hits
