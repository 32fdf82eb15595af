"""The official's portrait (廉政档案 / 精准画像): everything the departments know about one person.

Each section is one query over the registry, always through the access module, so the page's query count is
bounded whatever the size of the city (a test pins it). Relatives are the people the official declared
(family_members, any year); companies are those linked to the official or a relative by a company role or as
legal representative.

An official under active investigation — the subject of an alert or a lead under verification — is shielded
(the investigation shield of jiandu/accounts/access.py): only users who may read at least one of those matters
open the portrait (and its graph, clearance opinion and the lead register's person page); everyone else gets
the same 404 as for another jurisdiction. The official still appears in search, registry lists and unit pages
(see docs/security.md, "Need-to-know"). A user who must recuse themselves is refused the pages (403).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, cast

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest

from jiandu.accounts.access import access_checked, investigation_shield, record_for, records_for
from jiandu.alerts import selectors as alert_selectors
from jiandu.alerts.models import OPEN_STATUSES, Alert
from jiandu.analytics.rules.scoring import alert_points
from jiandu.leads.selectors import leads_for_person, outcomes_for_person
from jiandu.portraits.facts import Fact, facts
from jiandu.registry.models import REGISTRY
from jiandu.registry.selectors import visible_rows

R: dict[str, Any] = REGISTRY  # generated models: contract fields are invisible to the type checker


def officials_for(user: Any) -> Any:
    """Officials rows whose portrait the user may open: jurisdiction, then the investigation shield."""
    return records_for(user, R["officials"].objects.all(), need_to_know=investigation_shield)


def official_for(user: Any, pk: int) -> Any:
    """The officials row, or 404 (other jurisdiction, no right, no such record, or shielded)."""
    return record_for(user, R["officials"].objects.all(), pk, need_to_know=investigation_shield)


def access_official(request: HttpRequest, pk: int) -> Any:
    """The officials row for a portrait page: `official_for`, then recusal (403)."""
    return access_checked(request, official_for(request.user, pk))


def held_on(position: Any, day: dt.date) -> bool:
    """rules.md 'held at D': start ≤ D and (no end or end ≥ D), inclusive."""
    return position.start_date <= day and (position.end_date is None or position.end_date >= day)


def official_portrait(user: Any, official: Any, today: dt.date) -> dict[str, Any]:
    pid = official.id_number_hash  # people are matched by the keyed hash of their ID
    positions = list(visible_rows(user, "positions").filter(id_number_hash=pid).order_by("start_date"))
    family = list(
        visible_rows(user, "family_members").filter(declarant_id_hash=pid).order_by("-year", "relation")
    )
    relative_ids = sorted({f.id_number_hash for f in family if f.id_number_hash})
    people = [pid, *relative_ids]
    roles = list(
        visible_rows(user, "company_roles").filter(holder_id_hash__in=people).order_by("uscc", "start_date")
    )
    legal_reps = list(visible_rows(user, "companies").filter(legal_rep_id_hash__in=people))
    company_codes = sorted({r.uscc for r in roles} | {c.uscc for c in legal_reps})
    companies = {c.uscc: c for c in visible_rows(user, "companies").filter(uscc__in=company_codes)}
    unit_codes = sorted({p.unit_code for p in positions})
    units = {u.unit_code: u for u in visible_rows(user, "units").filter(unit_code__in=unit_codes)}
    declared = list(visible_rows(user, "declared_assets").filter(declarant_id_hash=pid).order_by("-year"))
    properties = list(
        visible_rows(user, "real_estate").filter(owner_id_hash__in=people).order_by("registered")
    )
    income = list(visible_rows(user, "tax_income").filter(id_number_hash=pid).order_by("year"))
    bank = list(
        visible_rows(user, "bank_transactions").filter(holder_id_hash__in=people).order_by("-tx_date")[:200]
    )
    crossings = list(
        visible_rows(user, "border_crossings").filter(id_number_hash=pid).order_by("-crossed")[:100]
    )
    approvals = list(visible_rows(user, "travel_approvals").filter(id_number_hash=pid).order_by("-leave"))
    talks = list(visible_rows(user, "talks").filter(id_number_hash=pid).order_by("-held"))
    discipline = list(
        visible_rows(user, "discipline_records").filter(id_number_hash=pid).order_by("-decided")
    )
    evaluations = list(visible_rows(user, "evaluations").filter(id_number_hash=pid).order_by("year", "rater"))
    petitions = list(visible_rows(user, "petitions").filter(subject_id_hash=pid).order_by("-received"))
    tenure = Q()
    for p in positions:
        window = Q(unit_code=p.unit_code, found__gte=p.start_date)
        if p.end_date:
            window &= Q(found__lte=p.end_date)
        tenure |= window
    audit = list(visible_rows(user, "audit_findings").filter(tenure).order_by("-found")) if positions else []
    inspection = (
        list(visible_rows(user, "inspection_findings").filter(tenure).order_by("-found")) if positions else []
    )
    principal_spans = [p for p in positions if p.is_principal]
    chaired = Q()
    for p in principal_spans:
        window = Q(unit_code=p.unit_code, meeting_date__gte=p.start_date)
        if p.end_date:
            window &= Q(meeting_date__lte=p.end_date)
        chaired |= window
    decisions = (
        list(visible_rows(user, "decisions").filter(chaired).order_by("-meeting_date")[:200])
        if principal_spans
        else []
    )
    alerts = list(
        alert_selectors.alerts_for(user).filter(subject_type="official", subject_key=pid).order_by("-id")
    )
    leads = list(leads_for_person(user, pid).order_by("-id")[:100])
    outcomes = list(outcomes_for_person(user, pid).order_by("-decided"))
    return {
        "official": official,
        "positions": [
            {
                "fact": Fact("positions", p, p.start_date),
                "unit": units.get(p.unit_code),
                "current": held_on(p, today),
            }
            for p in positions
        ],
        "family": _family_by_year(family, declared),
        "companies": _companies(roles, legal_reps, companies, pid, {f.id_number_hash: f for f in family}),
        "properties": _properties(properties, declared, pid),
        "income": facts("tax_income", income),
        "bank": facts("bank_transactions", bank, "tx_date"),
        "travel": {
            "crossings": facts("border_crossings", crossings, "crossed"),
            "approvals": facts("travel_approvals", approvals, "leave"),
        },
        "talks": facts("talks", talks, "held"),
        "discipline": [
            {
                "fact": Fact("discipline_records", d, d.decided),
                "in_effect": bool(d.effect_until and d.effect_until >= today),
            }
            for d in discipline
        ],
        "evaluations": _evaluations(evaluations),
        "petitions": facts("petitions", petitions, "received"),
        "findings": facts("audit_findings", audit, "found")
        + facts("inspection_findings", inspection, "found"),
        "decisions": facts("decisions", decisions, "meeting_date"),
        "alerts": alerts,
        "leads": leads,
        "outcomes": outcomes,
        "open_alerts": [a for a in alerts if a.supported and a.status in OPEN_STATUSES],
        "timeline": _timeline(positions, discipline, talks, petitions, audit, inspection, properties, alerts),
    }


def _family_by_year(family: list[Any], declared: list[Any]) -> list[dict[str, Any]]:
    """Declared family per year, flagging people who appear in one year's declaration but not the next."""
    by_year: dict[int, list[Any]] = defaultdict(list)
    for f in family:
        by_year[f.year].append(f)
    years = sorted(by_year, reverse=True)
    out = []
    for i, year in enumerate(years):
        names = {(f.relation, f.name) for f in by_year[year]}
        previous = {(f.relation, f.name) for f in by_year[years[i + 1]]} if i + 1 < len(years) else names
        out.append(
            {
                "year": year,
                "members": [
                    {"fact": Fact("family_members", f), "new": (f.relation, f.name) not in previous}
                    for f in by_year[year]
                ],
                "dropped": sorted(previous - names),
                "assets": [Fact("declared_assets", a) for a in declared if a.year == year],
            }
        )
    return out


