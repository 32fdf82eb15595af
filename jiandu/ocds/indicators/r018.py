"""R018 — Single bid received (单一投标; platform rule PRC-01).

Method: a contracting process is flagged (value 1.0) if ``/tender/numberOfTenderers`` is 1 and the procurement
method (``/tender/procurementMethod``) is competitive.

Why a red flag: in a competitive procedure, a lack of competition may be a *suppression* of competition, the ideal
outcome for a corrupt buyer and a pre-determined bidder.

Settings (``[R018]``): ``procurement_methods`` — the competitive methods, pipe-separated (default
``open|selective``); an empty list tests every method, as in Cardinal.

Exclusions: ``numberOfTenderers`` must be a JSON integer (Cardinal reads it as an unsigned integer: ``1.0`` or
``"1"`` do not count); the global exclusions.
"""

from __future__ import annotations

from jiandu.ocds.indicators.base import Context, Results, rows
from jiandu.ocds.settings import pipe_set

CODE = "R018"


def compute(ctx: Context, results: Results) -> None:
    methods = pipe_set(ctx.settings.get_str(CODE, "procurement_methods", "open|selective"))
    for (ocid,) in rows(
        ctx.con,
        """SELECT ocid FROM releases
           WHERE has_tender AND number_of_tenderers = 1
             AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], procurement_method))
           ORDER BY seq""",
        [sorted(methods), sorted(methods)],
    ):
        results.set("OCID", ocid, CODE, 1.0)
