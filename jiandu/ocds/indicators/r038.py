"""R038 — Excessive disqualified bids (否决投标比例异常).

Method: ratio = disqualified bids / submitted bids across all contracting processes, for each buyer
(``/buyer/id``), each procuring entity (``/tender/procuringEntity/id``) and each tenderer
(``/bids/details[]/tenderers[]/id``). In each group, an organisation is flagged if its ratio is ≥ the upper fence
Q3 + 1.5·IQR of the group's ratios (R-8 quartiles, :mod:`jiandu.analytics.fences`). The value is the ratio.

Why a red flag: a corrupt buyer or procuring entity can favour pre-determined bidders by disqualifying the others;
a colluding bidder can mimic competition with deliberately unqualified bids.

Settings (``[R038]``): ``threshold`` — a fixed upper fence (decimal); ``minimum_submitted_bids`` (default 2) —
tenderers with fewer submitted bids are left out; ``minimum_contracting_processes`` (default 2) — buyers and
procuring entities below it are left out. Note: Cardinal's code compares this minimum with the organisation's
number of *submitted bids* (the denominator of its ratio), not with its number of processes as its documentation
says; we follow the code so that results compare equal, and say so in docs/ocds.md.

Exclusions: processes without submitted bids; the global exclusions. Nothing is flagged when the fence ≤ 0 (most
organisations never disqualify). Assumption: identifiers are stable across processes.
"""

from __future__ import annotations

from jiandu.analytics.fences import fences
from jiandu.ocds.indicators.base import SUBMITTED_BIDS_SQL, Context, Results, rows

CODE = "R038"

_GROUP_SQL = {
    "Buyer": "buyer_id",
    "ProcuringEntity": "procuring_entity_id",
}


def ratios(ctx: Context) -> dict[str, list[tuple[str, int, int]]]:
    """Group → [(id, disqualified, submitted)]."""
    result: dict[str, list[tuple[str, int, int]]] = {}
    for group, column in _GROUP_SQL.items():
        result[group] = rows(
            ctx.con,
            f"""
            SELECT r.{column}, count(*) FILTER (WHERE b.status = 'disqualified'), count(*)
            FROM ({SUBMITTED_BIDS_SQL}) b JOIN releases r USING (seq)
            WHERE r.{column} IS NOT NULL
            GROUP BY r.{column} ORDER BY r.{column}
            """,
        )
    result["Tenderer"] = rows(
        ctx.con,
        f"""
        SELECT t.tenderer_id, count(*) FILTER (WHERE b.status = 'disqualified'), count(*)
        FROM ({SUBMITTED_BIDS_SQL}) b JOIN bid_tenderers t USING (seq, bid_idx)
        WHERE b.tenderers_is_array
        GROUP BY t.tenderer_id ORDER BY t.tenderer_id
        """,
    )
    return result


def disqualifying_organisations(ctx: Context) -> dict[str, dict[str, str]]:
    """For ``--map``: the buyer and the procuring entity of each ocid with at least one disqualified bid."""
    maps: dict[str, dict[str, str]] = {"ocid_buyer_r038": {}, "ocid_procuringentity_r038": {}}
    for ocid, buyer, entity in rows(
        ctx.con,
        """SELECT r.ocid, r.buyer_id, r.procuring_entity_id FROM releases r
           WHERE EXISTS (SELECT 1 FROM bids b WHERE b.seq = r.seq AND b.status = 'disqualified')
           ORDER BY r.seq""",
    ):
        if buyer is not None:
            maps["ocid_buyer_r038"][ocid] = buyer
        if entity is not None:
            maps["ocid_procuringentity_r038"][ocid] = entity
    return maps


def compute(ctx: Context, results: Results) -> None:
    results.org_maps.update(disqualifying_organisations(ctx))
    threshold = ctx.settings.get_float(CODE, "threshold")
    minimum_bids = ctx.settings.get_int(CODE, "minimum_submitted_bids", 2)
    minimum_processes = ctx.settings.get_int(CODE, "minimum_contracting_processes", 2)
    for group, entries in ratios(ctx).items():
        minimum = minimum_bids if group == "Tenderer" else minimum_processes
        kept = [
            (key, disqualified / submitted)
            for key, disqualified, submitted in entries
            if submitted >= minimum
        ]
        if not kept:
            continue
        if threshold is None:
            computed = fences(ratio for _, ratio in kept)
            results.set_meta(CODE, f"{group}_q1", computed.q1)
            results.set_meta(CODE, f"{group}_q3", computed.q3)
            upper_fence = computed.upper
        else:
            upper_fence = threshold
        results.set_meta(CODE, f"{group}_upper_fence", upper_fence)
        if not upper_fence > 0.0:
            continue
        for key, ratio in kept:
            if ratio >= upper_fence:
                results.set(group, key, CODE, ratio)
