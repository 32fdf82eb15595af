from pathlib import Path

import pytest

from jiandu.ocds.codes import BID_STATUS_BY_PUBLISHER
from jiandu.ocds.settings import INDICATOR_CODES, settings_load

PRESETS = Path(__file__).parents[2] / "jiandu" / "ocds" / "presets"


@pytest.mark.parametrize("path", sorted(PRESETS.glob("*.ini")), ids=lambda p: p.stem)
def test_presets_parse(path: Path) -> None:
    settings = settings_load(path)
    assert settings.indicators


def test_all_preset_enables_every_indicator_with_defaults() -> None:
    settings = settings_load(PRESETS / "all.ini")
    assert set(settings.indicators) == set(INDICATOR_CODES)
    assert all(values == {} for values in settings.indicators.values())


@pytest.mark.parametrize("publisher", sorted(BID_STATUS_BY_PUBLISHER))
def test_publisher_presets_carry_the_code_tables(publisher: str) -> None:
    assert (
        settings_load(PRESETS / f"{publisher}.ini").bid_status_codelist == BID_STATUS_BY_PUBLISHER[publisher]
    )
