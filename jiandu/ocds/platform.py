"""Run the OCP indicators on the platform's own tables (``tenders``, ``bids``), for the rules engine.

The rules engine (jiandu/analytics/rules/) reads the registry through a DuckDB connection shaped as
docs "analytics interface" says (one table per contract table, ``_rid`` per row). This module turns those rows into
the flattened OCDS form of :mod:`jiandu.ocds.flatten` — in a separate connection, because the names ``bids`` clash —
and runs the same indicator code, so PRC-01/03/05/08/09/10 and R018/R003/R025/R024/R028/R035 cannot drift apart.

Correspondence (contract → OCDS):

- ``tenders.tender_no`` → ``ocid``; ``buyer_code`` → ``buyer.id`` and ``tender.procuringEntity.id``;
- ``method`` → ``procurementMethod`` (公开招标 → open, 邀请招标 → selective, 竞争性谈判/竞争性磋商/询价/单一来源 →
  limited, 直接采购 → direct) and the Chinese method itself → ``procurementMethodDetails`` (so R003's
  per-method thresholds can be the legal minimums of PRC-03, see ``presets/platform.ini``);
- ``notice_date`` / ``deadline`` → ``tenderPeriod`` start / end at 00:00 China time (+08:00);
- each ``bids`` row → one bid with one tenderer (``bidder_code``), amount ``price`` in CNY, status ``disqualified``
  when ``rejected_reason`` is set, else ``valid``; ``numberOfTenderers`` = the number of distinct bidders;
- each winning bid (``won``) → one active award to its bidder; a tender without any winner has no awards yet.

Results are keyed like Cardinal's (OCID = tender_no, Tenderer = bidder_code, Buyer = buyer_code); the engine turns
them into alerts and finds the evidence rows (``tenders._rid``, ``bids._rid``) by those keys.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import duckdb

from jiandu.ocds.indicators import indicators_run
from jiandu.ocds.indicators.base import Results
from jiandu.ocds.settings import Settings

OCDS_METHOD = {
    "公开招标": "open",
    "邀请招标": "selective",
    "竞争性谈判": "limited",
    "竞争性磋商": "limited",
    "询价": "limited",
    "单一来源": "limited",
    "直接采购": "direct",
}


def _instant(date: Any) -> str | None:
    return f"{date.isoformat()}T00:00:00+08:00" if date is not None else None


def platform_releases(platform: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """OCDS compiled releases built from the platform's ``tenders`` and ``bids`` tables."""
    bids_by_tender: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for tender_no, bidder_code, price, won, rejected in platform.execute(
        "SELECT tender_no, bidder_code, price, won, rejected_reason FROM bids ORDER BY tender_no, _rid"
    ).fetchall():
        bids_by_tender[tender_no].append((bidder_code, price, won, rejected))
    releases = []
    for tender_no, buyer_code, method, notice, deadline in platform.execute(
        "SELECT tender_no, buyer_code, method, notice_date, deadline FROM tenders ORDER BY _rid"
    ).fetchall():
        rows = bids_by_tender.get(tender_no, [])
        tender: dict[str, Any] = {
            "procuringEntity": {"id": buyer_code},
            "procurementMethod": OCDS_METHOD.get(method),
            "procurementMethodDetails": method,
            "numberOfTenderers": len({bidder for bidder, *_ in rows}),
            "tenderPeriod": {"startDate": _instant(notice), "endDate": _instant(deadline)},
        }
        details = [
            {
                "status": "disqualified" if rejected else "valid",
                "tenderers": [{"id": bidder}],
                "value": {"amount": float(price), "currency": "CNY"} if price is not None else None,
            }
            for bidder, price, _won, rejected in rows
        ]
        winners = sorted({bidder for bidder, _price, won, _rejected in rows if won})
        releases.append(
            {
                "ocid": tender_no,
                "buyer": {"id": buyer_code},
                "tender": tender,
                "bids": {"details": details},
                "awards": [{"status": "active", "suppliers": [{"id": w}]} for w in winners],
            }
        )
    return releases


def platform_indicators_run(platform: duckdb.DuckDBPyConnection, settings: Settings) -> Results:
    """Cardinal's indicators over the platform's tenders and bids (amounts in CNY)."""
    results, _ = indicators_run(platform_releases(platform), settings)
    return results


# Platform rule → OCP indicator it follows (jiandu/spec/rules.md, section B). PRC-05 adds its own conditions
# (min_bids, min_shared) on top of R025: the engine applies them to these hits.
RULE_INDICATORS: dict[str, str] = {
    "PRC-01": "R018",
    "PRC-03": "R003",
    "PRC-05": "R025",
    "PRC-08": "R024",
    "PRC-09": "R028",
    "PRC-10": "R035",
}


@dataclass(frozen=True)
class RuleHit:
    """One platform-rule hit from an OCP indicator, with its evidence rows (table, ``_rid``) in reading order."""

    rule: str
    indicator: str
    subject: str  # tender_no for process-level indicators, bidder_code for R025
    value: float
    evidence: tuple[tuple[str, int], ...]


def platform_rule_hits(platform: duckdb.DuckDBPyConnection, settings: Settings) -> list[RuleHit]:
    """Hits of PRC-01/03/05/08/09/10 computed by the OCP indicators, with evidence (tender first, then its bids)."""
    results = platform_indicators_run(platform, settings)
    tender_rid = dict(platform.execute("SELECT tender_no, _rid FROM tenders").fetchall())
    bid_rids: dict[tuple[str, str], list[int]] = defaultdict(list)
    for tender_no, bidder, rid in platform.execute(
        "SELECT tender_no, bidder_code, _rid FROM bids ORDER BY _rid"
    ).fetchall():
        bid_rids[(tender_no, bidder)].append(rid)
    hits = []
    for rule, code in RULE_INDICATORS.items():
        if code == "R025":
            for bidder, values in sorted(results.results["Tenderer"].items()):
                if code in values:
                    rows = [
                        ("bids", rid)
                        for (_, b), rids in sorted(bid_rids.items())
                        if b == bidder
                        for rid in rids
                    ]
                    hits.append(RuleHit(rule, code, bidder, values[code], tuple(rows)))
            continue
        flagged = results.maps.get(f"ocid_tenderer_{code.lower()}", {})
        for tender_no, values in sorted(results.results["OCID"].items()):
            if code not in values:
                continue
            bidders = flagged.get(tender_no) or {b for (t, b) in bid_rids if t == tender_no}
            rows = [("tenders", tender_rid[tender_no])] + [
                ("bids", rid) for bidder in sorted(bidders) for rid in bid_rids.get((tender_no, bidder), [])
            ]
            hits.append(RuleHit(rule, code, tender_no, values[code], tuple(rows)))
    return hits
