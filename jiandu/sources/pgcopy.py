"""PostgreSQL-only: load a staging frame with COPY, the one fast path that is not portable SQL.

COPY FROM STDIN in CSV form is an order of magnitude faster than INSERT on PostgreSQL (docs/benchmarks.md).
Everything else in the import is portable SQL; keep PostgreSQL specifics in this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl


def copy_frame(
    cursor: Any,
    stage: str,
    columns: Sequence[str],
    frame: pl.DataFrame,
    chunk_rows: int,
) -> None:
    """COPY `frame` (already in staging form) into the temp table `stage` through Django's cursor.

    One COPY for the whole frame, written a chunk at a time: the server parses and stores a chunk while
    polars renders the next one as CSV (a COPY per chunk left one side idle while the other worked). No
    other statement can run on the connection meanwhile, so progress is reported once the COPY is done."""
    names = ", ".join(f'"{c}"' for c in columns)
    frame = frame.select(list(columns))
    raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
    with raw.copy(f"COPY {stage} ({names}) FROM STDIN (FORMAT csv)") as copy:
        for offset in range(0, frame.height, chunk_rows):
            chunk = frame.slice(offset, chunk_rows)
            copy.write(chunk.write_csv(include_header=False, null_value="").encode("utf-8"))
