from decimal import Decimal

import duckdb
import pytest

from jiandu.analytics.contract import load_contract
from jiandu.analytics.duck import create_empty_tables, load_rows


def test_every_contract_table_and_the_extra_tables_exist_typed():
    con = duckdb.connect()
    create_empty_tables(con)
    create_empty_tables(con)  # idempotent
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == set(load_contract()) | {"entity_links", "leads", "process_currencies", "id_facts"}
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'positions'"
        ).fetchall()
    )
    assert types["_rid"] == "BIGINT" and types["start_date"] == "DATE" and types["is_principal"] == "BOOLEAN"
    assert types["oversees"] == "VARCHAR[]"
    money = con.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'contracts' AND column_name = 'amount'"
    ).fetchone()[0]
    assert money == "DECIMAL(18,2)"
    reserved = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE column_name IN ('by', 'round', 'leave', 'back')"
    ).fetchone()[0]
    assert reserved == 4


def test_load_rows_coerces_and_refuses_typos():
    con = duckdb.connect()
    load_rows(
        con,
        {
            "positions": [
                {
                    "_rid": 1,
                    "id_number": "O",
                    "unit_code": "U",
                    "title": "局长",
                    "is_principal": True,
                    "is_team_member": True,
                    "oversees": "住建；U2",
                    "start_date": "2020-01-01",
                }
            ]
        },
    )
    assert con.execute("SELECT oversees, start_date FROM positions").fetchone()[0] == ["住建", "U2"]
    with pytest.raises(KeyError, match="没有列"):
        load_rows(con, {"positions": [{"_rid": 2, "unit": "U"}]})
    with pytest.raises(KeyError, match="未知的表"):
        load_rows(con, {"position": []})


def test_load_into_reads_a_rule_fixture(tmp_path):
    from jiandu.analytics.rules.fixtures import FIXTURES_DIR, load_into

    src = FIXTURES_DIR / "PRC-09.yaml"
    con = duckdb.connect()
    doc = load_into(con, src)
    assert doc["rule"] == "PRC-09"
    assert con.execute("SELECT count(*), sum(price) FROM bids").fetchone() == (5, Decimal("520.01"))
