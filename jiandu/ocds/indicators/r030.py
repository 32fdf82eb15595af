"""R030 — Late bid won (逾期投标中标).

Method: a contracting process is flagged (value 1.0) if a valid bid's received date (``/bids/details[]/date``) is
after the submission deadline (``/tender/tenderPeriod/endDate``) and one of the bid's tenderers is a supplier of an
active award. Those tenderers are flagged too (value 1.0). As in Cardinal, the dates are compared as published
strings, so they must share one format and time zone (ISO 8601 strings in one zone order correctly).

Why a red flag: a corrupt buyer can favour the pre-determined bidder by disregarding the deadline, after leaking
information from the bids received on time.

Settings: none.

Exclusions: processes without a deadline, without awards or without bid details; bids without a date; the global
exclusions. Assumption (Cardinal's): the late bid is the winning one (the tenderer submitted no other valid bid).
"""

from __future__ import annotations

from jiandu.ocds.indicators.base import Context, Results, rows

CODE = "R030"


def compute(ctx: Context, results: Results) -> None:
    found = rows(
        ctx.con,
        """
        WITH winners AS (
            SELECT DISTINCT s.seq, s.supplier_id
            FROM awards a JOIN award_suppliers s USING (seq, award_idx)
            WHERE a.status = 'active' AND a.suppliers_is_array
        )
        SELECT DISTINCT r.seq, r.ocid, t.tenderer_id
        FROM releases r
        JOIN bids b ON b.seq = r.seq
        JOIN bid_tenderers t ON t.seq = b.seq AND t.bid_idx = b.bid_idx
        JOIN winners w ON w.seq = r.seq AND w.supplier_id = t.tenderer_id
        WHERE r.tender_end IS NOT NULL AND r.has_awards AND r.has_bid_details
          AND b.status = 'valid' AND b.date IS NOT NULL AND b.tenderers_is_array
          AND b.date > r.tender_end
        ORDER BY r.seq, t.tenderer_id
        """,
    )
    for _seq, ocid, tenderer in found:
        results.set("OCID", ocid, CODE, 1.0)
        results.set("Tenderer", tenderer, CODE, 1.0)
        results.map_tenderer(CODE, ocid, tenderer)
