"""A developer's command on a server install (no dev extra) says what it lacks instead of a traceback."""

from __future__ import annotations

import importlib.util

import pytest
from click.testing import CliRunner

from jiandu.resolution_commands import resolve_bench


def test_resolve_bench_without_the_dev_extra_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "recordlinkage" else real(name, *a)
    )
    result = CliRunner().invoke(resolve_bench, ["--limit", "5"])
    assert result.exit_code == 1
    assert "recordlinkage" in result.output and "jiandu[dev]" in result.output
