"""R025 — Excessive unsuccessful bids (陪标专业户; platform rule PRC-05).

Method: for each tenderer, ratio = winning bids / valid bids across all contracting processes, counting a tenderer
once per process (valid bids = ``status`` ``valid`` with exactly one tenderer). A tenderer is flagged if both:

- its number of valid bids is ≥ the upper fence, the ``percentile``-th percentile (default 75) of the numbers of
  valid bids of all tenderers ("top tenderers");
- its ratio is ≤ the lower fence Q1 − 1.5·IQR of all tenderers' ratios.

Percentile and quartiles are R-8 (:mod:`jiandu.analytics.fences`). The value is the ratio.

Why a red flag: a colluding bidder can mimic competition by submitting deliberately losing bids in processes where
its partner takes part.

Settings (``[R025]``): ``percentile`` (integer percentage, default 75); ``threshold`` — a fixed lower fence.

Exclusions: a process whose awards are not final (an award pending or invalid); several active awards; an award to
several suppliers; a bid with several tenderers (not counted). Nothing is flagged when Q1 ≤ 0 or the lower
fence ≤ 0 (most tenderers never win).
"""

from __future__ import annotations

from jiandu.analytics.fences import fences, percentile_r8
from jiandu.ocds.indicators.base import SINGLE_AWARD_SQL, Context, Results, rows

CODE = "R025"


def tenderer_win_counts(ctx: Context) -> list[tuple[str, int, int]]:
    """(tenderer id, processes won, processes with a valid bid) for every tenderer with a valid bid."""
    return rows(
        ctx.con,
        f"""
        WITH single AS ({SINGLE_AWARD_SQL}),
        valid AS (
            SELECT DISTINCT b.seq, b.first_tenderer_id AS tenderer_id
            FROM bids b
            WHERE b.status = 'valid' AND b.tenderers_is_array AND b.n_tenderers = 1
              AND b.first_tenderer_id IS NOT NULL
        )
        SELECT v.tenderer_id, count(*) FILTER (WHERE v.tenderer_id = s.supplier_id), count(*)
        FROM valid v JOIN single s USING (seq)
        GROUP BY v.tenderer_id ORDER BY v.tenderer_id
        """,
    )


def compute(ctx: Context, results: Results) -> None:
    counts = tenderer_win_counts(ctx)
    percentile = ctx.settings.get_int(CODE, "percentile", 75)
    upper_fence = percentile_r8((valid for _, _, valid in counts), percentile)
    threshold = ctx.settings.get_float(CODE, "threshold")
    if threshold is None:
        computed = fences(won / valid for _, won, valid in counts)
        results.set_meta(CODE, "q1", computed.q1)
        results.set_meta(CODE, "q3", computed.q3)
        lower_fence, q1 = computed.lower, computed.q1
    else:
        lower_fence, q1 = threshold, 1.0
    results.set_meta(CODE, "upper_fence", upper_fence)
    results.set_meta(CODE, "lower_fence", lower_fence)
    if not (q1 > 0.0 and lower_fence > 0.0):
        return
    for tenderer, won, valid in counts:
        ratio = won / valid
        if valid >= upper_fence and ratio <= lower_fence:
            results.set("Tenderer", tenderer, CODE, ratio)
