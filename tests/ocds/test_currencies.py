"""The scan learns each imported process's currency, and money thresholds in yuan skip other currencies.

Fixture processes.jsonl: P1 (EUR, contract 900) and P6 (USD, contract 300); the test adds P7, a copy of P6
stated in CNY. DEC-01's threshold is set to 250 so that every contract is over it as a number.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.django_db

PROCESSES = Path(__file__).parent / "fixtures" / "store" / "processes.jsonl"
AS_OF = dt.date(2026, 1, 1)


def _cny_copy(tmp_path: Path) -> Path:
    release = json.loads(PROCESSES.read_text(encoding="utf-8").splitlines()[5])
    text = json.dumps(release, ensure_ascii=False).replace('"USD"', '"CNY"').replace("P6", "P7")
    path = tmp_path / "cny.jsonl"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _contracts_hit(con: duckdb.DuckDBPyConnection) -> set[str]:
    from jiandu.analytics.rules.engine import run_rules

    alerts = run_rules(con, as_of=AS_OF, codes=["DEC-01"], params={"DEC-01": {"amount": 250}})
    return {e.key["contract_no"] for a in alerts for e in a.evidence if e.table == "contracts"}


def test_only_contracts_stated_in_yuan_meet_a_yuan_threshold(tmp_path: Path) -> None:
    from jiandu.alerts.scanning import load_analytics
    from jiandu.ocds.store import ocds_import

    ocds_import([PROCESSES, _cny_copy(tmp_path)], publisher="fixture")
    con = duckdb.connect()
    load_analytics(con)
    rows = dict(con.execute("SELECT tender_no, currency FROM process_currencies").fetchall())
    assert rows["ocds-fx0001-P1"] == "EUR"
    assert rows["ocds-fx0001-P6"] == "USD" and rows["ocds-fx0001-P7"] == "CNY"
    assert _contracts_hit(con) == {"ocds-fx0001-P7/P7-c1"}
    con.execute("DELETE FROM process_currencies")  # without the side table the amounts would read as yuan
    assert _contracts_hit(con) == {"ocds-fx0001-P1/P1-c1", "ocds-fx0001-P6/P6-c1", "ocds-fx0001-P7/P7-c1"}


def test_a_process_stating_no_currency_is_listed_as_unknown() -> None:
    from jiandu.ocds.bridge import process_currencies_rows
    from jiandu.ocds.models import OcdsProcess
    from jiandu.sources.models import Delivery

    delivery = Delivery.objects.create(file_name="x.json", file_hash="0" * 64)
    for ocid, currencies in (("A", []), ("B", ["usd", "CNY"])):
        OcdsProcess.objects.create(
            ocid=ocid,
            publisher="p",
            currencies=currencies,
            source_file="x.json",
            source_row=1,
            delivery=delivery,
        )
    assert process_currencies_rows() == [("A", None), ("B", "CNY"), ("B", "USD")]
