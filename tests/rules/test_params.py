import datetime as dt

import duckdb
import pytest

from jiandu.analytics.duck import create_empty_tables, load_rows
from jiandu.analytics.rules import RuleParameterError, run_rules

AS_OF = dt.date(2025, 12, 31)


def _con():
    con = duckdb.connect()
    create_empty_tables(con)
    return con


def test_unknown_rule_is_refused_in_chinese():
    with pytest.raises(RuleParameterError, match="未知的规则代码：XXX-01"):
        run_rules(_con(), as_of=AS_OF, params={"XXX-01": {}})
    with pytest.raises(RuleParameterError, match="未知的规则代码：COI-99"):
        run_rules(_con(), as_of=AS_OF, codes=["COI-99"])


def test_unknown_parameter_lists_the_allowed_ones():
    with pytest.raises(RuleParameterError, match="规则 COI-04 没有参数“cooling”（可用参数：cooling_years）"):
        run_rules(_con(), as_of=AS_OF, params={"COI-04": {"cooling": 2}})
    with pytest.raises(RuleParameterError, match="可用参数：无"):
        run_rules(_con(), as_of=AS_OF, params={"PRC-01": {"x": 1}})


@pytest.mark.parametrize(
    ("code", "name", "value", "message"),
    [
        ("COI-04", "cooling_years", "3", "应为整数"),
        ("COI-04", "cooling_years", 2.5, "应为整数"),
        ("COI-04", "cooling_years", True, "应为整数"),
        ("PRC-06", "share", "一半", "应为数值"),
        ("PRC-06", "share", -0.1, "不能为负数"),
        ("PRC-05", "min_bids", None, "应为整数"),
    ],
)
def test_wrong_types_are_refused(code, name, value, message):
    with pytest.raises(RuleParameterError, match=message):
        run_rules(_con(), as_of=AS_OF, params={code: {name: value}})


def test_overrides_are_applied_and_recorded_on_alerts():
    con = _con()
    load_rows(
        con,
        {
            "contracts": [
                {
                    "_rid": 1,
                    "contract_no": "K1",
                    "buyer_code": "U",
                    "supplier_code": "S",
                    "amount": 100,
                    "final_amount": 106,
                    "signed": "2025-01-01",
                }
            ]
        },
    )
    assert run_rules(con, as_of=AS_OF, codes=["PRC-11"]) == []
    (alert,) = run_rules(con, as_of=AS_OF, codes=["PRC-11"], params={"PRC-11": {"ratio": 0.05}})
    assert alert.params == {"ratio": 0.05}
    assert alert.rule == "PRC-11" and alert.version == 1 and alert.title == "合同变更增额"
    assert alert.evidence[0].table == "contracts" and alert.evidence[0].key == {"contract_no": "K1"}
    # integral floats are accepted for integer parameters
    assert run_rules(con, as_of=AS_OF, codes=["COI-04"], params={"COI-04": {"cooling_years": 2.0}}) == []


def test_progress_reports_every_rule_and_empty_registry_gives_no_alerts():
    seen = []
    alerts = run_rules(_con(), as_of=AS_OF, progress=lambda code, i, n: seen.append((code, i, n)))
    assert alerts == []
    assert len(seen) == 38 and seen[-1][1:] == (38, 38)


def test_fingerprint_is_stable_across_rids_and_differs_by_evidence():
    rows = {
        "contracts": [
            {
                "_rid": 1,
                "contract_no": "K1",
                "buyer_code": "U",
                "supplier_code": "S",
                "amount": 100,
                "final_amount": 200,
                "signed": "2025-01-01",
            },
            {
                "_rid": 2,
                "contract_no": "K2",
                "buyer_code": "U",
                "supplier_code": "S",
                "amount": 100,
                "final_amount": 200,
                "signed": "2025-01-01",
            },
        ]
    }
    first = _con()
    load_rows(first, rows)
    again = _con()  # a re-import gives new registry row ids, same natural keys
    load_rows(again, {"contracts": [dict(r, _rid=r["_rid"] + 100) for r in rows["contracts"]]})
    a = run_rules(first, as_of=AS_OF, codes=["PRC-11"])
    b = run_rules(again, as_of=AS_OF, codes=["PRC-11"])
    assert sorted(x.fingerprint for x in a) == sorted(x.fingerprint for x in b)
    assert len({x.fingerprint for x in a}) == 2
