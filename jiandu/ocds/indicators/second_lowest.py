"""The percentage difference between the winning bid and the second-lowest valid bid (shared by R024 and R058).

Per Cardinal ("cli/indicators/R/024", "R/058"; ``SecondLowestBidRatio``): only processes that allow price
comparison, whose awards are final with a single active award to a single supplier. Among valid bids with an
amount in the main currency and one tenderer: the winning bid is the **lowest** bid of the supplier; the
second-lowest valid bid is the lowest bid of any other tenderer (the first such bid in input order on a tie).
A process counts only if both exist and the second-lowest is not below the winning bid (otherwise the award
criterion was not price only). difference = (second − winning) / winning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jiandu.ocds.indicators.base import SINGLE_AWARD_SQL, VALID_PRICED_BIDS_SQL, Context, rows


@dataclass(frozen=True)
class SecondLowest:
    seq: int
    ocid: str
    winner: str
    winning_amount: float
    second: str
    second_amount: float

    @property
    def difference(self) -> float:
        if self.winning_amount == 0:
            return math.nan if self.second_amount == 0 else math.inf
        return (self.second_amount - self.winning_amount) / self.winning_amount


def second_lowest_differences(ctx: Context) -> list[SecondLowest]:
    """One entry per qualifying process, in input order."""
    sql = f"""
        WITH single AS ({SINGLE_AWARD_SQL}),
        priced AS (
            SELECT b.*, s.supplier_id
            FROM ({VALID_PRICED_BIDS_SQL}) b
            JOIN single s USING (seq)
            JOIN releases r USING (seq)
            WHERE r.price_comparison AND b.currency = ?
        ),
        winning AS (
            SELECT seq, min(amount) AS amount, any_value(supplier_id) AS winner
            FROM priced WHERE tenderer_id = supplier_id GROUP BY seq
        ),
        second AS (
            SELECT seq, arg_min(tenderer_id, (amount, bid_idx)) AS tenderer_id, min(amount) AS amount
            FROM priced WHERE tenderer_id <> supplier_id GROUP BY seq
        )
        SELECT w.seq, r.ocid, w.winner, w.amount, s.tenderer_id, s.amount
        FROM winning w JOIN second s USING (seq) JOIN releases r USING (seq)
        WHERE s.amount >= w.amount
        ORDER BY w.seq
    """
    if ctx.main_currency is None:
        return []
    return [SecondLowest(*row) for row in rows(ctx.con, sql, [ctx.main_currency])]
