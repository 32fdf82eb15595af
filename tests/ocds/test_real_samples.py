"""The four real publishers' samples import, map and run through the indicators without a crash."""

from pathlib import Path

import pytest

from jiandu.ocds.indicators import indicators_run
from jiandu.ocds.mapper import releases_map
from jiandu.ocds.prepare import release_prepare
from jiandu.ocds.reader import ReadReport, compiled_releases_read
from jiandu.ocds.settings import settings_load

SAMPLES = Path("/work/shared/data/ocds-real")
PRESETS = Path(__file__).parents[2] / "jiandu" / "ocds" / "presets"

# publisher → (compiled releases, tenders, bid rows) measured on the samples (docs/ocds.md)
EXPECTED = {"armenia": (100, 27, 36), "moldova": (51, 51, 0), "taiwan": (11, 11, 0), "ukraine": (11, 11, 12)}

pytestmark = pytest.mark.skipif(not SAMPLES.exists(), reason="real OCDS samples not on this machine")


@pytest.mark.parametrize("publisher", sorted(EXPECTED))
def test_sample_maps_and_runs(publisher: str) -> None:
    report = ReadReport()
    releases = compiled_releases_read([SAMPLES / publisher], report)
    result = releases_map(releases)
    compiled, tenders, bids = EXPECTED[publisher]
    assert report.counts["compiled releases"] == compiled
    assert (result.counts["tenders"], result.counts["bids"]) == (tenders, bids)
    assert result.report, "the per-field report names what could not be mapped"
    assert all(": " in key or "." in key for key in result.report)
    preset = PRESETS / f"{publisher}.ini"
    settings = settings_load(preset if preset.exists() else PRESETS / "all.ini")
    results, _ = indicators_run([release_prepare(r, settings) for r in releases], settings)
    assert set(results.as_json()) <= {"OCID", "Buyer", "ProcuringEntity", "Tenderer", "Meta"}


def test_publisher_status_codes_reach_the_indicators() -> None:
    releases = compiled_releases_read([SAMPLES / "armenia"])
    settings = settings_load(PRESETS / "armenia.ini")
    prepared = [release_prepare(r, settings) for r in releases]
    statuses = {b.get("status") for r in prepared for b in (r.get("bids") or {}).get("details", [])}
    assert statuses == {"valid", "disqualified"}
