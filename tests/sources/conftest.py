from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def tasks_inline(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Run queued imports inline and keep uploads and error reports in a per-test folder."""
    from huey.contrib.djhuey import HUEY

    settings.MEDIA_ROOT = tmp_path / "media"
    previous = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = previous
