import datetime as dt
import json
from pathlib import Path

import pytest

from jiandu.analytics.rules.evaluate import evaluate, format_report
from jiandu.analytics.rules.fixtures import FIXTURES_DIR as FIXTURES
from jiandu.analytics.rules.fixtures import run_fixture
from jiandu.analytics.rules.scoring import score_subjects


def _alerts(name: str):
    return run_fixture(FIXTURES / name)[0]


def _truth(tmp_path: Path, cases: list[dict]) -> Path:
    path = tmp_path / "truth.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n", encoding="utf-8")
    return path


def test_evaluate_counts_found_missed_wrong_and_noise(tmp_path):
    alerts = _alerts("COI-01.yaml")  # 4 alerts: O×2, M, Q
    truth = _truth(
        tmp_path,
        [
            # found: O via T1, matched by natural keys of the bid and the company role
            {
                "rule": "COI-01",
                "expect": "hit",
                "subject": {"type": "official", "key": "O"},
                "records": [
                    {"table": "bids", "key": {"tender_no": "T1", "bidder_code": "C"}},
                    {
                        "table": "company_roles",
                        "key": {"uscc": "C", "holder_name": "丙", "role": "股东", "start_date": "2021-01-01"},
                    },
                ],
                "as_of": "2025-12-31",
            },
            # found: M via T3
            {
                "rule": "COI-01",
                "expect": "hit",
                "subject": {"type": "official", "key": "M"},
                "records": [{"table": "tenders", "key": {"tender_no": "T3"}}],
                "as_of": "2025-12-31",
            },
            # missed: right subject, record not cited
            {
                "rule": "COI-01",
                "expect": "hit",
                "subject": {"type": "official", "key": "O"},
                "records": [{"table": "tenders", "key": {"tender_no": "T2"}}],
                "as_of": "2025-12-31",
            },
            # correctly not hit
            {
                "rule": "COI-01",
                "expect": "miss",
                "subject": {"type": "official", "key": "M"},
                "records": [{"table": "tenders", "key": {"tender_no": "T4"}}],
                "as_of": "2025-12-31",
            },
            # wrongly hit: a must-not-hit case that the engine does report
            {
                "rule": "COI-01",
                "expect": "miss",
                "subject": {"type": "official", "key": "Q"},
                "records": [{"table": "contracts", "key": {"contract_no": "K2"}}],
                "as_of": "2025-12-31",
            },
            # another scan date: ignored when as_of is given
            {
                "rule": "COI-01",
                "expect": "hit",
                "subject": {"type": "official", "key": "Z"},
                "records": [],
                "as_of": "2020-01-01",
            },
            # a rule with cases but no alerts
            {"rule": "PRC-01", "expect": "hit", "subject": {"type": "tender", "key": "T9"}, "records": []},
        ],
    )
    report = evaluate(alerts, truth, as_of=dt.date(2025, 12, 31))
    coi = report["COI-01"]
    assert (coi.must_hit, coi.found, coi.must_not_hit, coi.wrongly_hit) == (3, 2, 2, 1)
    assert coi.recall == pytest.approx(2 / 3)
    assert coi.precision == pytest.approx(2 / 3)
    assert (coi.alerts, coi.noise) == (4, 1)  # O's payment alert matches no planted case
    assert coi.missed[0]["records"][0]["key"] == {"tender_no": "T2"}
    assert report["PRC-01"].recall == 0.0 and report["PRC-01"].alerts == 0
    assert "COI-01" in format_report(report)
    assert evaluate(alerts, truth)["COI-01"].must_hit == 4  # without as_of every case counts


def test_scores_weight_decay_and_contributions():
    alerts = _alerts("COI-01.yaml") + _alerts("PRC-11.yaml")
    as_of = dt.date(2025, 12, 31)
    scores = {(s.subject_type, s.subject_key): s for s in score_subjects(alerts, as_of=as_of)}
    o = scores[("official", "O")]
    # 红 on 2024-12-31 (365 days old → half) + 红 on 2023-06-01 (944 days old)
    assert o.score == pytest.approx(10 * 0.5 + 10 * 0.5 ** (944 / 365))
    assert [c.age_days for c in o.contributions] == [365, 944]
    m = scores[("official", "M")]  # 黄 on 2025-03-01, 305 days old
    assert m.score == pytest.approx(2 * 0.5 ** (305 / 365))
    unit = scores[("unit", "U")]  # PRC-11 黄 on 2025-02-01
    assert unit.score == pytest.approx(2 * 0.5 ** (333 / 365))
    custom = score_subjects(alerts, as_of=as_of, weights={"红": 1, "黄": 0}, half_life_days=1e9)
    assert {(s.subject_key, round(s.score, 3)) for s in custom} == {
        ("O", 2.0),
        ("Q", 1.0),
        ("M", 0.0),
        ("U", 0.0),
    }
    assert score_subjects(alerts, as_of=as_of, subject_types=("company",)) == []
    with pytest.raises(ValueError):
        score_subjects(alerts, as_of=as_of, half_life_days=0)


def test_observed_precision_and_alert_dict():
    from jiandu.analytics.rules.scoring import observed_precision

    got = observed_precision(
        [
            ("COI-01", "confirmed"),
            ("COI-01", "false_positive"),
            ("COI-01", "confirmed"),
            ("PRC-01", "not_actionable"),
        ]
    )
    assert got == {"COI-01": pytest.approx(2 / 3), "PRC-01": None}
    with pytest.raises(ValueError, match="未知的核实结论"):
        observed_precision([("COI-01", "maybe")])
    alert = _alerts("PRC-11.yaml")[0]
    d = alert.to_dict()
    assert d["subject"] == {"type": "unit", "key": "U"} and d["period"] == {
        "start": "2025-02-01",
        "end": "2025-02-01",
    }
    assert d["evidence"][1] == {"table": "contracts", "rid": 2, "key": {"contract_no": "K2"}}
    json.dumps(d, ensure_ascii=False)
