import math

from jiandu.analytics.fences import fences, percentile_r8, quantile_r8


def test_r8_matches_hyndman_fan_type_8() -> None:
    # R: quantile(1:10, c(.25, .75), type = 8) -> 2.916667 8.083333
    assert math.isclose(quantile_r8(range(1, 11), 0.25), 2.0 + 11 / 12)
    assert math.isclose(quantile_r8(range(1, 11), 0.75), 8.0 + 1 / 12)
    # Unsorted input, median of an even sample.
    assert quantile_r8([4, 1, 3, 2], 0.5) == 2.5


def test_r8_edges_clamp_to_min_and_max() -> None:
    assert quantile_r8([5, 7, 9], 0.0) == 5
    assert quantile_r8([5, 7, 9], 1.0) == 9
    assert quantile_r8([5, 7, 9], 0.05) == 5  # h < 1 clamps to the minimum
    assert quantile_r8([5, 7, 9], 0.99) == 9  # h ≥ n clamps to the maximum
    assert quantile_r8([3.5], 0.25) == 3.5


def test_empty_sample_and_bad_p_are_nan() -> None:
    assert math.isnan(quantile_r8([], 0.5))
    assert math.isnan(quantile_r8([1, 2], 1.5))
    assert math.isnan(fences([]).lower)


def test_percentile_is_integer_percent() -> None:
    assert percentile_r8([1, 2, 3, 4], 50) == quantile_r8([1, 2, 3, 4], 0.5)


def test_tukey_fences_from_cardinal_docs_example() -> None:
    # Cardinal docs (indicators "Meta"): q1 66.6667, q3 100.0, lower_fence 16.6667 for 2 zeros and 7 hundreds.
    computed = fences([0, 0] + [100] * 7)
    assert round(computed.q1, 4) == 66.6667
    assert computed.q3 == 100.0
    assert round(computed.lower, 4) == 16.6667
    assert round(computed.upper, 4) == 150.0
