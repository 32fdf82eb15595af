"""The unit's portrait: leadership over time, sub-units, procurement, decisions, petitions, findings, alerts.

Petitions are attributed to a unit through the officials they name (subject_id of a member of the unit's
leadership team); free-text unit names are linked by entity resolution, not here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from jiandu.alerts.models import OPEN_STATUSES
from jiandu.alerts.selectors import alerts_for
from jiandu.portraits.facts import Fact, facts
from jiandu.portraits.official import held_on, risk_score
from jiandu.registry.selectors import visible_rows


def unit_portrait(user: Any, unit: Any, today: dt.date) -> dict[str, Any]:
    code = unit.unit_code
    positions = list(
        visible_rows(user, "positions").filter(unit_code=code, is_team_member=True).order_by("-start_date")
    )
    names = dict(
        visible_rows(user, "officials")
        .filter(id_number_hash__in={p.id_number_hash for p in positions})
        .values_list("id_number_hash", "name")
    )
    official_pks = dict(
        visible_rows(user, "officials")
        .filter(id_number_hash__in={p.id_number_hash for p in positions})
        .values_list("id_number_hash", "pk")
    )
    sub_units = list(visible_rows(user, "units").filter(parent_code=code).order_by("name"))
    tenders = visible_rows(user, "tenders").filter(buyer_code=code)
    by_method = list(tenders.values("method").annotate(n=Count("id"), budget=Sum("budget")).order_by("-n"))
    contracts = visible_rows(user, "contracts").filter(buyer_code=code)
    suppliers = list(
        contracts.values("supplier_code").annotate(n=Count("id"), total=Sum("amount")).order_by("-total")[:10]
    )
    total = contracts.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    all_shares = [row["total"] for row in contracts.values("supplier_code").annotate(total=Sum("amount"))]
    hhi = sum(float(s / total) ** 2 for s in all_shares) if total else None
    supplier_names = dict(
        visible_rows(user, "companies")
        .filter(uscc__in=[s["supplier_code"] for s in suppliers])
        .values_list("uscc", "name")
    )
    decisions = visible_rows(user, "decisions").filter(unit_code=code)
    decision_stats = list(decisions.values("matter", "outcome").annotate(n=Count("id")).order_by("matter"))
    overdue_decisions = decisions.filter(outcome="通过", due__lt=today).exclude(done="已落实").count()
    audit = list(visible_rows(user, "audit_findings").filter(unit_code=code).order_by("-found")[:100])
    inspection = list(
        visible_rows(user, "inspection_findings").filter(unit_code=code).order_by("-found")[:100]
    )
    rectification = Counter(f.status or "未填报" for f in [*audit, *inspection])
    member_ids = sorted({p.id_number_hash for p in positions})
    petitions = list(
        visible_rows(user, "petitions").filter(subject_id_hash__in=member_ids).order_by("received")
    )
    quarters: dict[str, int] = defaultdict(int)
    for p in petitions:
        quarters[f"{p.received.year}Q{(p.received.month - 1) // 3 + 1}"] += 1
    alerts = list(alerts_for(user).filter(unit_code=code).order_by("-id")[:200])
    open_alerts = [a for a in alerts if a.supported and a.status in OPEN_STATUSES]
    return {
        "unit": unit,
        "team_now": [
            {
                "fact": Fact("positions", p),
                "name": names.get(p.id_number_hash, ""),
                "official_pk": official_pks.get(p.id_number_hash),
            }
            for p in positions
            if held_on(p, today)
        ],
        "team_history": [
            {
                "fact": Fact("positions", p),
                "name": names.get(p.id_number_hash, ""),
                "official_pk": official_pks.get(p.id_number_hash),
            }
            for p in positions
        ],
        "sub_units": sub_units,
        "by_method": by_method,
        "suppliers": [{**s, "name": supplier_names.get(s["supplier_code"], "")} for s in suppliers],
        "contract_total": total,
        "hhi": hhi,
        "decision_stats": decision_stats,
        "overdue_decisions": overdue_decisions,
        "findings": facts("audit_findings", audit, "found")
        + facts("inspection_findings", inspection, "found"),
        "rectification": dict(rectification),
        "petition_quarters": dict(sorted(quarters.items())),
        "alerts": alerts,
        "score": risk_score(open_alerts, today),
        "charts": {
            "petitions": dict(sorted(quarters.items())),
            "methods": [{"name": m["method"], "value": m["n"]} for m in by_method],
        },
    }
