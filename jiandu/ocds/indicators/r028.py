"""R028 — Identical bid prices (报价雷同; platform rule PRC-09).

Method: a contracting process is flagged (value 1.0) if different tenderers submitted bids with the same price:
among its submitted bids with an amount and a currency, two bids with the same (amount, currency) whose sets of
tenderer ids differ. All tenderers of those bids are flagged too (value 1.0). A tenderer may submit several bids at
the same price without raising the flag.

Why a red flag: a corrupt buyer can favour the pre-determined bidder by leaking competitors' prices, which it then
matches.

Settings: none of its own. Global: the price-comparison method lists (prices predetermined by the buyer are not
comparable).

Exclusions: processes whose prices are predetermined (per the global lists); bids without tenderer ids.
"""

from __future__ import annotations

from jiandu.ocds.indicators.base import SUBMITTED_BIDS_SQL, Context, Results, rows

CODE = "R028"


def compute(ctx: Context, results: Results) -> None:
    found = rows(
        ctx.con,
        f"""
        WITH priced AS (
            SELECT b.seq, b.bid_idx, b.amount, b.currency,
                   list_sort(list_distinct(list(t.tenderer_id))) AS tenderers
            FROM ({SUBMITTED_BIDS_SQL}) b
            JOIN bid_tenderers t USING (seq, bid_idx)
            JOIN releases r USING (seq)
            WHERE r.price_comparison AND b.amount IS NOT NULL AND b.currency IS NOT NULL AND b.tenderers_is_array
            GROUP BY b.seq, b.bid_idx, b.amount, b.currency
        ),
        same_price AS (
            SELECT seq, amount, currency
            FROM priced GROUP BY seq, amount, currency
            HAVING count(DISTINCT tenderers) >= 2
        )
        SELECT r.ocid, list_sort(list_distinct(flatten(list(p.tenderers))))
        FROM priced p JOIN same_price USING (seq, amount, currency) JOIN releases r USING (seq)
        GROUP BY p.seq, r.ocid ORDER BY p.seq
        """,
    )
    for ocid, tenderers in found:
        results.set("OCID", ocid, CODE, 1.0)
        for tenderer in tenderers:
            results.set("Tenderer", tenderer, CODE, 1.0)
            results.map_tenderer(CODE, ocid, tenderer)
