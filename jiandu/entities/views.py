"""The review queue: uncertain links with each feature's contribution, and the supervisor's verdict."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jiandu.accounts.access import record_for, require
from jiandu.accounts.roles import Capability
from jiandu.entities.models import Judgement, ReviewItem
from jiandu.entities.selectors import describe, review_items_for
from jiandu.entities.services import judgement_record


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.HANDLE_ALERTS)
    kind = request.GET.get("kind", "")
    rows = review_items_for(request.user).filter(open=True)
    if kind:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    items = []
    for item in page:
        top = max((abs(v) for v in item.contributions.values()), default=1.0) or 1.0
        bars = [
            {"feature": k, "value": v, "step": min(9, max(1, round(9 * abs(v) / top))), "positive": v >= 0}
            for k, v in sorted(item.contributions.items(), key=lambda kv: -abs(kv[1]))
        ]
        items.append(
            {
                "item": item,
                "left": describe(request.user, item.left_key),
                "right": describe(request.user, item.right_key),
                "bars": bars,
            }
        )
    return render(
        request,
        "entities/review.html",
        {"page": page, "items": items, "kind": kind, "kinds": ReviewItem.Kind.choices},
    )


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = record_for(request.user, ReviewItem.objects.all(), pk, capability=Capability.HANDLE_ALERTS)
    verdict = request.POST.get("verdict", "")
    if verdict not in (*Judgement.Verdict.values, ""):
        messages.error(request, "无效的判定")
    else:
        judgement_record(user=request.user, item=item, verdict=verdict, note=request.POST.get("note", ""))
        messages.success(request, "判定已保存，下次归并运行时生效")
    return redirect("review_queue")
