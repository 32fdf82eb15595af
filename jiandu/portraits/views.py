"""Portrait pages: thin views over the portrait selectors."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jiandu.accounts.access import record_for, require
from jiandu.accounts.roles import Capability
from jiandu.audit.services import object_type_of, record_export
from jiandu.portraits import dashboard, graph, official, search, unit
from jiandu.registry.models import REGISTRY
from jiandu.reports.clearance import opinion_docx, opinion_for
from jiandu.security.stepup import step_up_fresh, step_up_redirect

SECTIONS = [
    ("positions", "任职经历"),
    ("family", "家庭成员"),
    ("companies", "关联企业"),
    ("assets", "房产收入"),
    ("conduct", "决策信访审计"),
    ("discipline", "谈话与处理"),
    ("evaluations", "多方评价"),
    ("leads", "问题线索"),
    ("alerts", "预警"),
    ("timeline", "时间轴"),
]


@login_required
@require_GET
def official_portrait(request: HttpRequest, pk: int) -> HttpResponse:
    person = official.access_official(request, pk)
    context = official.official_portrait(request.user, person, timezone.localdate())
    evaluations = [
        {"year": y["year"], "raters": [{k: v for k, v in r.items() if k != "fact"} for r in y["raters"]]}
        for y in context["evaluations"]
    ]
    context.update(
        {
            "sections": SECTIONS,
            "masked_id": person.id_number_masked,
            "evaluations_json": evaluations,
            "score": official.risk_score(context["open_alerts"], timezone.localdate()),
        }
    )
    return render(request, "portraits/official.html", context)


@login_required
@require_GET
def official_graph(request: HttpRequest, pk: int) -> HttpResponse:
    person = official.access_official(request, pk)
    return render(request, "portraits/graph.html", {"official": person})


@login_required
@require_GET
def official_graph_data(request: HttpRequest, pk: int) -> JsonResponse:
    person = official.access_official(request, pk)
    params: dict[str, Any] = {k: request.GET.get(k, "") for k in ("from", "to", "expand")}
    return JsonResponse(
        graph.official_graph(request.user, person, params), json_dumps_params={"ensure_ascii": False}
    )


@login_required
@require_GET
def unit_portrait(request: HttpRequest, pk: int) -> HttpResponse:
    record = record_for(request.user, REGISTRY["units"].objects.all(), pk)
    context = unit.unit_portrait(request.user, record, timezone.localdate())
    context["chart_json"] = json.loads(json.dumps(context.pop("charts"), default=str))
    return render(request, "portraits/unit.html", context)


@login_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_ALERTS)
    context = dashboard.dashboard(request.user, timezone.localdate())
    context["chart_json"] = {"months": context["by_month"]}
    return render(request, "portraits/dashboard.html", context)


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_REGISTRY)
    query = request.GET.get("q", "")
    return render(
        request, "portraits/search.html", {"q": query, "results": search.search(request.user, query)}
    )


@login_required
@require_GET
def official_clearance(request: HttpRequest, pk: int) -> HttpResponse:
    """The 廉政意见回复 DOCX, watermarked with the exporter's name and time; only after a fresh step-up
    (asked once the official is known to be within reach: an outsider gets the usual 404), and logged as
    an export of the official's record before the file leaves."""
    person = official.access_official(request, pk)
    if not step_up_fresh(request):
        return step_up_redirect(request)
    today = timezone.localdate()
    opinion = opinion_for(request.user, person, today)
    user: Any = request.user
    stamp = f"{user.get_full_name() or user.get_username()} 导出于 {timezone.localtime():%Y-%m-%d %H:%M}"
    org = getattr(user, "organisation", None)
    data = opinion_docx(opinion, authority=str(org) if org else "纪委监委", watermark_text=stamp)
    record_export(request, object_type=object_type_of(person), object_ids=[person.pk], export_format="docx")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''clearance-{person.pk}.docx"
    return response
