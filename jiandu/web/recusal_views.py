"""回避报告: the leaders' list of blocked accesses in their organisation, and marking one handled."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from jiandu.audit.services import record_list
from jiandu.registry.models import REGISTRY
from jiandu.registry.recusal import REASONS
from jiandu.security.models import RecusalNotice
from jiandu.security.recusal_guard import RecusalHandleError, recusal_notice_handle, recusal_notices_for

ENTRY_LABELS: dict[str, Any] = {
    "official_portrait": _("干部画像"),
    "official_graph": _("关系图谱"),
    "official_graph_data": _("关系图谱"),
    "official_clearance": _("廉政意见回复"),
    "lead_detail": _("问题线索"),
    "lead_way": _("线索处置"),
    "lead_step": _("线索处置"),
    "lead_conclude": _("线索处置"),
    "lead_person": _("被反映人线索"),
    "alert_detail": _("预警"),
    "alert_action": _("预警处置"),
    "registry_detail": _("登记数据"),
}
_OBJECT_PAGES = {"leads.lead": (_("问题线索"), "lead_detail"), "alerts.alert": (_("预警"), "alert_detail")}


def _link(object_type: str, object_id: Any) -> tuple[str, str]:
    """(label, url) of an object named in a notice; the url is empty when the object has no page."""
    if object_type == "registry.officials":
        return f"{REGISTRY['officials'].table.zh} #{object_id}", reverse(
            "official_portrait", args=[object_id]
        )
    table = object_type.removeprefix("registry.")
    if table in REGISTRY and object_type.startswith("registry."):
        return f"{REGISTRY[table].table.zh} #{object_id}", reverse("registry_detail", args=[table, object_id])
    if object_type in REGISTRY:  # a proof names registry tables without the prefix
        return f"{object_type}#{object_id}", reverse("registry_detail", args=[object_type, object_id])
    if object_type in _OBJECT_PAGES and str(object_id).isdigit():
        label, name = _OBJECT_PAGES[object_type]
        return f"{label} #{object_id}", reverse(name, args=[object_id])
    if object_type == "leads.person":
        return str(_("被反映人线索")), ""
    return f"{object_type} #{object_id}", ""


def _row(notice: RecusalNotice) -> dict[str, Any]:
    label, url = _link(notice.object_type, notice.object_id)
    proofs: dict[tuple[str, Any], dict[str, Any]] = {}
    for proof in notice.proofs:
        key = (proof.get("table", ""), proof.get("rid", ""))
        proofs.setdefault(key, {"table": key[0], "rid": key[1], "url": _link(*key)[1]})
    return {
        "notice": notice,
        "object": label,
        "url": url,
        "entry": ENTRY_LABELS.get(notice.entry, notice.entry),
        "reasons": [str(REASONS.get(r, r)) for r in notice.reasons],
        "proofs": list(proofs.values()),
    }


@login_required
@require_GET
def recusal_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(recusal_notices_for(request.user), 50).get_page(request.GET.get("page"))
    record_list(
        request,
        object_type="security.recusalnotice",
        shown_ids=[n.pk for n in page],
        page_number=page.number,
    )
    return render(request, "security/recusal_list.html", {"page": page, "rows": [_row(n) for n in page]})


@login_required
@require_POST
def recusal_handle(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        recusal_notice_handle(request=request, pk=pk, note=request.POST.get("note", "")[:500])
    except RecusalHandleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("回避报告第 %(pk)s 号已标记为已处理。") % {"pk": pk})
    return redirect("recusal_list")