def _companies(
    roles: list[Any], legal_reps: list[Any], companies: dict[str, Any], pid: str, family: dict[str, Any]
) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in roles:
        who = (
            "本人"
            if r.holder_id_hash == pid
            else (family[r.holder_id_hash].relation if r.holder_id_hash in family else "亲属")
        )
        entry = out.setdefault(r.uscc, {"company": companies.get(r.uscc), "uscc": r.uscc, "links": []})
        entry["links"].append({"who": who, "fact": Fact("company_roles", r, r.start_date)})
    for c in legal_reps:
        who = (
            "本人"
            if c.legal_rep_id_hash == pid
            else (family[c.legal_rep_id_hash].relation if c.legal_rep_id_hash in family else "亲属")
        )
        entry = out.setdefault(c.uscc, {"company": c, "uscc": c.uscc, "links": []})
        entry["links"].append({"who": f"{who}（法定代表人）", "fact": Fact("companies", c, c.founded)})
    return list(out.values())


def _properties(properties: list[Any], declared: list[Any], pid: str) -> list[dict[str, Any]]:
    """Registered properties, each marked whether any declaration's 房产 rows mention it (area within 1 m²)."""
    houses = [d for d in declared if d.category == "房产"]
    out = []
    for p in properties:
        match = any(
            (d.area_m2 is not None and abs(d.area_m2 - p.area_m2) <= 1)
            or (p.location and p.location in d.description)
            for d in houses
        )
        out.append(
            {"fact": Fact("real_estate", p, p.registered), "own": p.owner_id_hash == pid, "declared": match}
        )
    return out


