import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def resolved():
    """The test city, resolved once for every read-only test."""
    from city import build_city

    from jiandu.analytics.resolution.engine import resolve

    con = build_city()
    return con, resolve(con)
