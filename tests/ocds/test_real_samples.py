"""The four real publishers' samples import, map and run through the indicators without a crash."""

from pathlib import Path

import pytest

from jiandu.ocds.indicators import indicators_run
from jiandu.ocds.mapper import releases_map
from jiandu.ocds.prepare import release_prepare
from jiandu.ocds.reader import ReadReport, compiled_releases_read
from jiandu.ocds.settings import settings_load
from tests.checkout import shared_dir

SAMPLES = shared_dir() / "data" / "ocds-real"
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


@pytest.mark.parametrize("publisher", ["moldova", "ukraine"])
def test_our_compilation_equals_the_publishers_compiled_release(publisher: str) -> None:
    """Merging a record's releases gives the publisher's own compiledRelease, except that the publisher's
    compiler numbers objects without ``id`` in arrays (``auctions``, ``milestones``), which the OCDS merge does not."""
    import json

    from jiandu.ocds.merge import release_compile

    checked = 0
    for path in sorted((SAMPLES / publisher / "sample" / "records").glob("*.json")):
        record = json.loads(path.read_text())
        ours, theirs = release_compile(record["releases"]), record["compiledRelease"]
        for key in set(theirs) - {"id", "tag", "date", "packageInfo"}:
            if key == "tender":
                for field in set(theirs["tender"]) - {"auctions", "milestones"}:
                    assert ours["tender"].get(field) == theirs["tender"][field], (path.name, field)
            else:
                assert ours.get(key) == theirs[key], (path.name, key)
        checked += 1
    assert checked > 10
