"""Spreadsheet cells from delivered data: text stays text (no formula injection, ASVS 1.2.10).

openpyxl turns any string that starts with "=" into a formula. Names, purposes and titles in the registry
come from other departments' files, so a company registered as `=HYPERLINK("http://…","点此")` would become a
live link or formula in an export a commission's staff open in Excel or WPS. Exports pass their rows through
`text_cells`, which marks such strings as plain text; every other value is written as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet


def text_cells(sheet: WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    """`values` for `sheet.append`, with every formula-looking string written as a text cell."""
    cells: list[Any] = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def text_kept(cell: Any) -> Any:
    """Mark an ordinary (not write-only) cell holding a formula-looking string as text; returns the cell."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell
