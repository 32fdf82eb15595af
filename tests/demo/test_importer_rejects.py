"""Issue 4's cross-check: the demo city's list of invalid rows is exactly what the importer's reader rejects.

The reader (jiandu.analytics.intake) is the platform's real validation path; every rejected cell must be one
the generator planted as invalid, and every planted invalid cell must be rejected, with the same column.
"""

from __future__ import annotations

import json
from pathlib import Path

from jiandu.analytics.intake import read_file


def rejected_cells(city: Path) -> set[tuple[str, str, int, str | None]]:
    manifest = json.loads((city / "manifest.json").read_text(encoding="utf-8"))
    found: set[tuple[str, str, int, str | None]] = set()
    for entry in manifest["files"]:
        for sheet in read_file(city / entry["path"]):
            for error in sheet.errors:
                found.add((entry["path"], sheet.sheet or "", error.row, error.column))
    return found


def planted_cells(city: Path) -> set[tuple[str, str, int, str | None]]:
    lines = (city / "truth" / "invalid_rows.jsonl").read_text(encoding="utf-8").splitlines()
    cells = set()
    for line in lines:
        row = json.loads(line)
        cells.add((row["file"], row["sheet"] or "", row["row"], row["column"]))
    return cells


def test_invalid_row_list_equals_what_the_importer_rejects(city: Path) -> None:
    planted = planted_cells(city)
    rejected = rejected_cells(city)
    assert planted, "the demo city plants invalid rows"
    assert sorted(rejected - planted) == [], "rejected by the importer but not planted as invalid"
    assert sorted(planted - rejected) == [], "planted as invalid but accepted by the importer"
