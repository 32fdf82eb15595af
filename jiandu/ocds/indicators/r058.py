"""R058 — Heavily discounted bid (报价畸低).

Method: for each contracting process, difference = (second-lowest valid bid − winning bid) / winning bid
(:mod:`jiandu.ocds.indicators.second_lowest`). A process is flagged if its difference is ≥ the upper fence
Q3 + 1.5·IQR of all differences (R-8 quartiles, :mod:`jiandu.analytics.fences`). The value is the difference; the
winner is flagged too (value 0.0).

Why a red flag: an unethical bidder can win with a price far below the others and then deliver defective goods
("lemons") when the buyer's quality criteria are weak.

Settings (``[R058]``): ``threshold`` — a fixed upper fence (decimal). Global: ``currency`` and the price-comparison
method lists.

Exclusions: as R024 (non-final awards, the winner not the lowest, several active awards, bids with several
tenderers, awards to several suppliers, other currencies). Nothing is flagged when the fence ≤ 0.
"""

from __future__ import annotations

from jiandu.analytics.fences import fences
from jiandu.ocds.indicators.base import Context, Results
from jiandu.ocds.indicators.second_lowest import second_lowest_differences

CODE = "R058"


def compute(ctx: Context, results: Results) -> None:
    entries = second_lowest_differences(ctx)
    threshold = ctx.settings.get_float(CODE, "threshold")
    if threshold is None:
        computed = fences(entry.difference for entry in entries)
        results.set_meta(CODE, "q1", computed.q1)
        results.set_meta(CODE, "q3", computed.q3)
        upper_fence = computed.upper
    else:
        upper_fence = threshold
    results.set_meta(CODE, "upper_fence", upper_fence)
    if not upper_fence > 0.0:
        return
    for entry in entries:
        if entry.difference >= upper_fence:
            results.set("OCID", entry.ocid, CODE, entry.difference)
            results.set("Tenderer", entry.winner, CODE, 0.0)
            results.map_tenderer(CODE, entry.ocid, entry.winner)
