"""What the reader hands to the store: one `Sheet` per delivered table, with its valid rows and its errors."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


class DeliveryError(Exception):
    """A file-level problem (unreadable, unknown table, missing columns, too large, zip bomb …).

    str(exc) is Chinese and names the file, so it can be shown to the clerk as it is."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 200 * 1024 * 1024
    max_rows: int = 5_000_000
    max_uncompressed_bytes: int = 1024 * 1024 * 1024  # XLSX zip-bomb guard (sum of uncompressed member sizes)
    max_ratio: int = 200  # per-member compression ratio guard (members above 1 MiB uncompressed)


@dataclass(frozen=True)
class CellError:
    row: int  # spreadsheet row number: header = 1, first data row = 2 (JSONL: 1-based line number)
    column: str | None  # contract key (None for a row-level problem, e.g. a duplicate key in the file)
    header: str | None  # the header as delivered
    value: str  # raw value as delivered (≤ 100 chars) — for the clerk's error report only, never logged
    reason: str  # Chinese: what is wrong and what is expected

    def __repr__(self) -> str:  # the value may be personal data: keep it out of logs and tracebacks
        return f"CellError(row={self.row}, column={self.column!r}, reason={self.reason!r})"


@dataclass
class Sheet:
    source_file: str  # file name as delivered (no directories)
    sheet: str  # sheet name; "" for CSV / JSONL
    table: str  # contract table name
    encoding: str  # "utf-8", "utf-8-sig", "gb18030", "utf-16"; "" for XLSX
    header_map: dict[str, str]  # delivered header → contract key
    valid: pl.DataFrame  # `_row` + every contract column key, typed (see import-interface)
    errors: list[CellError]
    total_rows: int  # data rows read (valid rows + rejected rows); blank rows are not counted
    notices: list[str] = field(default_factory=list)  # Chinese: ignored columns, skipped sheets …
    # The delivered header record and the delivered cells of the rejected rows (`_row` + positional string
    # columns), kept from the grid so the error report need not read the file again; None when not kept.
    delivered_headers: list[str] | None = None
    rejected_cells: pl.DataFrame | None = None
