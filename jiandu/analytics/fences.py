"""Outlier fences with quartiles by the R-8 method (Hyndman & Fan type 8, "median-unbiased").

rules.md fixes PRC-05 and PRC-08 to "quartiles by the R-8 method, Q1 − 1.5·IQR" so results can be compared
with OCP Cardinal's. The same method exists twice: a tiny Python function (for tests and reports) and a SQL
fragment (so the rules compute fences inside the query engine). Type 8: h = (n + 1/3)·p + 1/3, then linear
interpolation between the order statistics x⌊h⌋ and x⌊h⌋+1, clamped to the sample's minimum and maximum.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def quantile_r8(values: Sequence[float], p: float) -> float | None:
    xs = sorted(values)
    n = len(xs)
    if n == 0:
        return None
    h = (n + 1 / 3) * p + 1 / 3
    if h <= 1:
        return float(xs[0])
    if h >= n:
        return float(xs[-1])
    lo = math.floor(h)
    return float(xs[lo - 1] + (h - lo) * (xs[lo] - xs[lo - 1]))


def lower_fence(values: Sequence[float], k: float = 1.5) -> float | None:
    q1, q3 = quantile_r8(values, 0.25), quantile_r8(values, 0.75)
    if q1 is None or q3 is None:
        return None
    return q1 - k * (q3 - q1)


def r8_quartiles_sql(relation: str, column: str) -> str:
    """A SELECT returning one row (q1, q3, fence) over `column` of `relation` (a CTE or table name)."""

    def q(p: float) -> str:
        h = f"((n + 1.0 / 3) * {p} + 1.0 / 3)"
        return f"""CASE WHEN n = 0 THEN NULL
            WHEN {h} <= 1 THEN min(CASE WHEN rn = 1 THEN v END)
            WHEN {h} >= n THEN min(CASE WHEN rn = n THEN v END)
            ELSE min(CASE WHEN rn = floor({h}) THEN v END)
                 + ({h} - floor({h})) * (min(CASE WHEN rn = floor({h}) + 1 THEN v END)
                                         - min(CASE WHEN rn = floor({h}) THEN v END)) END"""

    return f"""SELECT q1, q3, q1 - 1.5 * (q3 - q1) AS fence FROM (
        SELECT {q(0.25)} AS q1, {q(0.75)} AS q3
        FROM (SELECT CAST({column} AS DOUBLE) AS v, row_number() OVER (ORDER BY {column}) AS rn,
                     count(*) OVER () AS n FROM {relation}) s
        GROUP BY n
    ) f"""
