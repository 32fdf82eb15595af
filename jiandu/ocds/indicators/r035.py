"""R035 — All except winning bid disqualified (除中标人外全部被否决; platform rule PRC-10).

Method: a contracting process is flagged if, with final awards:

- exactly one tenderer submitted valid bids (``status`` ``valid``);
- that tenderer is exactly the set of suppliers of the active awards;
- at least ``threshold`` other tenderers submitted disqualified bids.

The value is the number of other tenderers with disqualified bids; the winner is flagged too (value 0.0).

Why a red flag: a corrupt buyer can hand the contract to the pre-determined bidder by disqualifying everyone else.

Settings (``[R035]``): ``threshold`` (natural number, default 1; 0 is read as 1).

Exclusions: an award pending or invalid (awards not final); several valid tenderers (a buyer may aggregate bids
into one award); the global exclusions.
"""

from __future__ import annotations

from jiandu.ocds.indicators.base import FINAL_AWARDS_SQL, Context, Results, rows

CODE = "R035"


def compute(ctx: Context, results: Results) -> None:
    threshold = max(ctx.settings.get_int(CODE, "threshold", 1), 1)
    found = rows(
        ctx.con,
        f"""
        WITH final AS ({FINAL_AWARDS_SQL}),
        suppliers AS (
            SELECT a.seq, list_sort(list_distinct(list(s.supplier_id))) AS ids
            FROM awards a JOIN award_suppliers s USING (seq, award_idx)
            WHERE a.status = 'active' AND a.suppliers_is_array AND a.seq IN (SELECT seq FROM final)
            GROUP BY a.seq
        ),
        tenderers AS (
            SELECT b.seq,
                   list_sort(list_distinct(list(t.tenderer_id) FILTER (WHERE b.status = 'valid'))) AS valid,
                   list_distinct(list(t.tenderer_id) FILTER (WHERE b.status = 'disqualified')) AS disqualified
            FROM bids b JOIN bid_tenderers t USING (seq, bid_idx)
            WHERE b.tenderers_is_array AND b.seq IN (SELECT seq FROM final)
            GROUP BY b.seq
        )
        SELECT r.ocid, t.valid[1],
               len(list_filter(coalesce(t.disqualified, []), lambda x: NOT list_contains(t.valid, x))) AS others
        FROM tenderers t JOIN suppliers s USING (seq) JOIN releases r USING (seq)
        WHERE len(t.valid) = 1 AND t.valid = s.ids AND others >= ?
        ORDER BY r.seq
        """,
        [threshold],
    )
    for ocid, winner, others in found:
        results.set("OCID", ocid, CODE, float(others))
        results.set("Tenderer", winner, CODE, 0.0)
        results.map_tenderer(CODE, ocid, winner)