def _evaluations(rows: list[Any]) -> list[dict[str, Any]]:
    """Per year, the four raters' scores (for the radar chart)."""
    years: dict[int, dict[str, Any]] = {}
    for e in rows:
        years.setdefault(e.year, {"year": e.year, "raters": []})["raters"].append(
            {
                "rater": e.rater,
                "integrity": e.integrity,
                "duty": e.duty,
                "conduct": e.conduct,
                "family_ethos": e.family_ethos,
                "fact": Fact("evaluations", e),
            }
        )
    return list(years.values())


def _timeline(*groups: list[Any]) -> list[dict[str, Any]]:
    """One chronological list of the dated facts and alerts."""
    positions, discipline, talks, petitions, audit, inspection, properties, alerts = groups
    items: list[dict[str, Any]] = []
    for p in positions:
        items.append(
            {"date": p.start_date, "kind": "任职", "text": f"任 {p.title}", "url": Fact("positions", p).url}
        )
        if p.end_date:
            items.append(
                {
                    "date": p.end_date,
                    "kind": "免职",
                    "text": f"免去 {p.title}",
                    "url": Fact("positions", p).url,
                }
            )
    for d in discipline:
        items.append(
            {
                "date": d.decided,
                "kind": "处分",
                "text": f"{d.form} {d.measure}",
                "url": Fact("discipline_records", d).url,
            }
        )
    for t in talks:
        items.append({"date": t.held, "kind": "谈话函询", "text": t.kind, "url": Fact("talks", t).url})
    for p in petitions:
        items.append(
            {"date": p.received, "kind": "信访", "text": p.category, "url": Fact("petitions", p).url}
        )
    for f in audit:
        items.append(
            {"date": f.found, "kind": "审计", "text": f.category, "url": Fact("audit_findings", f).url}
        )
    for f in inspection:
        items.append(
            {"date": f.found, "kind": "巡察", "text": f.category, "url": Fact("inspection_findings", f).url}
        )
    for h in properties:
        items.append(
            {"date": h.registered, "kind": "不动产", "text": h.location, "url": Fact("real_estate", h).url}
        )
    for a in alerts:
        if a.period_end:
            items.append(
                {
                    "date": a.period_end,
                    "kind": "预警",
                    "text": f"{a.rule_code} {a.title}",
                    "url": f"/alerts/{a.pk}/",
                }
            )
    return sorted(items, key=lambda i: i["date"], reverse=True)


def risk_score(open_alerts: list[Alert], today: dt.date) -> dict[str, Any] | None:
    """rules.md Scoring over the open alerts (weights and half-life from settings), with each contribution."""
    if not open_alerts:
        return None
    parts = [
        (
            a,
            alert_points(
                cast(Any, a),
                as_of=today,
                weights=settings.JIANDU_SCORE_WEIGHTS,
                half_life_days=settings.JIANDU_SCORE_HALF_LIFE,
            ),
        )
        for a in open_alerts
    ]
    value = sum(c.points for _, c in parts)
    grade = "红" if value >= 10 else "橙" if value >= 5 else "黄"
    return {"value": value, "grade": grade, "parts": sorted(parts, key=lambda p: -p[1].points)}
