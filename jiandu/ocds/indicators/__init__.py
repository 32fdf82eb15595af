"""OCP red-flag indicators with Cardinal's method, over flattened compiled releases in DuckDB.

Each indicator is one module (``r003`` … ``r058``) with a docstring giving its method, why it is a red flag, its
settings and exclusions, and a ``compute(ctx, results)`` function. Per-process conditions are DuckDB SQL over the
tables of :mod:`jiandu.ocds.flatten`; the statistics (quartiles, fences) are :mod:`jiandu.analytics.fences`, shared with
the platform rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

import duckdb

from jiandu.ocds.flatten import flatten_into
from jiandu.ocds.indicators import r003, r018, r024, r025, r028, r030, r035, r036, r038, r048, r058
from jiandu.ocds.indicators.base import (
    SINGLE_AWARD_SQL,
    SUBMITTED_BIDS_SQL,
    VALID_PRICED_BIDS_SQL,
    Context,
    Results,
    rows,
)
from jiandu.ocds.settings import Settings

INDICATORS: dict[str, ModuleType] = {
    module.CODE: module for module in (r003, r018, r024, r025, r028, r030, r035, r036, r038, r048, r058)
}


def main_currency(ctx: Context) -> str | None:
    """The ``currency`` setting, else the first currency observed by the price indicators, in input order.

    Cardinal fixes the main currency at the first bid whose currency it compares: for each process in turn, first
    the valid bids considered by R024/R058, then the submitted bids considered by R036.
    """
    if ctx.settings.currency:
        return ctx.settings.currency
    parts = []
    if ctx.settings.enabled("R024") or ctx.settings.enabled("R058"):
        parts.append(
            f"""SELECT b.seq, 0 AS phase, b.bid_idx, b.currency
                FROM ({VALID_PRICED_BIDS_SQL}) b JOIN ({SINGLE_AWARD_SQL}) s USING (seq)
                JOIN releases r USING (seq) WHERE r.price_comparison"""
        )
    if ctx.settings.enabled("R036"):
        parts.append(
            f"""SELECT b.seq, 1 AS phase, b.bid_idx, b.currency
                FROM ({SUBMITTED_BIDS_SQL}) b JOIN releases r USING (seq)
                WHERE r.price_comparison AND r.has_awards AND b.amount IS NOT NULL AND b.currency IS NOT NULL
                  AND EXISTS (SELECT 1 FROM awards a WHERE a.seq = b.seq AND a.status = 'active')"""
        )
    if not parts:
        return None
    found = rows(ctx.con, " UNION ALL ".join(parts) + " ORDER BY seq, phase, bid_idx LIMIT 1")
    return found[0][3] if found else None


def indicators_run(
    releases: Iterable[Any],
    settings: Settings,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Results, Counter[str]]:
    """Run every indicator enabled in ``settings`` over compiled releases; return results and exclusion counts."""
    con = con or duckdb.connect()
    excluded = flatten_into(con, releases, settings)
    ctx = Context(con=con, settings=settings)
    ctx.main_currency = main_currency(ctx)
    results = Results()
    if any(settings.enabled(code) for code in ("R025", "R038", "R048")):
        # Cardinal's "ocid_tenderer" map: the tenderers of submitted bids in each process.
        for ocid, tenderer in rows(
            con,
            f"""SELECT DISTINCT r.ocid, t.tenderer_id
                FROM ({SUBMITTED_BIDS_SQL}) b JOIN bid_tenderers t USING (seq, bid_idx) JOIN releases r USING (seq)
                WHERE b.tenderers_is_array""",
        ):
            results.maps.setdefault("ocid_tenderer", {}).setdefault(ocid, set()).add(tenderer)
    for code, module in INDICATORS.items():
        if settings.enabled(code):
            if progress:
                progress(code)
            module.compute(ctx, results)
    return results, excluded
