"""PostgreSQL-only: load a staging frame with COPY, the one fast path that is not portable SQL.

COPY FROM STDIN in CSV form is an order of magnitude faster than INSERT on PostgreSQL (docs/benchmarks.md).
Everything else in the import is portable SQL; keep PostgreSQL specifics in this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl


def copy_frame(cursor: Any, stage: str, columns: Sequence[str], frame: pl.DataFrame) -> None:
    """COPY `frame` (already in staging form) into the temp table `stage` through Django's cursor."""
    names = ", ".join(f'"{c}"' for c in columns)
    payload = frame.select(list(columns)).write_csv(include_header=False, null_value="")
    raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
    with raw.copy(f"COPY {stage} ({names}) FROM STDIN (FORMAT csv)") as copy:
        copy.write(payload.encode("utf-8"))
