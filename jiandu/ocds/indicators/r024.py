"""R024 — Price close to winning bid (报价接近; platform rule PRC-08).

Method: for each contracting process, difference = (second-lowest valid bid − winning bid) / winning bid
(:mod:`jiandu.ocds.indicators.second_lowest`). A process is flagged if its difference is ≤ the lower fence
Q1 − 1.5·IQR of all differences (quartiles by the R-8 method, :mod:`jiandu.analytics.fences`). The value is the
difference; the winner and the second-lowest bidder are flagged too (value 0.0).

Why a red flag: a colluding bidder can mimic competition with a bid close in price to its partner's winning bid.

Settings (``[R024]``): ``threshold`` — a fixed lower fence (decimal) instead of the computed one. Global:
``currency``, ``no_price_comparison_procurement_methods`` / ``price_comparison_procurement_methods``.

Exclusions: an award pending (or any non-final status); the winning bid is not the lowest; several active awards;
a bid with several tenderers; an award to several suppliers; amounts not in the main currency. Nothing is flagged
when Q1 ≤ 0 or the fence ≤ 0 (otherwise 75 % of processes would be flagged when most differences are zero).
"""

from __future__ import annotations

from jiandu.analytics.fences import fences
from jiandu.ocds.indicators.base import Context, Results
from jiandu.ocds.indicators.second_lowest import second_lowest_differences

CODE = "R024"


def compute(ctx: Context, results: Results) -> None:
    entries = second_lowest_differences(ctx)
    threshold = ctx.settings.get_float(CODE, "threshold")
    if threshold is None:
        computed = fences(entry.difference for entry in entries)
        results.set_meta(CODE, "q1", computed.q1)
        results.set_meta(CODE, "q3", computed.q3)
        lower_fence, q1 = computed.lower, computed.q1
    else:
        lower_fence, q1 = threshold, 1.0  # q1 only guards the computed fence
    results.set_meta(CODE, "lower_fence", lower_fence)
    if not (q1 > 0.0 and lower_fence > 0.0):
        return
    for entry in entries:
        if entry.difference <= lower_fence:
            results.set("OCID", entry.ocid, CODE, entry.difference)
            for tenderer in (entry.winner, entry.second):
                results.set("Tenderer", tenderer, CODE, 0.0)
                results.map_tenderer(CODE, entry.ocid, tenderer)
