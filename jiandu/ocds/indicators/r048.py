"""R048 — Heterogeneous supplier (供应商经营范围异常宽泛).

Method: for each supplier, variety = the number of distinct first-level classifications (the first ``digits``
characters of ``/awards[]/items[]/classification/id``) of the items of its active awards, across all contracting
processes. Among suppliers awarded in at least ``minimum_contracting_processes`` processes, a supplier is flagged if
its variety is ≥ the upper fence Q3 + 1.5·IQR of their varieties (R-8 quartiles). The value is the variety.

Why a red flag: a supplier of everything is more likely unsuitable, raising the risk of low value for money, poor
delivery or rent extraction.

Settings (``[R048]``): ``digits`` (default 2); ``threshold`` — a fixed upper fence (natural number);
``minimum_contracting_processes`` (default 20).

Exclusions: awards to several suppliers (we cannot tell who supplies which item); items without a classification
id; awards that are not active; the global exclusions. A process counts for a supplier only if at least one of its
classified items was awarded to it.
"""

from __future__ import annotations

from jiandu.analytics.fences import fences
from jiandu.ocds.indicators.base import Context, Results, rows

CODE = "R048"


def compute(ctx: Context, results: Results) -> None:
    digits = ctx.settings.get_int(CODE, "digits", 2)
    threshold = ctx.settings.get_float(CODE, "threshold")
    minimum = ctx.settings.get_int(CODE, "minimum_contracting_processes", 20)
    varieties = rows(
        ctx.con,
        """
        SELECT a.first_supplier_id, count(DISTINCT a.seq), count(DISTINCT left(i.classification_id, ?))
        FROM awards a JOIN award_items i USING (seq, award_idx)
        WHERE a.status = 'active' AND a.items_is_array AND a.suppliers_is_array AND a.n_suppliers = 1
          AND a.first_supplier_id IS NOT NULL
        GROUP BY a.first_supplier_id ORDER BY a.first_supplier_id
        """,
        [digits],
    )
    kept = [(supplier, float(variety)) for supplier, processes, variety in varieties if processes >= minimum]
    if threshold is None:
        computed = fences(variety for _, variety in kept)
        results.set_meta(CODE, "q1", computed.q1)
        results.set_meta(CODE, "q3", computed.q3)
        upper_fence = computed.upper
    else:
        upper_fence = threshold
    results.set_meta(CODE, "upper_fence", upper_fence)
    for supplier, variety in kept:
        if variety >= upper_fence:
            results.set("Tenderer", supplier, CODE, variety)
