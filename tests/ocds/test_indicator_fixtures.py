"""Fixture pairs, one or more per indicator: input compiled releases (JSON lines) and the exact expected output.

Naming follows Cardinal's habit: ``R024.jsonl`` runs with ``[R024]`` only; parameter variants are in the file name
(``R025-percentile-90-threshold-0.75`` → ``[R025] percentile = 90, threshold = 0.75``); a fixture with its own
``.ini`` (global settings, exclusions, maps) uses that file instead. Ids: F… = flagged, N… = not flagged, W = winner,
L = second-lowest bidder, B = buyer. The expected files were worked out by hand (fences in the comments of
docs/ocds.md), not produced by the code under test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jiandu.ocds.indicators import INDICATORS, indicators_run
from jiandu.ocds.settings import settings_load, settings_parse

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(path.stem for path in FIXTURES.glob("R*.jsonl"))


def settings_for(stem: str):
    ini = FIXTURES / f"{stem}.ini"
    if ini.exists():
        return settings_load(ini)
    code, *rest = stem.split("-")
    lines = [f"[{code}]"]
    pairs = [part for part in rest if part]
    if len(pairs) % 2 == 0:  # key-value pairs; otherwise a plain variant name (R038-tenderer)
        lines += [f"{key} = {value}" for key, value in zip(pairs[::2], pairs[1::2], strict=True)]
    return settings_parse("\n".join(lines) + "\n")


@pytest.mark.parametrize("stem", CASES)
def test_fixture(stem: str) -> None:
    releases = [json.loads(line) for line in (FIXTURES / f"{stem}.jsonl").read_text().splitlines() if line]
    results, _ = indicators_run(releases, settings_for(stem))
    expected = json.loads((FIXTURES / f"{stem}.expected").read_text())
    assert results.as_json(meta=False) == expected


def test_every_indicator_has_a_fixture_and_a_docstring() -> None:
    codes = {re.match(r"R\d{3}", stem).group(0) for stem in CASES}  # type: ignore[union-attr]
    assert codes == set(INDICATORS)
    for code, module in INDICATORS.items():
        doc = module.__doc__ or ""
        assert doc.startswith(f"{code} — "), code
        for section in ("Method", "Why a red flag", "Settings", "Exclusions"):
            assert section in doc, (code, section)
