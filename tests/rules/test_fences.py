import math

import duckdb
import numpy as np
import pytest

from jiandu.analytics.fences import fences, quantile_r8, r8_quartiles_sql

SAMPLES = [
    [1.0],
    [3.0, 1.0],
    [0.1, 0.5, 0.2, 0.9, 0.4],
    [0.0, 0.0, 0.25, 0.5, 0.5, 0.5, 1.0, 0.2, 0.33],
    list(np.random.default_rng(7).random(101)),
]


@pytest.mark.parametrize("xs", SAMPLES)
def test_python_r8_matches_numpy_median_unbiased(xs):
    for p in (0.25, 0.5, 0.75):
        assert quantile_r8(xs, p) == pytest.approx(float(np.quantile(xs, p, method="median_unbiased")))


def test_known_values():
    # 1..10: h(0.25) = (10 + 1/3)/4 + 1/3 = 35/12 → Q1 = 35/12; h(0.75) = 97/12 → Q3 = 97/12
    assert quantile_r8(range(1, 11), 0.25) == pytest.approx(35 / 12)
    assert quantile_r8(range(1, 11), 0.75) == pytest.approx(97 / 12)
    assert fences(range(1, 11)).lower == pytest.approx(-58 / 12)
    assert math.isnan(quantile_r8([], 0.5))  # no quartile of an empty sample (NaN: every comparison is false)


@pytest.mark.parametrize("xs", SAMPLES)
def test_sql_r8_matches_python(xs):
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x DOUBLE)")
    con.executemany("INSERT INTO t VALUES (?)", [[x] for x in xs])
    q1, q3, fence = con.execute(r8_quartiles_sql("t", "x")).fetchone()
    assert q1 == pytest.approx(quantile_r8(xs, 0.25))
    assert q3 == pytest.approx(quantile_r8(xs, 0.75))
    assert fence == pytest.approx(fences(xs).lower)


def test_sql_r8_of_an_empty_relation_gives_no_row():
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x DOUBLE)")
    assert con.execute(r8_quartiles_sql("t", "x")).fetchall() == []
