"""The relationship graph of an official: official ↔ relatives ↔ companies ↔ tenders/contracts ↔ units.

Built from the registry on demand (a few queries per expansion, each through the access module). Edges carry
their period so the page can filter by time; edges that are part of an alert's evidence are marked so the
alert paths stand out. `expand=company:<uscc>` or `expand=unit:<unit_code>` returns a node's neighbours for
click-to-expand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiandu.alerts.selectors import alerts_for
from jiandu.analytics.idcolumns import is_id_hash
from jiandu.registry.selectors import visible_rows

MAX_EDGES = 400


class Graph:
    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def node(self, node_id: str, label: str, kind: str, **extra: Any) -> str:
        self.nodes.setdefault(node_id, {"id": node_id, "label": label, "kind": kind, **extra})
        return node_id

    def edge(self, a: str, b: str, label: str, start: Any = None, end: Any = None, record: str = "") -> None:
        if len(self.edges) >= MAX_EDGES:
            return
        self.edges.setdefault(
            (a, b, label),
            {
                "source": a,
                "target": b,
                "label": label,
                "start": _iso(start),
                "end": _iso(end),
                "record": record,
                "alert": False,
            },
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "nodes": list(self.nodes.values()),
            "edges": list(self.edges.values()),
            "truncated": len(self.edges) >= MAX_EDGES,
        }


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _overlaps(start: Any, end: Any, lo: dt.date | None, hi: dt.date | None) -> bool:
    if hi and start and start > hi:
        return False
    return not (lo and end and end < lo)


def official_graph(user: Any, official: Any, params: dict[str, str]) -> dict[str, Any]:
    lo, hi = _date(params.get("from", "")), _date(params.get("to", ""))
    g = Graph()
    expand = params.get("expand", "")
    if expand.startswith("company:"):
        _company_neighbours(user, g, expand.split(":", 1)[1], lo, hi)
        return g.as_json()
    if expand.startswith("unit:"):
        _unit_neighbours(user, g, expand.split(":", 1)[1], lo, hi)
        return g.as_json()
    pid = official.id_number_hash  # node ids carry keyed hashes, never an ID
    me = g.node(f"P:{pid}", official.name, "official", root=True)
    people = {pid: me}
    for p in visible_rows(user, "positions").filter(id_number_hash=pid):
        if _overlaps(p.start_date, p.end_date, lo, hi):
            u = g.node(f"U:{p.unit_code}", p.unit_code, "unit")
            g.edge(me, u, p.title, p.start_date, p.end_date, f"positions:{p.pk}")
    for f in visible_rows(user, "family_members").filter(declarant_id_hash=pid):
        node_id = f"P:{f.id_number_hash}" if f.id_number_hash else f"N:{f.name}"
        people[f.id_number_hash or f.name] = g.node(node_id, f.name, "relative")
        g.edge(me, node_id, f.relation, record=f"family_members:{f.pk}")
    ids = [k for k in people if is_id_hash(k)]
    company_codes: set[str] = set()
    for r in visible_rows(user, "company_roles").filter(holder_id_hash__in=ids):
        if _overlaps(r.start_date, r.end_date, lo, hi):
            c = g.node(f"C:{r.uscc}", r.uscc, "company")
            g.edge(people[r.holder_id_hash], c, r.role, r.start_date, r.end_date, f"company_roles:{r.pk}")
            company_codes.add(r.uscc)
    for c in visible_rows(user, "companies").filter(legal_rep_id_hash__in=ids):
        g.node(f"C:{c.uscc}", c.name, "company")
        g.edge(
            people[c.legal_rep_id_hash], f"C:{c.uscc}", "法定代表人", c.founded, c.closed, f"companies:{c.pk}"
        )
        company_codes.add(c.uscc)
    for code in company_codes:
        _company_neighbours(user, g, code, lo, hi, others=False)
    _label(user, g)
    _mark_alert_paths(user, g, pid)
    return g.as_json()


def _company_neighbours(
    user: Any, g: Graph, uscc: str, lo: dt.date | None, hi: dt.date | None, others: bool = True
) -> None:
    c = g.node(f"C:{uscc}", uscc, "company")
    tender_nos = [b.tender_no for b in visible_rows(user, "bids").filter(bidder_code=uscc, won=True)]
    for t in visible_rows(user, "tenders").filter(tender_no__in=tender_nos):
        if _overlaps(t.award_date or t.notice_date, t.award_date or t.notice_date, lo, hi):
            node = g.node(f"T:{t.tender_no}", t.title, "tender")
            g.edge(c, node, "中标", t.award_date, None, f"tenders:{t.pk}")
            g.edge(node, g.node(f"U:{t.buyer_code}", t.buyer_code, "unit"), "采购人")
    for k in visible_rows(user, "contracts").filter(supplier_code=uscc):
        if _overlaps(k.signed, k.signed, lo, hi):
            node = g.node(f"K:{k.contract_no}", k.contract_no, "contract")
            g.edge(c, node, "签约", k.signed, None, f"contracts:{k.pk}")
            g.edge(node, g.node(f"U:{k.buyer_code}", k.buyer_code, "unit"), "采购人")
    if others:
        for r in visible_rows(user, "company_roles").filter(uscc=uscc):
            holder = f"P:{r.holder_id_hash}" if r.holder_id_hash else f"N:{r.holder_name}"
            g.node(holder, r.holder_name, "person")
            g.edge(holder, c, r.role, r.start_date, r.end_date, f"company_roles:{r.pk}")
        _label(user, g)


def _unit_neighbours(user: Any, g: Graph, unit_code: str, lo: dt.date | None, hi: dt.date | None) -> None:
    u = g.node(f"U:{unit_code}", unit_code, "unit")
    for k in visible_rows(user, "contracts").filter(buyer_code=unit_code).order_by("-amount")[:30]:
        if _overlaps(k.signed, k.signed, lo, hi):
            node = g.node(f"K:{k.contract_no}", k.contract_no, "contract")
            g.edge(node, u, "采购人", k.signed, None, f"contracts:{k.pk}")
            g.edge(g.node(f"C:{k.supplier_code}", k.supplier_code, "company"), node, "签约")
    for p in visible_rows(user, "positions").filter(unit_code=unit_code, is_team_member=True):
        if _overlaps(p.start_date, p.end_date, lo, hi):
            g.edge(
                g.node(f"P:{p.id_number_hash}", (p.id_number_masked or "")[:6] + "…", "official"),
                u,
                p.title,
                p.start_date,
                p.end_date,
                f"positions:{p.pk}",
            )
    _label(user, g)


def _label(user: Any, g: Graph) -> None:
    """Replace codes by names where the registry knows them (one query per kind)."""
    kinds = {
        "C": ("companies", "uscc", "name"),
        "U": ("units", "unit_code", "name"),
        "P": ("officials", "id_number_hash", "name"),
    }
    for prefix, (table, key, name) in kinds.items():
        codes = [n["id"][2:] for n in g.nodes.values() if n["id"].startswith(prefix + ":")]
        if not codes:
            continue
        for code, label in visible_rows(user, table).filter(**{f"{key}__in": codes}).values_list(key, name):
            g.nodes[f"{prefix}:{code}"]["label"] = label


def _mark_alert_paths(user: Any, g: Graph, id_number: str) -> None:
    alerts = alerts_for(user).filter(subject_type="official", subject_key=id_number, supported=True)
    cited = {f"{e['table']}:{e['rid']}" for a in alerts for e in a.evidence}
    for edge in g.edges.values():
        if edge["record"] in cited:
            edge["alert"] = True
