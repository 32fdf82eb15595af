"""Quartiles and outlier fences exactly as OCP Cardinal computes them.

Cardinal (open-contracting/cardinal-rs, ``src/indicators/r024.rs`` … ``r058.rs``) takes its quartiles from the Rust
``statrs`` crate (``OrderStatistics::lower_quartile`` / ``upper_quartile`` / ``percentile``), whose ``quantile`` is
Hyndman & Fan's **R-8** estimator ("approximately median-unbiased regardless of distribution"):

    h = (n + 1/3) · p + 1/3;  j = ⌊h⌋
    j ≤ 0  → the minimum;  j ≥ n → the maximum;  else x₍ⱼ₎ + (h − j) · (x₍ⱼ₊₁₎ − x₍ⱼ₎)   (1-based order statistics)

The fences are Tukey's: lower = Q1 − 1.5·IQR, upper = Q3 + 1.5·IQR (Cardinal docs, "cli/indicators/R/024" and
"R/038": "the lower fence of Q1 − 1.5(IQR)", "the upper fence of Q3 + 1.5(IQR)").
An empty sample gives NaN, as in statrs; every comparison with NaN is false, so nothing is flagged.

The platform rules PRC-05 (R025) and PRC-08 (R024) import these functions so that platform alerts and OCDS results
use one definition.
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
