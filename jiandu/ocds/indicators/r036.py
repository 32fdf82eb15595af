"""R036 — Lowest bid disqualified (最低价投标被否决).

Method: a contracting process is flagged (value 1.0) if it has at least one active award, at least one valid bid
with an amount, and its lowest submitted bid is disqualified. Only bids with an amount in the main currency count;
on a tie for the lowest amount, the first bid in input order decides.

Why a red flag: when the award criterion is price only, a corrupt buyer can favour the pre-determined bidder by
disqualifying lower-priced bids.

Settings: none of its own. Global: ``currency`` and the price-comparison method lists.

Exclusions: processes whose prices are predetermined (per the global lists); processes where no valid bid has an
amount; amounts in other currencies; the global exclusions.
"""

from __future__ import annotations

from jiandu.ocds.indicators.base import SUBMITTED_BIDS_SQL, Context, Results, rows

CODE = "R036"


def compute(ctx: Context, results: Results) -> None:
    if ctx.main_currency is None:
        return
    found = rows(
        ctx.con,
        f"""
        WITH priced AS (
            SELECT b.*
            FROM ({SUBMITTED_BIDS_SQL}) b JOIN releases r USING (seq)
            WHERE r.price_comparison AND r.has_awards AND b.amount IS NOT NULL AND b.currency = ?
              AND EXISTS (SELECT 1 FROM awards a WHERE a.seq = b.seq AND a.status = 'active')
        )
        SELECT r.ocid
        FROM priced p JOIN releases r USING (seq)
        GROUP BY p.seq, r.ocid
        HAVING bool_or(p.status = 'valid') AND arg_min(p.status, (p.amount, p.bid_idx)) = 'disqualified'
        ORDER BY p.seq
        """,
        [ctx.main_currency],
    )
    for (ocid,) in found:
        results.set("OCID", ocid, CODE, 1.0)
