"""Quartiles by the R-8 method and Tukey's outlier fences: the one definition the rules and the OCDS indicators use.

rules.md fixes PRC-05 and PRC-08 to "quartiles by the R-8 method, Q1 − 1.5·IQR" so that results compare with
OCP Cardinal's (open-contracting/cardinal-rs, ``src/indicators/r024.rs`` … ``r058.rs``). Cardinal takes its
quartiles from the Rust ``statrs`` crate (``OrderStatistics::lower_quartile`` / ``upper_quartile`` /
``percentile``), whose ``quantile`` is Hyndman & Fan's **R-8** estimator ("approximately median-unbiased
regardless of distribution"):

    h = (n + 1/3) · p + 1/3;  j = ⌊h⌋
    j ≤ 0  → the minimum;  j ≥ n → the maximum;  else x₍ⱼ₎ + (h − j) · (x₍ⱼ₊₁₎ − x₍ⱼ₎)   (1-based order statistics)

The fences are Tukey's: lower = Q1 − 1.5·IQR, upper = Q3 + 1.5·IQR (Cardinal docs, "cli/indicators/R/024" and
"R/038"). An empty sample gives NaN, as in statrs; every comparison with NaN is false, so nothing is flagged.

The method is written twice, once per engine, and a test holds the two equal: :func:`quantile_r8` in Python (the
OCDS indicators, reports, tests) and :func:`r8_quartiles_sql`, a SQL fragment, so that the platform rules compute
their fences inside the query engine (DuckDB or Spark).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction


def quantile_r8(values: Iterable[float], p: float) -> float:
    """The p-quantile (0 ≤ p ≤ 1) by Hyndman & Fan's R-8 method; NaN for an empty sample or p out of range."""
    data = sorted(float(v) for v in values)
    n = len(data)
    if n == 0 or not 0.0 <= p <= 1.0:
        return math.nan
    h = (n + 1.0 / 3.0) * p + 1.0 / 3.0
    j = int(h)  # h ≥ 1/3 > 0, so truncation is the floor
    if j <= 0 or p == 0.0:
        return data[0]
    if j >= n or p == 1.0:
        return data[-1]
    low, high = data[j - 1], data[j]
    return low + (h - j) * (high - low)


def percentile_r8(values: Iterable[float], percent: int) -> float:
    """Cardinal's ``percentile(p)``: the R-8 quantile at ``percent / 100`` (an integer percentage)."""
    return quantile_r8(values, percent / 100.0)


@dataclass(frozen=True)
class Fences:
    """Quartiles of a sample and Tukey's fences derived from them."""

    q1: float
    q3: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    @property
    def lower(self) -> float:
        return _fused(self.iqr, -1.5, self.q1)

    @property
    def upper(self) -> float:
        return _fused(self.iqr, 1.5, self.q3)


def _fused(a: float, b: float, c: float) -> float:
    """a·b + c rounded once, like Rust's ``f64::mul_add`` that Cardinal uses for its fences.

    Rounding once matters when a value sits exactly on a fence (the comparisons are inclusive).
    """
    if not all(math.isfinite(x) for x in (a, b, c)):
        return a * b + c
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def fences(values: Iterable[float]) -> Fences:
    """Q1 and Q3 by the R-8 method, with the lower (Q1 − 1.5·IQR) and upper (Q3 + 1.5·IQR) fences."""
    sample = [float(v) for v in values]
    return Fences(q1=quantile_r8(sample, 0.25), q3=quantile_r8(sample, 0.75))


def r8_quartiles_sql(relation: str, column: str) -> str:
    """A SELECT returning one row (q1, q3, fence) over `column` of `relation` (a CTE or table name).

    The same R-8 method as :func:`quantile_r8`; `fence` is the lower fence Q1 − 1.5·IQR. An empty relation gives
    no row, so a rule that cross-joins it flags nothing (NaN in Python, no row in SQL).
    """

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
