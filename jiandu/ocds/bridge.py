"""OCDS side table → DuckDB: the `process_currencies` interface table the money rules read.

OCDS amounts are stored as published, never converted (docs/ocds.md), while the rules' money thresholds are
in yuan. Each imported process (tender_no = ocid) contributes one row per currency its amounts state, or one
row with currency NULL when they state none, so a rule can leave out amounts that are not known to be yuan.
Departmental deliveries are not listed: the contract's money type is yuan.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from jiandu.analytics.duck import create_empty_tables
from jiandu.ocds.models import OcdsProcess


def process_currencies_rows() -> list[tuple[str, str | None]]:
    """(tender_no, currency) for every stored OCDS process, currency None when its amounts state none."""
    rows: list[tuple[str, str | None]] = []
    for ocid, currencies in OcdsProcess.objects.order_by("ocid").values_list("ocid", "currencies"):
        stated = sorted({str(c).strip().upper() for c in currencies or [] if str(c).strip()})
        if stated:
            rows.extend((ocid, c) for c in stated)
        else:
            rows.append((ocid, None))
    return rows


def process_currencies_to_duckdb(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the contents of `process_currencies` in `con` with the stored OCDS processes."""
    create_empty_tables(con)
    con.execute("DELETE FROM process_currencies")
    rows = process_currencies_rows()
    if not rows:
        return
    tender_nos, currencies = zip(*rows, strict=True)
    arrow = pa.table(
        {
            "tender_no": pa.array(tender_nos, type=pa.string()),
            "currency": pa.array(currencies, type=pa.string()),
        }
    )
    con.register("_incoming_currencies", arrow)
    try:
        con.execute("INSERT INTO process_currencies SELECT tender_no, currency FROM _incoming_currencies")
    finally:
        con.unregister("_incoming_currencies")
