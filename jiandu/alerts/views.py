"""Alert pages: list with filters and Excel export, detail with the evidence path and actions, rule list."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from jiandu.accounts.access import require
from jiandu.accounts.models import Organisation
from jiandu.accounts.roles import Capability
from jiandu.alerts import selectors
from jiandu.alerts.forms import ActionForm
from jiandu.alerts.models import Alert
from jiandu.alerts.settings import deployment_params
from jiandu.alerts.workflow import (
    WorkflowError,
    alert_act,
    is_overdue,
    observed_precision,
    rule_verdicts,
    steps_available,
)
from jiandu.analytics.rules.base import GROUPS
from jiandu.analytics.rules.engine import registry
from jiandu.audit.services import record_export
from jiandu.security.spreadsheet import text_cells
from jiandu.security.stepup import exporting, step_up_required_if


def _offices_for(user: Any) -> Any:
    return Organisation.objects.filter(
        region_code__startswith=user.scope_prefix,
        kind__in=Organisation.COMMISSION_KINDS,
    )


@login_required
@require_GET
@step_up_required_if(exporting)
def alert_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_ALERTS)
    today = timezone.localdate()
    params = {k: request.GET.get(k, "").strip() for k in (*selectors.FILTERS, "sort")}
    rows = selectors.alerts_filtered(request.user, params, today)
    if request.GET.get("export") == "xlsx":
        return _export_xlsx(request, rows, params)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    subjects = selectors.subjects_shown(list(page))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "alerts/list.html",
        {
            "page": page,
            "alerts": [(a, is_overdue(a, today), subjects.get(a.subject_key, "")) for a in page],
            "params": params,
            "query": query.urlencode(),
            "groups": GROUPS,
            "rules": registry(),
            "statuses": Alert.Status.choices,
        },
    )


_EXPORT_FILTERS_KEPT = frozenset(
    {"group", "rule", "severity", "status", "region", "date_from", "date_to", "overdue", "all", "sort"}
)


def _export_xlsx(request: HttpRequest, rows: Any, params: dict[str, str]) -> HttpResponse:
    exported = list(rows[:100000])
    # Logged before the file leaves. Filters that can name a person or unit are kept only as "set".
    filters = {k: (v if k in _EXPORT_FILTERS_KEPT else "set") for k, v in params.items() if v}
    record_export(
        request,
        object_type="alerts.alert",
        object_ids=[a.pk for a in exported],
        export_format="xlsx",
        filters=filters,
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet("预警")
    sheet.append(
        [
            "编号",
            "规则代码",
            "规则名称",
            "等级",
            "对象类型",
            "对象标识",
            "对象名称",
            "期间起",
            "期间止",
            "状态",
            "核查结论",
            "证据",
        ]
    )
    subjects = selectors.subjects_shown(exported)
    for a in exported:
        evidence = "；".join(f"{e['table']}#{e['rid']}" for e in a.evidence)
        sheet.append(
            text_cells(
                sheet,
                [
                    a.pk,
                    a.rule_code,
                    a.title,
                    a.severity,
                    a.subject_type,
                    subjects.get(a.subject_key, ""),
                    a.subject_label,
                    a.period_start,
                    a.period_end,
                    a.get_status_display(),
                    a.get_finding_display(),
                    evidence,
                ],
            )
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''alerts.xlsx"
    return response


@login_required
@require_GET
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.access_alert(request, pk)
    form = ActionForm(offices=_offices_for(request.user))
    can_act = selectors.may_act(request.user, alert)
    return render(
        request,
        "alerts/detail.html",
        {
            "alert": alert,
            "subject_shown": selectors.subjects_shown([alert]).get(alert.subject_key, ""),
            "evidence": selectors.evidence_display(alert),
            "steps": steps_available(alert) if can_act else [],
            "form": form,
            "overdue": is_overdue(alert),
            "transitions": alert.transitions.select_related("by"),
        },
    )


@login_required
@require_POST
def alert_action(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.access_alert(request, pk, Capability.HANDLE_ALERTS)
    form = ActionForm(request.POST, request.FILES, offices=_offices_for(request.user))
    if not form.is_valid():
        messages.error(request, "提交的内容有误：" + "；".join(f"{k} {v[0]}" for k, v in form.errors.items()))
        return redirect("alert_detail", pk=alert.pk)
    data = form.cleaned_data
    try:
        alert_act(
            alert=alert,
            user=request.user,
            action=data["action"],
            note=data["note"] or "",
            office=data["office"],
            deadline=data["deadline"],
            finding=data["finding"] or "",
            attachment=data["attachment"],
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "操作已记录")
        if not selectors.alerts_for(request.user).filter(pk=alert.pk).exists():
            messages.info(request, gettext("该预警已进入核查，仅承办单位及其授权人员可以查阅"))
            return redirect("alert_list")
    return redirect("alert_detail", pk=alert.pk)


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_ALERTS)
    counts = selectors.alert_counts_by_rule(request.user)
    verdicts = rule_verdicts()
    overrides = deployment_params()
    rows = []
    for rule in registry():
        values = {**rule.defaults(), **overrides.get(rule.code, {})}
        v = verdicts.get(rule.code, {})
        rows.append(
            {
                "rule": rule,
                "params": values,
                "hits": counts.get(rule.code, 0),
                "verdicts": v,
                "precision": observed_precision(v),
            }
        )
    return render(request, "alerts/rules.html", {"rows": rows})
