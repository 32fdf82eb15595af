from __future__ import annotations

from pathlib import Path

import pytest

from jiandu.demo import generate

SMALL = 0.02


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "city"
    generate(7, SMALL, out)
    return out


@pytest.fixture(scope="session")
def checked(city: Path):
    from demo_contract_check import check_delivery

    return check_delivery(city)
