"""Lead statistics page and its Excel export (statistical-report layout)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jiandu.accounts.access import require
from jiandu.accounts.roles import Capability
from jiandu.audit.services import record_export
from jiandu.leads.selectors import leads_in_scope
from jiandu.leads.stats import lead_statistics, statistics_xlsx
from jiandu.security.stepup import exporting, step_up_required_if


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
@require_GET
@step_up_required_if(exporting)
def lead_stats(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_LEADS)
    user: Any = request.user
    by = "month" if request.GET.get("by") == "month" else "region"
    date_from, date_to = _date(request.GET.get("from", "")), _date(request.GET.get("to", ""))
    report = lead_statistics(
        leads_in_scope(user), by=by, today=timezone.localdate(), date_from=date_from, date_to=date_to
    )
    period = f"{date_from or '起始'} 至 {date_to or timezone.localdate()}"
    if request.GET.get("export") == "xlsx":
        unit = user.organisation.name if user.organisation else ""
        content = statistics_xlsx(report, unit=unit, period=period, by=by)
        # the file holds counts, not leads: logged without ids, with the period and grouping
        record_export(
            request,
            object_type="leads.lead",
            object_ids=[],
            export_format="xlsx-statistics",
            filters={"by": by, "from": str(date_from or ""), "to": str(date_to or "")},
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''lead-statistics.xlsx"
        return response
    rows = [(label, [values.get(k) for k in report.keys()]) for label, values in report.rows]
    totals = [report.totals.get(k) for k in report.keys()]
    return render(
        request,
        "leads/stats.html",
        {
            "report": report,
            "rows": rows,
            "totals": totals,
            "by": by,
            "period": period,
            "date_from": request.GET.get("from", ""),
            "date_to": request.GET.get("to", ""),
            "query": request.GET.urlencode(),
        },
    )
